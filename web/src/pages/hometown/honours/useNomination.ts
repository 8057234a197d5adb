/**
 * The drawer of one nomination: its detail, the review the user may give at the level it waits at,
 * its objections (ObjectionsPanel sends them through here), and withdrawing it (a nomination by its
 * organisation, an award by the campaign's). What the user may do comes with it (can_*).
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { errorMessage } from '@/api/errors'
import {
  addObjection as postObjection,
  fetchNomination,
  handleObjection as postHandling,
  reviewNomination,
  withdrawNomination,
  type NominationDetail,
  type ObjectionHandling,
  type ObjectionInput,
} from '@/api/honours'
import { todayBeijing } from '@/api/hometown'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { withdrawLabel } from './honours'

export interface ReviewForm {
  pass: boolean
  on: string
  note: string
}

/** A refusal says why (as the server wants); the note is sent only when written. */
export function reviewBody(f: ReviewForm) {
  return { pass: f.pass, on: f.on, note: f.note.trim() || null }
}

export function checkReview(f: ReviewForm): Record<string, string> {
  return !f.pass && !f.note.trim() ? { note: '不通过须说明理由' } : {}
}

export function useNomination(onChange: (d: NominationDetail) => void) {
  const detail = shallowRef<NominationDetail | null>(null)
  const open = ref(false)
  const loadError = ref('')
  const review = reactive<ReviewForm>({ pass: true, on: todayBeijing(), note: '' })
  const errors = useFieldErrors()
  const busy = ref(false)
  const withdrawing = ref(false)

  // An edited field is judged again on sending; a review turned to 通过 needs no reason any more.
  for (const k of ['pass', 'on', 'note'] as const) {
    watch(
      () => review[k],
      () => {
        delete errors.fields[k]
        if (k === 'pass') delete errors.fields.note
      },
    )
  }

  function set(d: NominationDetail) {
    detail.value = d
    Object.assign(review, { pass: true, on: todayBeijing(), note: '' })
    errors.clear()
  }
  function changed(d: NominationDetail) {
    set(d)
    onChange(d)
  }

  async function show(id: number) {
    open.value = true
    loadError.value = ''
    if (detail.value?.nomination.id !== id) detail.value = null
    try {
      set(await fetchNomination(id))
    } catch (e) {
      loadError.value = errorMessage(e)
    }
  }

  /** The review at the level it waits at: passed, it goes up (or is recommended); not passed, it stops. */
  async function submitReview() {
    const d = detail.value
    if (!d?.nomination.can_review) return
    errors.clear()
    const local = checkReview(review)
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return
    }
    const level = d.nomination.at_org?.name ?? ''
    busy.value = true
    try {
      const r = await reviewNomination(d.nomination.id, reviewBody(review))
      ElMessage.success(`${level}审核${review.pass ? '通过' : '不通过'}：${r.nomination.nominee.name}，${r.nomination.status_label}`)
      changed(r)
    } catch (e) {
      errors.apply(e, ['pass', 'on', 'note'])
    } finally {
      busy.value = false
    }
  }

  async function addObjection(body: ObjectionInput) {
    const d = detail.value
    if (d) changed(await postObjection(d.nomination.id, body))
  }
  async function handleObjection(objection_id: number, body: ObjectionHandling) {
    const d = detail.value
    if (d) changed(await postHandling(d.nomination.id, objection_id, body))
  }

  /** Withdraws a nomination or an award, with the reason (kept and marked, never deleted). */
  async function withdraw() {
    const d = detail.value
    if (!d?.nomination.can_withdraw) return
    const label = withdrawLabel(d.nomination.status)
    const awarded = d.nomination.status === 'awarded'
    let reason = ''
    try {
      const r = await ElMessageBox.prompt(
        awarded
          ? `撤销${d.nomination.nominee.name}的“${d.nomination.honour}”称号。撤销后仍保留在荣誉记录中，标注“已撤销”和原因。`
          : `撤回对${d.nomination.nominee.name}的推荐，名额随之释放。`,
        label,
        {
          confirmButtonText: label,
          cancelButtonText: '取消',
          inputPlaceholder: awarded ? '撤销原因，如 受到党内处分' : '撤回原因',
          inputValidator: (v: string) => (v && v.trim() ? true : '请填写原因'),
          type: 'warning',
        },
      )
      reason = r.value.trim()
    } catch {
      return
    }
    withdrawing.value = true
    try {
      const r = await withdrawNomination(d.nomination.id, reason)
      ElMessage.success(`已${label}：${r.nomination.nominee.name}`)
      changed(r)
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      withdrawing.value = false
    }
  }

  return { detail, open, loadError, review, errors, busy, withdrawing, show, set, submitReview, addObjection, handleObjection, withdraw }
}
