/** 外出登记: the form state, its checks and POST /outflows. */
import { computed, reactive, ref, watch } from 'vue'
import { api, unwrap } from '@/api/client'
import { searchOrgs } from '@/api/orgs'
import type { Member, MobilityRecord, Org, OutflowInput } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { useMetaStore } from '@/stores/meta'
import { regionErrors, regionName, shortPlaceName } from '@/pages/members/mobility/regions'
import { todayInChina } from '@/pages/members/mobility/labels'

export type ReceivingMode = 'system' | 'external' | 'none'

export interface OutflowFormState {
  member_id: number | null
  region: string[]
  address: string
  employer: string
  occupation: string
  reason: string
  start_date: string
  expected_return: string
  receiving: ReceivingMode
  receiving_org_id: number | null
  external_org_name: string
  external_org_contact: string
  mobile_card_no: string
  contact_person: string
}

const FIELDS = [
  'member_id', 'province_code', 'city_code', 'county_code', 'address', 'employer', 'occupation', 'reason', 'start_date',
  'expected_return', 'receiving_org_id', 'external_org_name', 'external_org_contact', 'mobile_card_no', 'contact_person',
]

export function blankOutflow(today = todayInChina()): OutflowFormState {
  return {
    member_id: null,
    region: [],
    address: '',
    employer: '',
    occupation: '',
    reason: 'work_business',
    start_date: today,
    expected_return: '',
    receiving: 'system',
    receiving_org_id: null,
    external_org_name: '',
    external_org_contact: '',
    mobile_card_no: '',
    contact_person: '',
  }
}

const text = (s: string) => s.trim() || null

/**
 * The request body for a filled form (only the chosen kind of receiving organisation is sent).
 * Employer and occupation are the member record's (prefilled from it); they are sent as typed, so
 * that clearing one clears it on the member.
 */
export function outflowPayload(f: OutflowFormState): OutflowInput {
  const [province, city, county] = f.region
  return {
    member_id: f.member_id,
    province_code: province ?? null,
    city_code: city ?? null,
    county_code: county ?? null,
    address: text(f.address),
    employer: f.employer.trim(),
    occupation: f.occupation.trim(),
    reason: f.reason || null,
    start_date: f.start_date || null,
    expected_return: f.expected_return || null,
    receiving_org_id: f.receiving === 'system' ? f.receiving_org_id : null,
    external_org_name: f.receiving === 'external' ? text(f.external_org_name) : null,
    external_org_contact: f.receiving === 'external' ? text(f.external_org_contact) : null,
    mobile_card_no: text(f.mobile_card_no),
    contact_person: text(f.contact_person),
  }
}

/** Checks the server would make first, with the same messages. */
export function checkOutflow(f: OutflowFormState, today = todayInChina()): Record<string, string> {
  const e: Record<string, string> = {}
  if (f.member_id == null) e.member_id = '请选择党员'
  if (f.region.length < 2) e.region = f.region.length ? '请选择外出地城市' : '请选择外出地省份和城市'
  if (!f.reason) e.reason = '请选择外出原因'
  if (!f.start_date) e.start_date = '请填写外出日期'
  else if (f.start_date > today) e.start_date = '外出日期不能晚于今天'
  if (f.expected_return && f.start_date && f.expected_return < f.start_date) e.expected_return = '预计返回日期不能早于外出日期'
  if (f.receiving === 'system' && f.receiving_org_id == null) e.receiving_org_id = '请选择接收党组织，或改选“系统外组织”'
  if (f.receiving === 'external' && !f.external_org_name.trim()) e.external_org_name = '请填写接收组织名称'
  return e
}

export function useOutflowForm(onSaved: (r: MobilityRecord) => void | Promise<void>) {
  const meta = useMetaStore()
  const visible = ref(false)
  const form = reactive<OutflowFormState>(blankOutflow())
  const member = ref<Member | null>(null)
  /** Registering for a member fixed by the caller (member detail page): no picker. */
  const memberFixed = ref(false)
  const errors = useFieldErrors()
  const saving = ref(false)
  /** Organisations in the caller's scope whose names mention the destination city. */
  const suggestions = ref<Org[]>([])

  function open(opts: { member?: Member | null } = {}) {
    Object.assign(form, blankOutflow())
    member.value = opts.member ?? null
    memberFixed.value = !!opts.member
    form.member_id = opts.member?.id ?? null
    setMember(opts.member ?? null)
    errors.clear()
    suggestions.value = []
    visible.value = true
  }

  /** The chosen member: their employer and occupation fill the form (one record, typed once). */
  function setMember(m: Member | null) {
    member.value = m
    form.employer = m?.employer ?? ''
    form.occupation = m?.occupation ?? ''
  }

  const cityName = computed(() => regionName(meta.meta?.regions ?? [], form.region[1]))
  let seq = 0
  watch(
    () => form.region[1],
    async (city) => {
      const mine = ++seq
      suggestions.value = []
      if (!city || !cityName.value) return
      try {
        const page = await searchOrgs(shortPlaceName(cityName.value), { perPage: 10 })
        if (mine !== seq) return
        suggestions.value = page.items
          .filter((o) => o.status === 'active' && o.kind !== 'party_group' && o.id !== member.value?.org_id)
          .slice(0, 4)
      } catch {
        // Suggestions are a convenience only.
      }
    },
  )

  async function submit() {
    errors.clear()
    const local = checkOutflow(form)
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return
    }
    saving.value = true
    try {
      const r = await unwrap(api.POST('/outflows', { body: outflowPayload(form) }))
      visible.value = false
      await onSaved(r)
    } catch (e) {
      errors.apply(e, FIELDS)
      const region = regionErrors(errors.fields)
      if (region) errors.fields.region = region
    } finally {
      saving.value = false
    }
  }

  return { visible, form, member, memberFixed, errors, saving, suggestions, cityName, open, setMember, submit }
}
