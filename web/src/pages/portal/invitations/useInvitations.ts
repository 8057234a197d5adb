/**
 * 开通邀请: the invitations of the caller's organisations, with counts; making them for a whole
 * organisation, its outflow ledger or chosen members; a new one in place of a lost one; voiding.
 * Codes come back only in the answer that made them (they are not stored): the page prints them then.
 */
import { reactive, ref } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { usePagedList } from '@/composables/usePagedList'

export type Invitation = components['schemas']['InvitationView']
export type InvitationCounts = components['schemas']['InvitationCounts']
type Status = NonNullable<components['schemas']['InvitationStatus']>

export interface InvitationFilters {
  org_id: number | null
  status: '' | Status
}

/** Where a phone opens an invitation: the code in the fragment, which no server or proxy log sees. */
export function activationUrl(origin: string, code: string): string {
  return `${origin}/m/activate#code=${encodeURIComponent(code)}`
}

export function useInvitations() {
  const filters = reactive<InvitationFilters>({ org_id: null, status: '' })
  const counts = ref<InvitationCounts | null>(null)
  const members = ref({ total: 0, withAccount: 0 })
  const list = usePagedList<Invitation, InvitationFilters>(async (f, page) => {
    const r = await unwrap(
      api.GET('/invitations', {
        params: { query: { ...cleanQuery({ org_id: f.org_id ?? undefined, status: f.status || undefined }), ...page } },
      }),
    )
    counts.value = r.counts
    members.value = { total: r.members, withAccount: r.members_with_account }
    return { items: r.items, total: r.total }
  }, filters)

  async function invite(body: components['schemas']['NewInvitations']) {
    return unwrap(api.POST('/invitations', { body }))
  }

  async function renew(i: Invitation) {
    return unwrap(api.POST('/invitations/{id}/renew', { params: { path: { id: i.id } } }))
  }

  async function revoke(i: Invitation) {
    return unwrap(api.POST('/invitations/{id}/revoke', { params: { path: { id: i.id } } }))
  }

  return { filters, list, counts, members, invite, renew, revoke }
}
