/**
 * 基金收支 (关爱工程) as figures, a chart and a table: what the fund raised and paid by year, with the
 * balance at each year's end. Money comes as fen and is shown in 万元 derived from integer fen (see
 * ../../money.ts); sums over years are of fen, never of decimals.
 */
import type { FundLedger, FundYear } from '@/api/care'
import { fenToWan, fenToYuan, formatWan, sumFen, wanValue } from '../../money'

const RED = '#c8161d'
const GOLD = '#d4a017'
const BLUE = '#2e86c1'

type Tip = { dataIndex: number }

/** "1909" → "1,909". */
export function count(n: number): string {
  return n.toLocaleString('en-US')
}

/** The figures at the top of the page. */
export function fundSummary(l: FundLedger) {
  return {
    raised_wan: fenToWan(l.raised_fen),
    donations: count(l.donations),
    students: count(l.students),
    disbursed_wan: fenToWan(l.disbursed_fen),
    balance_wan: fenToWan(l.balance_fen),
    balance_yuan: fenToYuan(l.balance_fen),
    balance_fen: l.balance_fen,
  }
}

/** What the years from `from` to `to` (both included) raised and paid, summed from the ledger. */
export function spanTotals(l: FundLedger, from: number, to: number) {
  const ys = l.years.filter((y) => y.year >= from && y.year <= to)
  const raised = sumFen(ys.map((y) => y.raised_fen))
  const paid = sumFen(ys.map((y) => y.disbursed_fen))
  return {
    years: ys.length,
    first: ys[0]?.year ?? null,
    last: ys[ys.length - 1]?.year ?? null,
    raised_fen: raised,
    raised_wan: fenToWan(raised),
    disbursed_wan: fenToWan(paid),
    students: count(ys.reduce((a, y) => a + y.students, 0)),
  }
}

export interface YearRow {
  year: number
  donations: number
  raised_wan: string
  students: number
  disbursed_wan: string
  closing_wan: string
  closing_fen: number
}

function yearRow(y: FundYear): YearRow {
  return {
    year: y.year,
    donations: y.donations,
    raised_wan: fenToWan(y.raised_fen),
    students: y.students,
    disbursed_wan: fenToWan(y.disbursed_fen),
    closing_wan: fenToWan(y.closing_fen),
    closing_fen: y.closing_fen,
  }
}

/** The table by year, the latest first, with its 合计 line (the ledger's totals; the balance now). */
export function yearRows(l: FundLedger): { rows: YearRow[]; total: Record<keyof YearRow, string> } {
  return {
    rows: [...l.years].reverse().map(yearRow),
    total: {
      year: '合计',
      donations: count(l.donations),
      raised_wan: fenToWan(l.raised_fen),
      students: count(l.students),
      disbursed_wan: fenToWan(l.disbursed_fen),
      closing_wan: fenToWan(l.balance_fen),
      closing_fen: String(l.balance_fen),
    },
  }
}

/** The years a report can be made for, the latest first (this year when the ledger is empty). */
export function reportYears(l: FundLedger | null, thisYear: number): number[] {
  const ys = (l?.years ?? []).map((y) => y.year)
  if (!ys.includes(thisYear)) ys.push(thisYear)
  return [...new Set(ys)].sort((a, b) => b - a)
}

/** Raised against paid by year (万元, bars) with the balance at each year's end (万元, line). */
export function fundChart(l: FundLedger) {
  const ys = l.years
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: Tip[]) => {
        const y = ys[ps[0]?.dataIndex ?? 0]
        if (!y) return ''
        return [
          `${y.year} 年`,
          `筹集 ${fenToWan(y.raised_fen)} 万元（${y.donations} 笔）`,
          `资助 ${fenToWan(y.disbursed_fen)} 万元（${count(y.students)} 名学生）`,
          `年末结余 ${fenToWan(y.closing_fen)} 万元`,
        ].join('<br/>')
      },
    },
    legend: { top: 0 },
    grid: { left: 8, right: 64, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: ys.map((y) => `${y.year}`), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: '万元', axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
    series: [
      { name: '筹集', type: 'bar', barMaxWidth: 16, data: ys.map((y) => wanValue(y.raised_fen)), itemStyle: { color: GOLD } },
      { name: '资助支出', type: 'bar', barMaxWidth: 16, data: ys.map((y) => wanValue(y.disbursed_fen)), itemStyle: { color: RED } },
      {
        name: '年末结余',
        type: 'line',
        data: ys.map((y) => wanValue(y.closing_fen)),
        itemStyle: { color: BLUE },
        symbolSize: 5,
        endLabel: { show: true, formatter: (p: { value: number }) => formatWan(p.value), color: BLUE },
      },
    ],
  }
}
