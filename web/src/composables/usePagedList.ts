/**
 * State for a paginated, filtered list: the filters object (reactive, owned by the
 * page), the current page, the loaded rows and total. Stale answers are dropped,
 * so a slow earlier request never overwrites a newer one.
 */
import { reactive, ref, shallowRef, type Ref } from 'vue'
import { errorMessage } from '@/api/errors'
import type { Page } from '@/api/types'

export interface PageQuery {
  page: number
  per_page: number
}

export type Fetcher<T, F> = (filters: F, page: PageQuery) => Promise<Page<T>>

export interface PagedList<T, F extends object> {
  filters: F
  items: Ref<T[]>
  total: Ref<number>
  page: Ref<number>
  perPage: Ref<number>
  loading: Ref<boolean>
  error: Ref<unknown>
  errorText: Ref<string>
  /** Reloads the current page with the current filters. */
  load(): Promise<void>
  /** Applies the filters: back to page 1, then load. */
  search(): Promise<void>
  /** Restores the initial filters, back to page 1, then load. */
  reset(): Promise<void>
  setPage(p: number): Promise<void>
  setPerPage(n: number): Promise<void>
}

export function usePagedList<T, F extends object>(
  fetcher: Fetcher<T, F>,
  filters: F,
  options: { perPage?: number } = {},
): PagedList<T, F> {
  const initial = structuredClone(toPlain(filters))
  const state = reactive(filters) as F
  const items = shallowRef<T[]>([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const perPage = ref(options.perPage ?? 20)
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  const errorText = ref('')
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const res = await fetcher(toPlain(state), { page: page.value, per_page: perPage.value })
      if (mine !== seq) return
      items.value = res.items
      total.value = res.total
      error.value = null
      errorText.value = ''
      // Deleting the last row of the last page leaves us past the end: step back.
      if (res.items.length === 0 && res.total > 0 && page.value > 1) {
        page.value = Math.max(1, Math.ceil(res.total / perPage.value))
        return load()
      }
    } catch (e) {
      if (mine !== seq) return
      items.value = []
      total.value = 0
      error.value = e
      errorText.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function search() {
    page.value = 1
    return load()
  }

  function reset() {
    const fresh = structuredClone(initial) as Record<string, unknown>
    const target = state as Record<string, unknown>
    for (const key of Object.keys(target)) if (!(key in fresh)) delete target[key]
    Object.assign(target, fresh)
    return search()
  }

  function setPage(p: number) {
    page.value = p
    return load()
  }

  function setPerPage(n: number) {
    perPage.value = n
    page.value = 1
    return load()
  }

  return { filters: state, items, total, page, perPage, loading, error, errorText, load, search, reset, setPage, setPerPage }
}

function toPlain<F extends object>(f: F): F {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(f)) out[k] = Array.isArray(v) ? [...v] : v
  return out as F
}
