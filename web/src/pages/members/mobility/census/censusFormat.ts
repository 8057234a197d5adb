/** Census (摸排) display helpers: quarters, default names, progress colours and chart rows. */
import type { Campaign, OrgProgress } from '@/api/types'
import { percent } from '../labels'

const CN = ['一', '二', '三', '四']

/** "2026-Q4" for a date string YYYY-MM-DD. */
export function quarterOf(date: string): string {
  const [y, m] = date.split('-').map(Number)
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`
}

/** The quarter `n` quarters after (negative: before) `period`. */
export function shiftQuarter(period: string, n: number): string {
  const y = Number(period.slice(0, 4))
  const q = Number(period.slice(6)) - 1 + n
  return `${y + Math.floor(q / 4)}-Q${(((q % 4) + 4) % 4) + 1}`
}

export function quarterLabel(period: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(period)
  return m ? `${m[1]}年第${CN[Number(m[2]) - 1]}季度` : period
}

/** The periods a new census may be for: the previous, current and next quarter. */
export function periodOptions(today: string): { value: string; label: string }[] {
  const now = quarterOf(today)
  return [1, 0, -1].map((n) => shiftQuarter(now, n)).map((p) => ({ value: p, label: quarterLabel(p) }))
}

export function defaultCampaignName(period: string): string {
  return `${quarterLabel(period)}流动党员摸排`
}

/** el-progress status: done is success; a closed campaign that stopped short is a warning. */
export function progressStatus(c: Pick<Campaign, 'completion' | 'status'>): '' | 'success' | 'warning' {
  if (c.completion >= 1) return 'success'
  if (c.status === 'closed') return 'warning'
  return ''
}

/** "2649 / 3974（66.7%）". */
export function progressText(p: Pick<OrgProgress, 'verified' | 'total' | 'completion'>): string {
  return `${p.verified} / ${p.total}（${percent(p.completion)}）`
}

export interface CompletionRow {
  org_id: number
  name: string
  /** Percent, one decimal (0–100). */
  value: number
  verified: number
  total: number
}

/** Rows of the per-organisation chart, least complete first (those need attention). */
export function completionRows(byOrg: OrgProgress[]): CompletionRow[] {
  return byOrg
    .filter((p) => p.total > 0)
    .map((p) => ({ org_id: p.org_id, name: p.org_name, value: Math.round(p.completion * 1000) / 10, verified: p.verified, total: p.total }))
    .sort((a, b) => a.value - b.value || b.total - a.total || a.name.localeCompare(b.name, 'zh'))
}
