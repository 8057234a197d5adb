/**
 * The member detail page's 流动情况 / 联系记录 / 停止党籍建议 sections: the
 * member's mobility history, contact log and suspension proposals, and which
 * actions apply (an open outflow can be closed by a return; a lost member may
 * be proposed for suspension).
 */
import { computed, ref, shallowRef, type Ref } from 'vue'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { Contact, MobilityRecord, Proposal } from '@/api/types'
import { daysBetween, isLost, todayInChina } from '@/pages/members/mobility/labels'

export function lastReached(contacts: Contact[]): string | null {
  let last: string | null = null
  for (const c of contacts) if (c.reached && (!last || c.contacted_on > last)) last = c.contacted_on
  return last
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
  const daysSinceContact = computed(() => {
    const o = openOutflow.value
    if (!o) return null
    const since = lastContact.value && lastContact.value > o.start_date ? lastContact.value : o.start_date
    return daysBetween(since, today)
  })
  const lost = computed(() => !!openOutflow.value && isLost(lastContact.value, openOutflow.value.start_date, today))

  return { history, contacts, proposals, loading, error, load, openOutflow, lastContact, daysSinceContact, lost }
}
