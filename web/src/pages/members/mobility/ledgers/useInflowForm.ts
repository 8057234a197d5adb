/** 流入登记 (POST /inflows) and 结束流入 (POST /inflows/{id}/end). */
import { reactive, ref } from 'vue'
import { api, unwrap } from '@/api/client'
import type { InflowInput, MobilityRecord } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { regionErrors } from '../regions'
import { todayInChina } from '../labels'

export interface InflowFormState {
  receiving_org_id: number | null
  name: string
  id_number: string
  phone: string
  region: string[]
  external_org_name: string
  external_org_contact: string
  employer: string
  occupation: string
  reason: string
  start_date: string
  mobile_card_no: string
}

const FIELDS = [
  'receiving_org_id', 'member_id', 'name', 'id_number', 'phone', 'province_code', 'city_code', 'county_code', 'external_org_name',
  'external_org_contact', 'employer', 'occupation', 'reason', 'start_date', 'mobile_card_no',
]

export function blankInflow(): InflowFormState {
  return {
    receiving_org_id: null,
    name: '',
    id_number: '',
    phone: '',
    region: [],
    external_org_name: '',
    external_org_contact: '',
    employer: '',
    occupation: '',
    reason: 'work_business',
    start_date: todayInChina(),
    mobile_card_no: '',
  }
}

const text = (s: string) => s.trim() || null

export function inflowPayload(f: InflowFormState): InflowInput {
  const [province, city, county] = f.region
  return {
    receiving_org_id: f.receiving_org_id,
    name: text(f.name),
    id_number: text(f.id_number.toUpperCase()),
    phone: text(f.phone),
    province_code: province ?? null,
    city_code: city ?? null,
    county_code: county ?? null,
    external_org_name: text(f.external_org_name),
    external_org_contact: text(f.external_org_contact),
    employer: text(f.employer),
    occupation: text(f.occupation),
    reason: f.reason || null,
    start_date: f.start_date || null,
    mobile_card_no: text(f.mobile_card_no),
  }
}

export function checkInflow(f: InflowFormState): Record<string, string> {
  const e: Record<string, string> = {}
  if (f.receiving_org_id == null) e.receiving_org_id = '请选择参加活动的党组织'
  if (!f.name.trim()) e.name = '请填写姓名'
  // The format and check digit are the server's to judge (its message names the right digit).
  if (!f.id_number.trim()) e.id_number = '请填写身份证号'
  if (!f.external_org_name.trim()) e.external_org_name = '请填写原所在党组织'
  if (f.start_date && f.start_date > todayInChina()) e.start_date = '流入日期不能晚于今天'
  return e
}

export function useInflowForm(onSaved: (r: MobilityRecord) => void | Promise<void>) {
  const visible = ref(false)
  const form = reactive<InflowFormState>(blankInflow())
  const errors = useFieldErrors()
  const saving = ref(false)

  function open() {
    Object.assign(form, blankInflow())
    errors.clear()
    visible.value = true
  }

  async function submit() {
    errors.clear()
    const local = checkInflow(form)
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return
    }
    saving.value = true
    try {
      const r = await unwrap(api.POST('/inflows', { body: inflowPayload(form) }))
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

  return { visible, form, errors, saving, open, submit }
}

export function useInflowEnd(onSaved: (r: MobilityRecord) => void | Promise<void>) {
  const visible = ref(false)
  const target = ref<{ id: number; name: string; start_date: string } | null>(null)
  const form = reactive({ ended_on: todayInChina(), note: '' })
  const errors = useFieldErrors()
  const saving = ref(false)

  function open(t: { id: number; name: string; start_date: string }) {
    target.value = t
    Object.assign(form, { ended_on: todayInChina(), note: '' })
    errors.clear()
    visible.value = true
  }

  async function submit() {
    if (!target.value) return
    errors.clear()
    if (!form.ended_on || form.ended_on < target.value.start_date || form.ended_on > todayInChina()) {
      errors.fields.ended_on = '结束日期应在流入日期与今天之间'
      return
    }
    saving.value = true
    try {
      const r = await unwrap(
        api.POST('/inflows/{id}/end', { params: { path: { id: target.value.id } }, body: { ended_on: form.ended_on, note: form.note.trim() || null } }),
      )
      visible.value = false
      await onSaved(r)
    } catch (e) {
      errors.apply(e, ['ended_on', 'note'])
    } finally {
      saving.value = false
    }
  }

  return { visible, target, form, errors, saving, open, submit }
}
