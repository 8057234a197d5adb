/**
 * Traffic lights (蓝黄红) and duty periods. Blue = done or on track, yellow =
 * the period ends soon and it is not done, red = overdue. They inform; they
 * do not rank anyone.
 */
import type { BoardRow, DutyItem, Light, LightCounts } from '@/api/activities'

export const LIGHTS: Light[] = ['blue', 'yellow', 'red']

export const LIGHT_LABELS: Record<Light, string> = { blue: '蓝灯', yellow: '黄灯', red: '红灯' }
export const LIGHT_MEANING: Record<Light, string> = {
  blue: '已完成或进度正常',
  yellow: '即将到期，尚未完成',
  red: '已逾期未完成',
}
export const LIGHT_COLORS: Record<Light, string> = { blue: '#1f6fd1', yellow: '#e6a700', red: '#d9001b' }

export const DUTY_STATUS_LABELS: Record<string, string> = { done: '已完成', due: '待完成', overdue: '已逾期' }

export const FREQUENCY_LABELS: Record<string, string> = { weekly: '每周', monthly: '每月', quarterly: '每季度', yearly: '每年' }

export function isLight(s: unknown): s is Light {
  return s === 'blue' || s === 'yellow' || s === 'red'
}

type ParsedPeriod =
  | { kind: 'month'; year: number; month: number }
  | { kind: 'quarter'; year: number; quarter: number }
  | { kind: 'year'; year: number }
  | { kind: 'week'; year: number; week: number }

export function parsePeriod(p: string): ParsedPeriod | null {
  let m = /^(\d{4})-(\d{2})$/.exec(p)
  if (m) return { kind: 'month', year: Number(m[1]), month: Number(m[2]) }
  m = /^(\d{4})-Q([1-4])$/.exec(p)
  if (m) return { kind: 'quarter', year: Number(m[1]), quarter: Number(m[2]) }
  m = /^(\d{4})$/.exec(p)
  if (m) return { kind: 'year', year: Number(m[1]) }
  m = /^(\d{4})-W(\d{2})$/.exec(p)
  if (m) return { kind: 'week', year: Number(m[1]), week: Number(m[2]) }
  return null
}

/** Monday of ISO week `week` of `year` (week 1 holds the year's first Thursday). */
function isoWeekMonday(year: number, week: number): Date {
  const jan4 = new Date(year, 0, 4)
  const mondayOfWeek1 = new Date(year, 0, 4 - ((jan4.getDay() + 6) % 7))
  return new Date(mondayOfWeek1.getFullYear(), mondayOfWeek1.getMonth(), mondayOfWeek1.getDate() + (week - 1) * 7)
}

/** First and last day of a period (local dates). */
export function periodBounds(p: string): { start: Date; end: Date } | null {
  const x = parsePeriod(p)
  if (!x) return null
  switch (x.kind) {
    case 'month':
      return { start: new Date(x.year, x.month - 1, 1), end: new Date(x.year, x.month, 0) }
    case 'quarter':
      return { start: new Date(x.year, (x.quarter - 1) * 3, 1), end: new Date(x.year, x.quarter * 3, 0) }
    case 'year':
      return { start: new Date(x.year, 0, 1), end: new Date(x.year, 11, 31) }
    case 'week': {
      const start = isoWeekMonday(x.year, x.week)
      return { start, end: new Date(start.getFullYear(), start.getMonth(), start.getDate() + 6) }
    }
  }
}

/**
 * The board column (1–12) a period counts in: the month of its last day, as
 * the server places it (so a week ending in January of the next year lands in January).
 */
export function periodEndMonth(p: string): number | null {
  const b = periodBounds(p)
  return b ? b.end.getMonth() + 1 : null
}

/**
 * The day a new activity for a missing duty should default to: the period's
 * last day when the period is over (a back-dated recording), else none (today).
 */
export function suggestDate(p: string, now: Date = new Date()): string | undefined {
  const b = periodBounds(p)
  if (!b) return undefined
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate())
  if (b.end >= today) return undefined
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${b.end.getFullYear()}-${pad(b.end.getMonth() + 1)}-${pad(b.end.getDate())}`
}

/** `2026年11月`, `2026年第4季度`, `2026年度`, `2026年第48周（11月23日—29日）`. */
export function periodLabel(p: string): string {
  const x = parsePeriod(p)
  if (!x) return p
  switch (x.kind) {
    case 'month':
      return `${x.year}年${x.month}月`
    case 'quarter':
      return `${x.year}年第${x.quarter}季度`
    case 'year':
      return `${x.year}年度`
    case 'week': {
      const b = periodBounds(p)!
      const s = `${b.start.getMonth() + 1}月${b.start.getDate()}日`
      const e = b.end.getMonth() === b.start.getMonth() ? `${b.end.getDate()}日` : `${b.end.getMonth() + 1}月${b.end.getDate()}日`
      return `${x.year}年第${x.week}周（${s}—${e}）`
    }
  }
}

const SEVERITY: Record<string, number> = { red: 0, yellow: 1, blue: 2 }
const STATUS_ORDER: Record<string, number> = { overdue: 0, due: 1, done: 2 }

/** Not-done first (red, yellow, then on-track), then by rule label. */
export function byUrgency(a: DutyItem, b: DutyItem): number {
  return (
    (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3) ||
    (SEVERITY[a.light] ?? 3) - (SEVERITY[b.light] ?? 3) ||
    a.rule_label.localeCompare(b.rule_label, 'zh-CN')
  )
}

/** The duties behind one board cell: those of `orgId` whose period ends in `month`, missing ones first. */
export function cellDuties(items: DutyItem[], orgId: number, month: number): DutyItem[] {
  return items.filter((d) => d.org_id === orgId && periodEndMonth(d.period) === month).sort(byUrgency)
}

/** Duties of one organisation grouped by period, latest period first. */
export function groupByPeriod(items: DutyItem[]): { period: string; label: string; end: number; items: DutyItem[]; worst: Light }[] {
  const groups = new Map<string, DutyItem[]>()
  for (const d of items) groups.set(d.period, [...(groups.get(d.period) ?? []), d])
  return [...groups.entries()]
    .map(([period, list]) => ({
      period,
      label: periodLabel(period),
      end: periodBounds(period)?.end.getTime() ?? 0,
      items: list.sort(byUrgency),
      worst: worstLight(list.map((d) => d.light)) ?? 'blue',
    }))
    .sort((a, b) => b.end - a.end || a.period.localeCompare(b.period))
}

export function worstLight(lights: (string | null | undefined)[]): Light | null {
  let worst: Light | null = null
  for (const l of lights) {
    if (!isLight(l)) continue
    if (worst === null || SEVERITY[l] < SEVERITY[worst]) worst = l
  }
  return worst
}

/** Lights per month over the given board rows (for the stacked bar chart). */
export function monthTotals(rows: BoardRow[]): LightCounts[] {
  const out: LightCounts[] = Array.from({ length: 12 }, () => ({ blue: 0, yellow: 0, red: 0 }))
  for (const r of rows) {
    for (const c of r.cells) {
      const t = out[c.month - 1]
      if (!t) continue
      t.blue += c.counts.blue
      t.yellow += c.counts.yellow
      t.red += c.counts.red
    }
  }
  return out
}
