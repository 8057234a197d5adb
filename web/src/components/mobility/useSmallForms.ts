/**
 * The small mobility forms: 回归登记 (POST /outflows/{id}/return), 登记联系
 * (POST /members/{id}/contacts), 建议停止党籍 (POST /members/{id}/suspension-proposals) and the level
 * above's 审批 (POST /members/{id}/suspension-proposals/{proposal_id}/decision).
 */
import { reactive, ref } from 'vue'
import { api, unwrap } from '@/api/client'
import type { Contact, MobilityRecord, Proposal } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { todayInChina } from '@/pages/members/mobility/labels'

export interface ReturnTarget {
  id: number
  name: string
  start_date: string
  place?: string
}

export function useReturnForm(onSaved: (r: MobilityRecord) => void | Promise<void>) {
  const visible = ref(false)
  const target = ref<ReturnTarget | null>(null)
  const form = reactive({ returned_on: todayInChina(), current_place: '', relationship_stays: true, note: '' })
  const errors = useFieldErrors()
  const saving = ref(false)

  function open(t: ReturnTarget) {
    target.value = t
    Object.assign(form, { returned_on: todayInChina(), current_place: '', relationship_stays: true, note: '' })
    errors.clear()
    visible.value = true
  }

  async function submit() {
    if (!target.value) return
    errors.clear()
    if (!form.returned_on) errors.fields.returned_on = '请填写回归日期'
    else if (form.returned_on < target.value.start_date) errors.fields.returned_on = '回归日期不能早于外出日期'
    else if (form.returned_on > todayInChina()) errors.fields.returned_on = '回归日期不能晚于今天'
    if (Object.keys(errors.fields).length) return
    saving.value = true
    try {
      const r = await unwrap(
        api.POST('/outflows/{id}/return', {
          params: { path: { id: target.value.id } },
          body: {
            returned_on: form.returned_on,
            current_place: form.current_place.trim() || null,
            relationship_stays: form.relationship_stays,
            note: form.note.trim() || null,
          },
        }),
      )
      visible.value = false
      await onSaved(r)
    } catch (e) {
      errors.apply(e, ['returned_on', 'current_place', 'note'])
    } finally {
      saving.value = false
    }
  }

  return { visible, target, form, errors, saving, open, submit }
}

export interface MemberTarget {
  id: number
  name: string
}

export function useContactForm(onSaved: (c: Contact) => void | Promise<void>) {
  const visible = ref(false)
  const target = ref<MemberTarget | null>(null)
  const form = reactive({ kind: 'call', contacted_on: todayInChina(), reached: true, note: '' })
  const errors = useFieldErrors()
  const saving = ref(false)

  function open(t: MemberTarget) {
    target.value = t
    Object.assign(form, { kind: 'call', contacted_on: todayInChina(), reached: true, note: '' })
    errors.clear()
    visible.value = true
  }

  async function submit() {
    if (!target.value) return
    errors.clear()
    if (!form.contacted_on) errors.fields.contacted_on = '请填写联系日期'
    else if (form.contacted_on > todayInChina()) errors.fields.contacted_on = '联系日期不能晚于今天'
    if (Object.keys(errors.fields).length) return
    saving.value = true
    try {
      const c = await unwrap(
        api.POST('/members/{id}/contacts', {
          params: { path: { id: target.value.id } },
          body: { kind: form.kind, contacted_on: form.contacted_on, reached: form.reached, note: form.note.trim() || null },
        }),
      )
      visible.value = false
      await onSaved(c)
    } catch (e) {
      errors.apply(e, ['kind', 'contacted_on', 'note'])
    } finally {
      saving.value = false
    }
  }

  return { visible, target, form, errors, saving, open, submit }
}

export interface ProposalTarget extends MemberTarget {
  days?: number | null
  /** 停止党籍 (default) or, two years after a suspension, 除名. */
  kind?: 'suspension' | 'removal'
}

export function useProposalForm(onSaved: (p: Proposal) => void | Promise<void>) {
  const visible = ref(false)
  const target = ref<ProposalTarget | null>(null)
  const reason = ref('')
  const errors = useFieldErrors()
  const saving = ref(false)

  function open(t: ProposalTarget) {
    target.value = t
    reason.value = ''
    errors.clear()
    visible.value = true
  }

  async function submit() {
    if (!target.value) return
    errors.clear()
    if (reason.value.trim().length < 2) {
      errors.fields.reason = '请填写建议理由'
      return
    }
    saving.value = true
    try {
      const p = await unwrap(
        api.POST('/members/{id}/suspension-proposals', {
          params: { path: { id: target.value.id } },
          body: { reason: reason.value.trim(), kind: target.value.kind ?? 'suspension' },
        }),
      )
      visible.value = false
      await onSaved(p)
    } catch (e) {
      errors.apply(e, ['reason'])
    } finally {
      saving.value = false
    }
  }

  return { visible, target, reason, errors, saving, open, submit }
}

export interface DecisionTarget {
  memberId: number
  name: string
  proposal: Proposal
}

/** The level above decides a proposal: 批准 (the member's status changes from that day) or 不批准 with why. */
export function useDecisionForm(onSaved: (p: Proposal) => void | Promise<void>) {
  const visible = ref(false)
  const target = ref<DecisionTarget | null>(null)
  const form = reactive({ approve: true, on: todayInChina(), note: '' })
  const errors = useFieldErrors()
  const saving = ref(false)

  function open(t: DecisionTarget) {
    target.value = t
    Object.assign(form, { approve: true, on: todayInChina(), note: '' })
    errors.clear()
    visible.value = true
  }

  async function submit() {
    if (!target.value) return
    errors.clear()
    if (!form.approve && !form.note.trim()) {
      errors.fields.note = '不批准须说明理由'
      return
    }
    saving.value = true
    try {
      const p = await unwrap(
        api.POST('/members/{id}/suspension-proposals/{proposal_id}/decision', {
          params: { path: { id: target.value.memberId, proposal_id: target.value.proposal.id } },
          body: { approve: form.approve, on: form.on, note: form.note.trim() || null },
        }),
      )
      visible.value = false
      await onSaved(p)
    } catch (e) {
      errors.apply(e, ['on', 'note'])
    } finally {
      saving.value = false
    }
  }

  return { visible, target, form, errors, saving, open, submit }
}
