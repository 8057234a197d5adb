/** 失联党员: mobile members not reached for six months, longest first (GET /lost-contacts). */
import { reactive } from 'vue'
import { useRoute } from 'vue-router'
import { api, cleanQuery, unwrap } from '@/api/client'
import type { LostMember } from '@/api/types'
import { usePagedList } from '@/composables/usePagedList'

export interface LostFilters {
  org: number | null
}

export function useLostContacts() {
  const route = useRoute()
  const fromRoute = Number(route.query.org)
  const filters = reactive<LostFilters>({ org: Number.isInteger(fromRoute) && fromRoute > 0 ? fromRoute : null })
  const list = usePagedList<LostMember, LostFilters>(
    (f, page) => unwrap(api.GET('/lost-contacts', { params: { query: cleanQuery({ org: f.org ?? undefined, ...page }) } })),
    filters,
  )
  return { filters, list }
}
