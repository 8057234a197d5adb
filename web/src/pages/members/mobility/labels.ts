/**
 * Code lists of the mobility pages. GET /meta does not send these yet (see
 * NOTES-backend.md), so they mirror honglian_domain::mobility; records from the
 * server carry their own `reason_label` / `kind_label`, which win where present.
 */
import type { CodeLabel } from '@/api/types'

export const OUTFLOW_REASONS: CodeLabel[] = [
  { code: 'work_business', label: '务工经商' },
  { code: 'study', label: '学习' },
  { code: 'follow_family', label: '随迁' },
  { code: 'other', label: '其他' },
]

export const CONTACT_KINDS: CodeLabel[] = [
  { code: 'call', label: '电话' },
  { code: 'visit', label: '走访' },
  { code: 'wechat', label: '微信' },
  { code: 'greeting', label: '节日问候' },
  { code: 'census', label: '摸排' },
  { code: 'return', label: '回归登记' },
  { code: 'self_report', label: '本人报平安' },
]

export function labelIn(list: CodeLabel[], code: string | null | undefined): string {
  if (!code) return ''
  return list.find((x) => x.code === code)?.label ?? code
}

/** Months without contact after which a mobile member counts as lost (the server's default). */
export const LOST_MONTHS = 6

function parseDate(s: string): Date {
  const [y, m, d] = s.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d))
}

function addMonths(d: Date, months: number): Date {
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + months
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last)))
}

/** Today's date in China (YYYY-MM-DD), the calendar the server keeps. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

/** A Date (as the date pickers give it, local midnight) as YYYY-MM-DD. */
export function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** What is known about reaching a member (honglian_domain::members::mobility::Reach). */
export interface Reach {
  /** The newest contact in which the member was reached. */
  lastContact?: string | null
  /** The start of the open outflow, if the member is away. */
  outflowStart?: string | null
  /** The first failed attempt since the last contact (marked unreachable). */
  unreachableSince?: string | null
}

/**
 * The day from which a member has been out of touch (quiet_since on the server): away, the
 * later of the last contact and the outflow start; at home, the last contact or, never reached,
 * the first failed attempt. Null when nothing says the member cannot be reached.
 */
export function quietSince(r: Reach): string | null {
  if (r.outflowStart) return r.lastContact && r.lastContact > r.outflowStart ? r.lastContact : r.outflowStart
  return r.lastContact || r.unreachableSince || null
}

/**
 * The lost-contact rule of honglian_domain::mobility::is_lost: out of touch for `months`
 * calendar months, away or at home. The UI uses it only to decide which actions to offer.
 */
export function isLost(r: Reach, today: string, months = LOST_MONTHS): boolean {
  const since = quietSince(r)
  return !!since && parseDate(today).getTime() >= addMonths(parseDate(since), months).getTime()
}

/** Whole days from one date to another (0 when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((parseDate(to).getTime() - parseDate(from).getTime()) / 86_400_000))
}

/** "3 年 2 个月" style text for a number of days, for 失联 durations. */
export function formatDays(days: number | null | undefined): string {
  if (days == null) return '—'
  if (days < 60) return `${days} 天`
  const months = Math.floor(days / 30.44)
  if (months < 12) return `${days} 天（约 ${months} 个月）`
  const y = Math.floor(months / 12)
  const m = months % 12
  return `${days} 天（约 ${y} 年${m ? ` ${m} 个月` : ''}）`
}

/** 0.6666 → "66.7%"; exact 0 and 1 without decimals. */
export function percent(ratio: number | null | undefined, digits = 1): string {
  if (ratio == null || !Number.isFinite(ratio)) return '—'
  const p = Math.min(1, Math.max(0, ratio)) * 100
  if (p === 0 || p === 100) return `${p}%`
  return `${p.toFixed(digits)}%`
}
