/**
 * Display rules of 党建品牌, 评比与述职 and 以奖代补: money in fen, points and totals in
 * hundredths, quarters, status tags. Integer arithmetic only: money is never a float.
 */

/** 1000000 fen → "10,000.00" (yuan, thousands separated). */
export function fenToYuan(fen: number): string {
  const neg = fen < 0
  const abs = Math.abs(Math.trunc(fen))
  const yuan = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  return `${neg ? '-' : ''}${yuan.toLocaleString('en-US')}.${cents}`
}

/**
 * Yuan text as typed ("6000", "6,000.5", "6000.00") → fen, or null when it is not an amount
 * with at most two decimals. Parsed digit by digit so that 0.1 + 0.2 stays 30 fen.
 */
export function yuanToFen(text: string): number | null {
  const s = text.trim().replace(/[,，\s]/g, '')
  const m = /^(\d{1,12})(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

/** Hundredths of a point (8750) → "87.50". */
export function hundredths(n: number | null | undefined): string {
  if (n == null) return '—'
  const abs = Math.abs(Math.trunc(n))
  return `${n < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** The quarter a day falls in: 2026-11-27 → "2026-Q4". */
export function quarterOf(d: Date = new Date()): string {
  return `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`
}

export function isQuarter(s: string): boolean {
  return /^\d{4}-Q[1-4]$/.test(s.trim())
}

export type TagType = 'success' | 'primary' | 'warning' | 'danger' | 'info'

export const BRAND_STATUS_TYPES: Record<string, TagType> = { planning: 'info', in_progress: 'warning', done: 'success' }
export const GRANT_STATUS_TYPES: Record<string, TagType> = { proposed: 'warning', approved: 'primary', disbursed: 'success' }
export const EVALUATION_STATUS: Record<string, { label: string; type: TagType }> = {
  open: { label: '评分中', type: 'warning' },
  closed: { label: '已结束', type: 'info' },
}

export const REVIEW_RATINGS: { value: string; label: string; type: TagType }[] = [
  { value: 'excellent', label: '好', type: 'success' },
  { value: 'good', label: '较好', type: 'primary' },
  { value: 'fair', label: '一般', type: 'warning' },
  { value: 'poor', label: '差', type: 'danger' },
]

export function ratingType(rating: string): TagType {
  return REVIEW_RATINGS.find((r) => r.value === rating)?.type ?? 'info'
}

/** The five parts of a grant score, in the order of the criteria. */
export const GRANT_PARTS = [
  { key: 'coverage', label: '两个覆盖', hint: '覆盖的两新组织占台账的比例' },
  { key: 'duties', label: '组织生活', hint: '组织生活考核为蓝灯的比例' },
  { key: 'tasks', label: '重点任务', hint: '牵头的重点任务完成的比例' },
  { key: 'brand', label: '党建品牌', hint: '登记的党建品牌建成的比例' },
  { key: 'manual', label: '人工评分', hint: '评审组的综合评价' },
] as const

export type GrantPart = (typeof GRANT_PARTS)[number]['key']

/** Done / total of a checklist, as a whole percent. */
export function checklistPercent(items: { done?: boolean }[]): number {
  if (!items.length) return 0
  return Math.round((items.filter((i) => i.done).length * 100) / items.length)
}
