import { reactive } from 'vue'
import { useRoute } from 'vue-router'
import { api, cleanQuery, unwrap } from '@/api/client'
import type { Member } from '@/api/types'
import { usePagedList } from '@/composables/usePagedList'

export interface MemberFilters {
  org: number | null
  status: string
  category: string
  tag: string
  q: string
  id_number: string
  phone: string
}

export function useMemberList() {
  const route = useRoute()
  const fromRoute = Number(route.query.org)
  const filters = reactive<MemberFilters>({
    org: Number.isInteger(fromRoute) && fromRoute > 0 ? fromRoute : null,
    status: '',
    category: '',
    tag: '',
    q: '',
    id_number: '',
    phone: '',
  })
  const list = usePagedList<Member, MemberFilters>(
    (f, page) =>
      unwrap(
        api.GET('/members', {
          params: {
            query: cleanQuery({
              org: f.org ?? undefined,
              status: f.status,
              category: f.category,
              tag: f.tag,
              q: f.q.trim(),
              id_number: f.id_number.trim().toUpperCase(),
              phone: f.phone.trim(),
              ...page,
            }),
          },
        }),
      ),
    filters,
  )
  return { filters, list }
}
