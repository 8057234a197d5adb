/**
 * A member checks in to an activity with the code shown at the meeting
 * (prefilled when they came through the QR link). Members cannot read
 * /activities/{id}; what the page shows of the activity comes from /me/activities.
 */
import { computed, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import { fetchMyActivities, type Activity, type Attendee } from '@/api/activities'
import { useSessionStore } from '@/stores/session'
import { CODE_LENGTH, codeFromQuery, normalizeCode } from './checkinLink'
import { CHECKIN_MARGIN_MINUTES, formatRange } from '@/pages/org_life/activities/kinds'

export type CheckinFailure = 'format' | 'window' | 'code' | 'not_attendee' | 'no_member' | 'not_found' | 'other'

export interface CheckinError {
  kind: CheckinFailure
  message: string
}

/** A refusal of POST /activities/{id}/check-in, as something a member can act on. */
export function describeCheckinError(e: unknown): CheckinError {
  if (!(e instanceof ApiError)) return { kind: 'other', message: errorMessage(e) }
  const field = e.fieldError('code') ?? ''
  if (e.status === 422 && field.includes('签到时间')) {
    return { kind: 'window', message: `不在签到时间内：${field}` }
  }
  if (e.status === 422 && field.includes('签到码')) {
    return { kind: 'code', message: '签到码不正确，请核对会场显示的 6 位数字' }
  }
  if (e.status === 403 && e.title.includes('党员档案')) {
    return { kind: 'no_member', message: '当前账号没有关联党员档案，不能签到' }
  }
  if (e.status === 403) {
    return { kind: 'not_attendee', message: e.title.includes('参加人员') ? `${e.title}，如有疑问请联系活动组织者` : e.title }
  }
  if (e.status === 404) return { kind: 'not_found', message: '活动不存在或已取消' }
  return { kind: 'other', message: field || e.summary }
}

export function useCheckin() {
  const route = useRoute()
  const session = useSessionStore()
  const id = computed(() => Number(route.params.id))
  const code = ref(codeFromQuery(route.query))
  const activity = shallowRef<Activity | null>(null)
  const loadingActivity = ref(false)
  const submitting = ref(false)
  const error = shallowRef<CheckinError | null>(null)
  const done = shallowRef<Attendee | null>(null)
  const doneAt = shallowRef<Date | null>(null)
  const hasMember = computed(() => session.user?.member_id != null)

  async function loadActivity() {
    if (!hasMember.value) return
    loadingActivity.value = true
    try {
      const res = await fetchMyActivities()
      activity.value = res.items.find((a) => a.id === id.value) ?? null
    } catch {
      activity.value = null
    } finally {
      loadingActivity.value = false
    }
  }

  async function submit() {
    error.value = null
    const c = normalizeCode(code.value)
    if (!c) {
      error.value = { kind: 'format', message: `请输入 ${CODE_LENGTH} 位数字签到码` }
      return
    }
    code.value = c
    submitting.value = true
    try {
      done.value = await unwrap(api.POST('/activities/{id}/check-in', { params: { path: { id: id.value } }, body: { code: c } }))
      doneAt.value = new Date()
    } catch (e) {
      const err = describeCheckinError(e)
      const a = activity.value
      if (err.kind === 'window' && a) {
        const margin = CHECKIN_MARGIN_MINUTES * 60_000
        const opens = new Date(new Date(a.start_at).getTime() - margin).toISOString()
        const closes = new Date(new Date(a.end_at).getTime() + margin).toISOString()
        err.message = `不在签到时间内：本次活动可在 ${formatRange(opens, closes)} 签到`
      }
      error.value = err
    } finally {
      submitting.value = false
    }
  }

  return { id, code, activity, loadingActivity, submitting, error, done, doneAt, hasMember, loadActivity, submit, margin: CHECKIN_MARGIN_MINUTES }
}
