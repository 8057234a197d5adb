/**
 * Plaintext of a member's sensitive fields after an audited unmask. The results
 * live in a scope provided by the page (so they vanish with it) and are shared by
 * the page's MaskedFields: one reason, one audit record, all three fields shown.
 */
import { inject, provide, reactive, type InjectionKey } from 'vue'
import { api, unwrap } from '@/api/client'
import type { Unmasked } from '@/api/types'

export type UnmaskScope = Map<number, Unmasked>

const KEY: InjectionKey<UnmaskScope> = Symbol('unmask-scope')

export function provideUnmaskScope(): UnmaskScope {
  const scope = reactive(new Map<number, Unmasked>()) as UnmaskScope
  provide(KEY, scope)
  return scope
}

export function useUnmaskScope(): UnmaskScope {
  return inject(KEY, null) ?? (reactive(new Map<number, Unmasked>()) as UnmaskScope)
}

export async function unmaskMember(id: number, reason: string): Promise<Unmasked> {
  return unwrap(api.POST('/members/{id}/unmask', { params: { path: { id } }, body: { reason } }))
}
