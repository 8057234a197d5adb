/**
 * 党费 on the pages: the year's twelve months as a grid, the months a payment may cover (at most six
 * back; by the quarter only with the branch's consent) and which to preselect, the monthly amount
 * previewed from the brackets while the base is typed, and the summary's chart. The server decides
 * (honglian_domain::party_affairs::dues); these mirror its rules only to show them before saving.
 * Money in integer fen, shown in yuan through ../../hometown/money.ts.
 */
import type { DuesCategory, DuesSummary } from '@/api/dues'
import { fenToYuan, sumFen, yuanToFen } from '@/pages/hometown/money'

/**
 * The parts of the API's views these helpers read. Amounts may be absent: the server sends them only
 * to those who collect the dues and to the member (a monthly amount would give the salary away).
 */
type Fen = number | null | undefined
export interface BaseLike {
  from: string
  monthly_fen?: Fen
  quarterly: boolean
}
export interface MonthLike {
  month: string
  due_fen?: Fen
  paid: boolean
}
export interface PaymentLike {
  months: string[]
  amount_fen?: Fen
  extra_fen?: Fen
}
export interface DuesLike {
  bases: BaseLike[]
  months: MonthLike[]
  payments: PaymentLike[]
  unpaid: string[]
}

/** Fen as yuan with two decimals and thousands separators: 123456 → "1,234.56". */
export function yuan(fen: number | null | undefined): string {
  return fen == null ? '—' : fenToYuan(fen)
}

// ------------------------------------------------------------------ months

/** `YYYY-MM` of a `YYYY-MM-DD` date. */
export function monthOf(date: string): string {
  return date.slice(0, 7)
}

/** `YYYY-MM` moved by `n` months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number)
  const i = y * 12 + (m - 1) + n
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`
}

/** The last month of the month's quarter: 2026-05 → 2026-06. */
export function quarterEnd(month: string): string {
  const m = Number(month.slice(5, 7))
  return `${month.slice(0, 4)}-${String(Math.ceil(m / 3) * 3).padStart(2, '0')}`
}

/** "2026-03" → "2026年3月". */
export function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`
}

/**
 * Months as runs: ["2026-01","2026-02","2026-03","2026-06"] → "2026年1月至3月、2026年6月"
 * (a run across a new year names both years).
 */
export function formatMonths(months: string[]): string {
  const sorted = [...new Set(months)].sort()
  const runs: [string, string][] = []
  for (const m of sorted) {
    const last = runs[runs.length - 1]
    if (last && addMonths(last[1], 1) === m) last[1] = m
    else runs.push([m, m])
  }
  return runs
    .map(([a, b]) => {
      if (a === b) return monthLabel(a)
      if (a.slice(0, 4) === b.slice(0, 4)) return `${monthLabel(a)}至${Number(b.slice(5, 7))}月`
      return `${monthLabel(a)}至${monthLabel(b)}`
    })
    .join('、')
}

/** The base that applies in a month (the latest from that month or before), or null before the first. */
export function baseFor<B extends BaseLike>(bases: B[], month: string): B | null {
  let found: B | null = null
  for (const b of bases) if (b.from <= month && (!found || b.from > found.from)) found = b
  return found
}

/** Every month the member's payments covered. */
export function paidMonths(dues: Pick<DuesLike, 'payments' | 'months'>): Set<string> {
  const out = new Set<string>()
  for (const p of dues.payments) for (const m of p.months) out.add(m)
  for (const m of dues.months) if (m.paid) out.add(m.month)
  return out
}

export type CellState = 'paid' | 'due' | 'open' | 'future' | 'prepaid' | 'none'

export interface MonthCell {
  month: string
  /** 1–12. */
  n: number
  state: CellState
  /** What the month is due (or will be, by the current base); null when nothing is reckoned (or not shown). */
  due_fen: number | null
}

export const CELL_LABELS: Record<CellState, string> = {
  paid: '已交',
  due: '欠缴',
  open: '本月待交',
  future: '未到期',
  prepaid: '已预交',
  none: '不计',
}

/**
 * The twelve months of `year`: paid ✓, behind (a past month unpaid), this month not yet paid (it may
 * still be, without being behind), not yet come (by the base that will apply), paid ahead (by the
 * quarter), or not reckoned (before the first base or the admission).
 */
export function monthGrid(year: number, dues: Pick<DuesLike, 'months' | 'payments' | 'bases'>, thisMonth: string): MonthCell[] {
  const paid = paidMonths(dues)
  const reckoned = new Map(dues.months.map((m) => [m.month, m]))
  return Array.from({ length: 12 }, (_, i) => {
    const month = `${String(year).padStart(4, '0')}-${String(i + 1).padStart(2, '0')}`
    const n = i + 1
    const known = reckoned.get(month)
    if (known) {
      const state: CellState = known.paid || paid.has(month) ? 'paid' : month < thisMonth ? 'due' : 'open'
      return { month, n, state, due_fen: known.due_fen ?? null }
    }
    const base = baseFor(dues.bases, month)
    if (month > thisMonth) {
      return { month, n, state: paid.has(month) ? 'prepaid' : base ? 'future' : 'none', due_fen: base?.monthly_fen ?? null }
    }
    return { month, n, state: paid.has(month) ? 'paid' : 'none', due_fen: null }
  })
}

/** This month is due and not paid yet (not behind: it may still be paid). */
export function thisMonthOpen(dues: Pick<DuesLike, 'months' | 'payments'>, thisMonth: string): boolean {
  const m = dues.months.find((x) => x.month === thisMonth)
  return !!m && !m.paid && !paidMonths(dues).has(thisMonth)
}

/** The last month paid, or null. */
export function lastPaidMonth(dues: Pick<DuesLike, 'payments' | 'months'>): string | null {
  let last: string | null = null
  for (const m of paidMonths(dues)) if (!last || m > last) last = m
  return last
}

/**
 * Where a new base starts by default: this month, or the month after the last one paid (paid months
 * keep the dues they were paid at; the server refuses a base over them).
 */
export function defaultBaseFrom(dues: Pick<DuesLike, 'payments' | 'months'>, thisMonth: string): string {
  const last = lastPaidMonth(dues)
  return last && last >= thisMonth ? addMonths(last, 1) : thisMonth
}

/** What a payment came to (dues and the voluntary extra), or null when the amounts are not shown. */
export function paymentFen(p: PaymentLike): number | null {
  if (p.amount_fen == null) return null
  return p.amount_fen + (p.extra_fen ?? 0)
}

/** The years a member's dues can be looked at: from the first base's to this one, newest first. */
export function duesYears(bases: BaseLike[], thisYear: number): number[] {
  const first = bases.reduce((y, b) => Math.min(y, Number(b.from.slice(0, 4))), thisYear)
  const out: number[] = []
  for (let y = thisYear; y >= Math.max(first, thisYear - 20); y--) out.push(y)
  return out
}

// ------------------------------------------------------------------ arrears

/** The most months a payment may make up: six before the month of payment. */
export const MAX_BACK_MONTHS = 6
export const WARN_MONTHS = 3
export const ACT_MONTHS = 6

export type ArrearsLevel = 'none' | 'behind' | 'warn' | 'act'

export function arrearsLevel(d: { unpaid: string[]; warn: boolean; act: boolean }): ArrearsLevel {
  if (d.act) return 'act'
  if (d.warn) return 'warn'
  return d.unpaid.length ? 'behind' : 'none'
}

// ------------------------------------------------------------------ a payment

export interface PayableMonth {
  month: string
  due_fen: number | null
  paid: boolean
  /** After the month of payment (paid ahead by the quarter). */
  ahead: boolean
}

export interface Payable {
  options: PayableMonth[]
  /** Unpaid months too far back to be made up (more than six before the month of payment). */
  tooOld: string[]
  /** The branch allows paying by the quarter (future months up to the quarter's end). */
  quarterly: boolean
  /** The last month that may be paid ahead. */
  until: string
}

/**
 * The months a payment made on `paidOn` may cover, as the server checks them: from six months
 * before the month of payment, not before the first base, to that month — or, when the base that
 * applies allows it, to the end of its quarter. Months already paid are listed (to show them) but marked.
 */
export function payableMonths(dues: DuesLike, paidOn: string): Payable {
  const now = monthOf(paidOn)
  const from = addMonths(now, -MAX_BACK_MONTHS)
  const sorted = [...dues.bases].sort((a, b) => a.from.localeCompare(b.from))
  const applying = baseFor(sorted, now) ?? sorted[0] ?? null
  const quarterly = !!applying?.quarterly
  const until = quarterly ? quarterEnd(now) : now
  const paid = paidMonths(dues)
  const options: PayableMonth[] = []
  for (let m = from; m <= until; m = addMonths(m, 1)) {
    const base = baseFor(sorted, m)
    if (!base) continue
    options.push({ month: m, due_fen: base.monthly_fen ?? null, paid: paid.has(m), ahead: m > now })
  }
  return { options, tooOld: dues.unpaid.filter((m) => m < from).sort(), quarterly, until }
}

/** What to tick when the dialog opens: every unpaid month that may be made up and this one (none ahead), oldest first. */
export function preselect(p: Payable): string[] {
  return p.options.filter((o) => !o.paid && !o.ahead).map((o) => o.month)
}

/** The dues of the chosen months (fen, exact). */
export function selectedFen(p: Payable, chosen: string[]): number {
  return sumFen(p.options.filter((o) => chosen.includes(o.month)).map((o) => o.due_fen))
}

/** A payment may be recorded up to this many days after it was made. */
export const LATE_ENTRY_DAYS = 60

/** The earliest day a payment recorded `today` may have been made (`YYYY-MM-DD`). */
export function earliestPaidOn(today: string): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - LATE_ENTRY_DAYS * 86_400_000).toISOString().slice(0, 10)
}

/** A voluntary extra of 1,000 yuan or more in one payment is remitted in full to the Central Committee. */
export const REMIT_TO_CENTRE_FEN = 100_000

/** Whether the server will mark the payment 全额上缴中央: its voluntary extra (自愿多交) is 1,000 yuan or more. */
export function remittedToCentre(extraFen: number): boolean {
  return extraFen >= REMIT_TO_CENTRE_FEN
}

// ------------------------------------------------------------------ the base

/** The rate in basis points (1 % = 100) for a monthly base in fen; upper bounds inclusive. */
export function rateOf(category: DuesCategory, baseFen: number): number | null {
  const y = (yuan: number) => yuan * 100
  if (category === 'employed') {
    if (baseFen <= y(3000)) return 50
    if (baseFen <= y(5000)) return 100
    if (baseFen <= y(10000)) return 150
    return 200
  }
  if (category === 'retired') return baseFen <= y(5000) ? 50 : 100
  return null
}

/** The brackets as the rules word them, for the form's help. */
export const BRACKETS: { category: string; rows: string[] }[] = [
  { category: '在职', rows: ['3,000 元及以下 0.5%', '3,000 元以上至 5,000 元 1%', '5,000 元以上至 10,000 元 1.5%', '10,000 元以上 2%'] },
  { category: '离退休', rows: ['5,000 元及以下 0.5%', '5,000 元以上 1%'] },
  { category: '农民', rows: ['每月 0.2 元至 1 元'] },
  { category: '学生、下岗失业、依靠抚恤或救济生活', rows: ['每月 0.2 元'] },
]

function bracketText(category: DuesCategory, baseFen: number): string {
  const pct = `${(rateOf(category, baseFen) ?? 0) / 100}%`
  if (category === 'retired') return baseFen <= 500_000 ? `5,000 元及以下 ${pct}` : `5,000 元以上 ${pct}`
  if (baseFen <= 300_000) return `3,000 元及以下 ${pct}`
  if (baseFen <= 500_000) return `3,000 元以上至 5,000 元 ${pct}`
  if (baseFen <= 1_000_000) return `5,000 元以上至 10,000 元 ${pct}`
  return `10,000 元以上 ${pct}`
}

export type Preview = { fen: number; rule: string } | { error: string } | null

/**
 * The monthly dues as the server will reckon them, while the form is typed: the base × the bracket's
 * rate rounded half up to the fen; a farmer's chosen 0.2–1 yuan; 0.2 yuan for the others. null while
 * nothing is typed yet.
 */
export function previewMonthly(category: DuesCategory | '' | null, base: string, farmer: string): Preview {
  if (!category) return null
  if (category === 'employed' || category === 'retired') {
    if (!base.trim()) return null
    const fen = yuanToFen(base)
    if (fen == null) return { error: '请填写金额，如 4000 或 4,000.50' }
    const bp = rateOf(category, fen) ?? 0
    return { fen: Math.floor((fen * bp + 5000) / 10000), rule: bracketText(category, fen) }
  }
  if (category === 'farmer') {
    if (!farmer.trim()) return null
    const fen = yuanToFen(farmer)
    if (fen == null || fen < 20 || fen > 100) return { error: '农民党员每月交纳 0.2 元至 1 元' }
    return { fen, rule: '农民党员每月 0.2 元至 1 元' }
  }
  return { fen: 20, rule: '每月 0.2 元' }
}

// ------------------------------------------------------------------ the summary

/** Paid of due as a percentage with one decimal ("—" when nothing is due). */
export function paidRate(paid: number, due: number): string {
  if (!due) return '—'
  return `${(Math.floor((paid * 1000) / due) / 10).toFixed(1)}%`
}

/** "广州吴川商会党支部" → "广州吴川商会"; "黄坡镇黄坡村第七党支部" → "黄坡镇黄坡村第七" (an axis label). */
export function shortOrg(name: string): string {
  return name.replace(/(联合)?党(总)?支部$/, '') || name
}

/** Whole-scope counts for the top of the summary. */
export function summaryTotals(s: DuesSummary) {
  return {
    due: yuan(s.due_fen),
    paid: yuan(s.paid_fen),
    unpaid: yuan(Math.max(0, s.due_fen - s.paid_fen)),
    rate: paidRate(s.paid_fen, s.due_fen),
    members: s.rows.reduce((n, r) => n + r.members, 0),
    withoutBase: s.rows.reduce((n, r) => n + r.without_base, 0),
    warned: s.warned,
    toAct: s.to_act,
  }
}

/** Yuan as a chart value, from the exact two-decimal text. */
function yuanValue(fen: number): number {
  return Number(fenToYuan(fen).replace(/,/g, ''))
}

const RED = '#c8161d'
const GOLD = '#d4a017'

type Tip = { dataIndex: number }

/**
 * Due against paid (yuan) for each branch with dues reckoned, in the summary's order (never ranked).
 * With many branches the chart scrolls (dataZoom) rather than squeezing the labels.
 */
export function summaryChart(s: DuesSummary, visible = 12) {
  const rows = s.rows.filter((r) => r.due_fen > 0 || r.paid_fen > 0)
  const many = rows.length > visible
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: Tip[]) => {
        const r = rows[ps[0]?.dataIndex ?? 0]
        if (!r) return ''
        const behind = r.warned || r.to_act ? `<br/>欠缴 3 个月以上 ${r.warned + r.to_act} 人${r.to_act ? `（其中连续 6 个月以上 ${r.to_act} 人）` : ''}` : ''
        return `${r.org.name}<br/>应交 ${yuan(r.due_fen)} 元<br/>已交 ${yuan(r.paid_fen)} 元（${paidRate(r.paid_fen, r.due_fen)}）${behind}`
      },
    },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: many ? 40 : 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: rows.map((r) => shortOrg(r.org.name)),
      axisTick: { show: false },
      axisLabel: { interval: 0, width: 84, overflow: 'break', lineHeight: 14 },
    },
    yAxis: { type: 'value', name: '元', axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
    dataZoom: many ? [{ type: 'slider', xAxisIndex: 0, startValue: 0, endValue: visible - 1, height: 16, bottom: 8, brushSelect: false }] : [],
    series: [
      { name: '应交', type: 'bar', barMaxWidth: 22, data: rows.map((r) => yuanValue(r.due_fen)), itemStyle: { color: GOLD } },
      { name: '已交', type: 'bar', barMaxWidth: 22, data: rows.map((r) => yuanValue(r.paid_fen)), itemStyle: { color: RED } },
    ],
  }
}
