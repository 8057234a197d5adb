/**
 * 失联党员: members out of touch for six months, away or at home, longest first; suspended ones stay
 * with the date of suspension and the next step; or those who reach the limit within 30 days
 * (GET /lost-contacts).
 */
import { reactive } from 'vue'
import { useRoute } from 'vue-router'
import { api, cleanQuery, unwrap } from '@/api/client'
import type { LostMember } from '@/api/types'
import { usePagedList } from '@/composables/usePagedList'

export interface LostFilters {
  org: number | null
  /** '' all, 'away' 外出中, 'home' 在家. */
  where: '' | 'away' | 'home'
  /** '' all, 'normal' 未停止党籍, 'suspended' 已停止党籍. */
  status: '' | 'normal' | 'suspended'
  /** true: 即将失联 (reaching the limit within 30 days) instead of the lost. */
  soon: boolean
}

/** The query of a filter set. */
export function lostQuery(f: LostFilters) {
  return cleanQuery({
    org: f.org ?? undefined,
    away: f.where === '' ? undefined : f.where === 'away',
    suspended: f.soon || f.status === '' ? undefined : f.status === 'suspended',
    soon: f.soon || undefined,
  })
}

export function useLostContacts() {
  const route = useRoute()
  const fromRoute = Number(route.query.org)
  const filters = reactive<LostFilters>({
    org: Number.isInteger(fromRoute) && fromRoute > 0 ? fromRoute : null,
    where: route.query.away === 'true' ? 'away' : '',
    status: route.query.suspended === 'false' ? 'normal' : '',
    soon: route.query.soon === 'true',
  })
  const list = usePagedList<LostMember, LostFilters>(
    (f, page) => unwrap(api.GET('/lost-contacts', { params: { query: { ...lostQuery(f), ...page } } })),
    filters,
  )
  return { filters, list }
}
