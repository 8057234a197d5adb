/**
 * The attendance sheet of one activity: expected attendees (a branch with its
 * received mobile members may have hundreds), filtered and paged on the
 * client, with local edits (出席/请假/缺席 and a reason) sent as one PUT.
 * Members who are away (an open outflow elsewhere) are listed but count in
 * 应到 only once recorded as present or on leave, and bulk marking skips them.
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import type { AttendanceInput, Attendee } from '@/api/activities'

export type AttendanceStatus = 'present' | 'leave' | 'absent'

export interface Draft {
  status: AttendanceStatus | null
  reason: string
}

export interface AttendanceFilter {
  q: string
  /** '' = all, 'none' = not recorded yet. */
  status: '' | AttendanceStatus | 'none'
  receivedOnly: boolean
}

/** Whether a row counts in 应到: everyone but away members not recorded as present or on leave (as the server counts). */
export function countsInExpected(a: Attendee, status: string | null | undefined): boolean {
  return !a.away || status === 'present' || status === 'leave'
}

export function matchesFilter(a: Attendee, status: string | null, f: AttendanceFilter): boolean {
  const q = f.q.trim()
  if (q && !a.name.includes(q) && !a.org_name.includes(q)) return false
  if (f.receivedOnly && !a.received) return false
  if (f.status === 'none') return !status
  if (f.status) return status === f.status
  return true
}

/** The changed rows as the API wants them; a leave needs a reason. */
export function changedItems(attendees: Attendee[], drafts: Map<number, Draft>): { items: AttendanceInput[]; missingReason: string[] } {
  const items: AttendanceInput[] = []
  const missingReason: string[] = []
  for (const a of attendees) {
    const d = drafts.get(a.member_id)
    if (!d || !d.status) continue
    const reason = d.reason.trim()
    if (d.status === a.status && reason === (a.reason ?? '')) continue
    if (d.status === 'leave' && !reason) missingReason.push(a.name)
    items.push({ member_id: a.member_id, status: d.status, reason: reason || null })
  }
  return { items, missingReason }
}

export function useAttendance(activityId: () => number) {
  const attendees = shallowRef<Attendee[]>([])
  const drafts = reactive(new Map<number, Draft>())
  const loading = ref(false)
  const saving = ref(false)
  const error = ref('')
  const filter = reactive<AttendanceFilter>({ q: '', status: '', receivedOnly: false })
  const page = ref(1)
  const perPage = ref(50)

  function draftOf(a: Attendee): Draft {
    let d = drafts.get(a.member_id)
    if (!d) {
      d = { status: (a.status as AttendanceStatus | null) ?? null, reason: a.reason ?? '' }
      drafts.set(a.member_id, d)
    }
    return d
  }

  function reset(list: Attendee[]) {
    attendees.value = list
    drafts.clear()
    for (const a of list) drafts.set(a.member_id, { status: (a.status as AttendanceStatus | null) ?? null, reason: a.reason ?? '' })
  }

  // Filter on the saved status, so that a row being marked does not vanish from "未登记" before saving.
  const filtered = computed(() => attendees.value.filter((a) => matchesFilter(a, a.status ?? null, filter)))
  const pageRows = computed(() => filtered.value.slice((page.value - 1) * perPage.value, page.value * perPage.value))
  const pending = computed(() => changedItems(attendees.value, drafts))
  const dirty = computed(() => pending.value.items.length > 0)
  const counts = computed(() => {
    const c = { expected: 0, present: 0, leave: 0, absent: 0, none: 0, received: 0, away: 0 }
    for (const a of attendees.value) {
      const s = drafts.get(a.member_id)?.status ?? a.status
      if (s === 'present' || s === 'leave' || s === 'absent') c[s]++
      else if (!a.away) c.none++
      if (countsInExpected(a, s)) c.expected++
      if (a.received) c.received++
      if (a.away) c.away++
    }
    return c
  })

  async function load() {
    loading.value = true
    error.value = ''
    try {
      const res = await unwrap(api.GET('/activities/{id}/attendance', { params: { path: { id: activityId() } } }))
      reset(res.items)
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  /** Marks every row not yet recorded (in the current filter) with `status`; away members are left to be marked one by one. */
  function markUnrecorded(status: AttendanceStatus) {
    for (const a of filtered.value) {
      if (a.away) continue
      const d = draftOf(a)
      if (!d.status) d.status = status
    }
  }

  function discard() {
    reset(attendees.value)
  }

  /** Sends the changes; resolves to an error message or '' on success. */
  async function save(): Promise<string> {
    const { items, missingReason } = pending.value
    if (!items.length) return ''
    if (missingReason.length) {
      return `请假须填写原因：${missingReason.slice(0, 5).join('、')}${missingReason.length > 5 ? ` 等 ${missingReason.length} 人` : ''}`
    }
    saving.value = true
    try {
      const res = await unwrap(api.PUT('/activities/{id}/attendance', { params: { path: { id: activityId() } }, body: { items } }))
      reset(res.items)
      return ''
    } catch (e) {
      return e instanceof ApiError ? (Object.values(e.errors)[0]?.join('；') ?? e.summary) : errorMessage(e)
    } finally {
      saving.value = false
    }
  }

  return { attendees, drafts, draftOf, loading, saving, error, filter, page, perPage, filtered, pageRows, dirty, pending, counts, load, markUnrecorded, discard, save }
}
