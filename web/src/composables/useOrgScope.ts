/**
 * Whether organisations lie in the caller's own scope, found out lazily (GET
 * /orgs/{id} answers 404 outside it) and remembered for the page's lifetime.
 * The ledgers list members of the caller's organisations *and* members others
 * send to them (a receiving chamber branch): only the former may be edited,
 * unmasked or opened.
 */
import { reactive } from 'vue'
import { ApiError } from '@/api/errors'
import { fetchOrg } from '@/api/orgs'

export function useOrgScope(fetch: (id: number) => Promise<unknown> = fetchOrg) {
  const known = reactive(new Map<number, boolean>())
  const pending = new Set<number>()

  async function checkOne(id: number) {
    pending.add(id)
    try {
      await fetch(id)
      known.set(id, true)
    } catch (e) {
      // 404: outside the scope. Anything else (e.g. no org.read): let the server decide later.
      known.set(id, !(e instanceof ApiError && e.status === 404))
    } finally {
      pending.delete(id)
    }
  }

  /** Looks up the ids not known yet. */
  function check(ids: (number | null | undefined)[]): Promise<void> {
    const todo = [...new Set(ids.filter((x): x is number => typeof x === 'number'))].filter((id) => !known.has(id) && !pending.has(id))
    return Promise.all(todo.map(checkOne)).then(() => undefined)
  }

  /** true / false once known; undefined while unknown. */
  function inScope(id: number | null | undefined): boolean | undefined {
    return id == null ? undefined : known.get(id)
  }

  return { check, inScope }
}
