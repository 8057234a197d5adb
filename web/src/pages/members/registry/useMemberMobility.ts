/**
 * The member detail page's 流动情况 / 联系记录 / 停止党籍建议 sections: the
 * member's mobility history, contact log and suspension proposals, and which
 * actions apply (an open outflow can be closed by a return; a lost member —
 * away or at home — may be proposed for suspension by the home organisation).
 */
import { computed, ref, shallowRef, type Ref } from 'vue'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { Contact, MobilityRecord, Proposal } from '@/api/types'
import { daysBetween, isLost, quietSince, todayInChina } from '@/pages/members/mobility/labels'

export function lastReached(contacts: Contact[]): string | null {
  let last: string | null = null
  for (const c of contacts) if (c.reached && (!last || c.contacted_on > last)) last = c.contacted_on
  return last
}

/** The first failed attempt since the last contact that reached the member (marked unreachable). */
export function unreachableSince(contacts: Contact[]): string | null {
  const last = lastReached(contacts)
  let first: string | null = null
  for (const c of contacts) {
    if (!c.reached && (!last || c.contacted_on > last) && (!first || c.contacted_on < first)) first = c.contacted_on
  }
  return first
}

export function useMemberMobility(memberId: Ref<number>) {
  const history = shallowRef<MobilityRecord[]>([])
  const contacts = shallowRef<Contact[]>([])
  const proposals = shallowRef<Proposal[]>([])
  const loading = ref(false)
  const error = ref('')

  async function load() {
    const id = memberId.value
    loading.value = true
    error.value = ''
    try {
      const path = { params: { path: { id } } }
      const [h, c, p] = await Promise.all([
        unwrap(api.GET('/members/{id}/mobility', path)),
        unwrap(api.GET('/members/{id}/contacts', path)),
        unwrap(api.GET('/members/{id}/suspension-proposals', path)),
      ])
      if (id !== memberId.value) return
      history.value = h.items
      contacts.value = c.items
      proposals.value = p.items
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  const openOutflow = computed(() => history.value.find((r) => r.direction === 'outflow' && r.status === 'open') ?? null)
  const lastContact = computed(() => lastReached(contacts.value))
  const today = todayInChina()
  const reach = computed(() => ({
    lastContact: lastContact.value,
    outflowStart: openOutflow.value?.start_date ?? null,
    unreachableSince: unreachableSince(contacts.value),
  }))
  const daysSinceContact = computed(() => {
    const since = quietSince(reach.value)
    return since ? daysBetween(since, today) : null
  })
  const lost = computed(() => isLost(reach.value, today))

  return { history, contacts, proposals, loading, error, load, openOutflow, lastContact, daysSinceContact, lost }
}
