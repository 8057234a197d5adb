/**
 * Activity kinds, statuses and their colours. The codes are the generated
 * `ActivityKind` enum; /meta does not list them yet, so the labels mirror the
 * backend's (crates/domain/src/duty.rs) and a view's `kind_label` wins where one is at hand.
 */
import type { ActivityKind } from '@/api/activities'

export interface KindInfo {
  code: ActivityKind
  label: string
  /** Calendar chip colour. */
  color: string
}

export interface KindGroup {
  label: string
  kinds: KindInfo[]
}

export const KIND_GROUPS: KindGroup[] = [
  {
    label: '三会一课',
    kinds: [
      { code: 'member_assembly', label: '党员大会', color: '#c8161d' },
      { code: 'committee_meeting', label: '支委会', color: '#e6612e' },
      { code: 'group_meeting', label: '党小组会', color: '#d48806' },
      { code: 'party_lecture', label: '党课', color: '#7b3fb6' },
    ],
  },
  {
    label: '主题党日与组织生活会',
    kinds: [
      { code: 'theme_day', label: '主题党日', color: '#1f6fd1' },
      { code: 'life_meeting', label: '组织生活会', color: '#0e8a7e' },
      { code: 'appraisal', label: '民主评议', color: '#3a8f3a' },
    ],
  },
  {
    label: '学习与实践',
    kinds: [
      { code: 'observation', label: '观摩交流', color: '#5b6bbf' },
      { code: 'training', label: '党性锻炼', color: '#a0522d' },
      { code: 'course', label: '培训班', color: '#2f7fa0' },
      { code: 'volunteer', label: '志愿服务', color: '#c2185b' },
    ],
  },
  {
    label: '党建共同体工作制度',
    kinds: [
      { code: 'weekly_meeting', label: '周例会', color: '#607d8b' },
      { code: 'supervision', label: '月督导', color: '#6d4c41' },
      { code: 'evaluation', label: '季评比', color: '#8d6e63' },
      { code: 'annual_report', label: '年述职', color: '#455a64' },
    ],
  },
  { label: '其他', kinds: [{ code: 'other', label: '其他', color: '#909399' }] },
]

export const KINDS: KindInfo[] = KIND_GROUPS.flatMap((g) => g.kinds)

export function kindLabel(code: string | null | undefined): string {
  return KINDS.find((k) => k.code === code)?.label ?? code ?? ''
}

export function kindColor(code: string | null | undefined): string {
  return KINDS.find((k) => k.code === code)?.color ?? '#909399'
}

export function isKind(code: unknown): code is ActivityKind {
  return typeof code === 'string' && KINDS.some((k) => k.code === code)
}

export const STATUS_LABELS: Record<string, string> = {
  active: '正常',
  pending_approval: '补录待审批',
  rejected: '补录未批准',
  cancelled: '已取消',
}

export const STATUS_TAG: Record<string, 'success' | 'warning' | 'danger' | 'info' | 'primary'> = {
  active: 'success',
  pending_approval: 'warning',
  rejected: 'danger',
  cancelled: 'info',
}

export function statusLabel(s: string | null | undefined): string {
  return (s && STATUS_LABELS[s]) || s || ''
}

export const ATTENDANCE_LABELS: Record<string, string> = {
  present: '出席',
  leave: '请假',
  absent: '缺席',
}

export const ATTENDANCE_TAG: Record<string, 'success' | 'warning' | 'danger' | 'info'> = {
  present: 'success',
  leave: 'warning',
  absent: 'danger',
}

export function attendanceLabel(s: string | null | undefined): string {
  return (s && ATTENDANCE_LABELS[s]) || (s ? s : '未登记')
}

export const VIA_LABELS: Record<string, string> = {
  code: '签到码签到',
  manual: '人工登记',
}

/** Recording an activity that ended more than this many days ago needs a county admin's approval (backend default). */
export const BACKDATE_DAYS = 7

/** Check-in opens this long before the start and closes this long after the end (backend constant). */
export const CHECKIN_MARGIN_MINUTES = 30

/** Whether now lies in the check-in window of an activity. */
export function checkinWindow(startAt: string, endAt: string, now: Date = new Date()): 'before' | 'open' | 'after' {
  const margin = CHECKIN_MARGIN_MINUTES * 60_000
  const t = now.getTime()
  if (t < new Date(startAt).getTime() - margin) return 'before'
  if (t > new Date(endAt).getTime() + margin) return 'after'
  return 'open'
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `2026-11-27 19:00–21:00` (same day) or `2026-11-27 19:00 至 2026-11-28 12:00`, in local time. */
export function formatRange(startAt: string, endAt: string): string {
  const s = new Date(startAt)
  const e = new Date(endAt)
  const day = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  const time = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`
  if (Number.isNaN(s.getTime()) || Number.isNaN(e.getTime())) return `${startAt} 至 ${endAt}`
  if (day(s) === day(e)) return `${day(s)} ${time(s)}–${time(e)}`
  return `${day(s)} ${time(s)} 至 ${day(e)} ${time(e)}`
}

/** `19:00` in local time. */
export function formatClock(iso: string): string {
  const d = new Date(iso)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** Local calendar date `YYYY-MM-DD` of a Date. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** A route query from filter values: empty ones dropped, the rest as strings. */
export function routeQuery(q: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(q)) {
    if (v === '' || v === null || v === undefined || Array.isArray(v)) continue
    out[k] = String(v)
  }
  return out
}
