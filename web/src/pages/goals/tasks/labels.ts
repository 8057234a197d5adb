/** Display rules shared by the 重点任务, 目标看板 and 覆盖 pages. */
import type { Light } from '@/api/activities'
import type { Milestone } from '@/api/goals'
import { isLight } from '@/pages/org_life/duties/lights'

export const TASK_STATUS_TYPES: Record<string, 'success' | 'primary' | 'warning' | 'danger' | 'info'> = {
  done: 'success',
  on_plan: 'info',
  behind: 'warning',
  due_soon: 'warning',
  overdue: 'danger',
}

/** The light of a task as sent ("blue" | "yellow" | "red"), or null for anything else. */
export function taskLight(s: string | null | undefined): Light | null {
  return isLight(s) ? s : null
}

/** Hundredths of a percent (8750) → "87.5%"; null (nothing to cover) → "—". */
export function formatRate(r: number | null | undefined): string {
  if (r == null) return '—'
  return `${(r / 100).toFixed(2).replace(/\.?0+$/, '')}%`
}

/** Hundredths of a percent → a number of percent for charts (null → 0). */
export function ratePercent(r: number | null | undefined): number {
  return r == null ? 0 : Math.round(r) / 100
}

export function weightSum(ms: Pick<Milestone, 'weight'>[]): number {
  return ms.reduce((s, m) => s + (Number(m.weight) || 0), 0)
}

/**
 * The client's first checks of a milestone list, worded like the server's
 * (`domain/task.rs`): names, weights 1–100 summing to 100, planned by the deadline.
 */
export function milestoneProblems(ms: Milestone[], deadline: string): string[] {
  const out: string[] = []
  ms.forEach((m, i) => {
    const n = i + 1
    if (!m.title.trim()) out.push(`请填写第 ${n} 个节点的名称`)
    if (!(m.weight >= 1 && m.weight <= 100)) out.push(`第 ${n} 个节点的权重须在 1 至 100 之间`)
    if (!m.planned_on) out.push(`请填写第 ${n} 个节点的计划完成日期`)
    else if (deadline && m.planned_on > deadline) out.push(`第 ${n} 个节点的计划完成日期不能晚于截止日期`)
  })
  const sum = weightSum(ms)
  if (ms.length && sum !== 100) out.push(`各节点权重之和须为 100，现为 ${sum}`)
  return out
}

/** Spreads `total` over `n` weights that sum to it (for "平均分配"): 100 over 3 → 34, 33, 33. */
export function evenWeights(n: number, total = 100): number[] {
  if (n <= 0) return []
  const base = Math.floor(total / n)
  return Array.from({ length: n }, (_, i) => base + (i < total - base * n ? 1 : 0))
}

/** Days from today (local) to a YYYY-MM-DD date: negative when it is past. */
export function daysUntil(date: string, now: Date = new Date()): number {
  const [y, m, d] = date.split('-').map(Number)
  const target = new Date(y, m - 1, d).getTime()
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime()
  return Math.round((target - today) / 86_400_000)
}

export function deadlineHint(date: string, done: boolean, now: Date = new Date()): string {
  if (done) return ''
  const n = daysUntil(date, now)
  if (n < 0) return `逾期 ${-n} 天`
  if (n === 0) return '今天截止'
  return `剩 ${n} 天`
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** `2026-11-28` in local time. */
export function localDay(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** `2026-11-28` → `2026年11月28日`. */
export function dayLabel(s: string | null | undefined): string {
  if (!s) return '—'
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s)
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : s
}

/** `2026-11-28` → `2026.11` (rota terms). */
export function monthLabel(s: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(s)
  return m ? `${m[1]}.${m[2]}` : s
}
