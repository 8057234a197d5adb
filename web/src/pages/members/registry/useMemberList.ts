import { reactive } from 'vue'
import { useRoute } from 'vue-router'
import { api, cleanQuery, unwrap } from '@/api/client'
import { downloadFile } from '@/api/download'
import type { Member } from '@/api/types'
import { usePagedList } from '@/composables/usePagedList'

export interface MemberFilters {
  org: number | null
  status: string
  category: string
  tag: string
  /** '' all, 'outflow' 外出中 (an open outflow), 'local' 在家. */
  mobility: '' | 'outflow' | 'local'
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
    mobility: route.query.mobility === 'outflow' || route.query.mobility === 'local' ? route.query.mobility : '',
    q: '',
    id_number: '',
    phone: '',
  })
  const list = usePagedList<Member, MemberFilters>((f, page) => {
    const idNumber = f.id_number.trim().toUpperCase()
    const phone = f.phone.trim()
    // Exact lookups by ID number or phone go in a request body (never in a URL) and are audited.
    if (idNumber || phone) {
      return unwrap(
        api.POST('/members/lookup', {
          body: { org: f.org ?? undefined, id_number: idNumber || undefined, phone: phone || undefined },
        }),
      )
    }
    return unwrap(
      api.GET('/members', {
        params: {
          query: cleanQuery({
            org: f.org ?? undefined,
            status: f.status,
            category: f.category,
            tag: f.tag,
            mobility: f.mobility,
            q: f.q.trim(),
            ...page,
          }),
        },
      }),
    )
  }, filters)
  return { filters, list }
}

/** The roster (党员名册) download: the list's filters (exact lookups are not a roster's), no paging, the unmask
 * reason when given. */
export function rosterRequest(f: MemberFilters, format: 'xlsx' | 'pdf', unmaskReason?: string) {
  const query: Record<string, unknown> = cleanQuery({
    org: f.org ?? undefined,
    status: f.status,
    category: f.category,
    tag: f.tag,
    mobility: f.mobility,
    q: f.q.trim(),
  })
  const reason = unmaskReason?.trim()
  if (reason) query.unmask_reason = reason
  return { path: `/members.${format}`, query, fallbackName: `党员名册.${format}` }
}

export function exportRoster(f: MemberFilters, format: 'xlsx' | 'pdf', unmaskReason?: string): Promise<string> {
  const r = rosterRequest(f, format, unmaskReason)
  return downloadFile(r.path, r.query, r.fallbackName)
}
