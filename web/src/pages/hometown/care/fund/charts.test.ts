import { describe, expect, it } from 'vitest'
import type { FundLedger, FundYear } from '@/api/care'
import { count, fundChart, fundSummary, reportYears, spanTotals, yearRows } from './charts'

const year = (y: number, raised_fen: number, disbursed_fen: number, students: number, closing_fen: number, donations = 1): FundYear => ({
  year: y,
  donations,
  raised_fen,
  students,
  disbursed_fen,
  closing_fen,
})

// 0.1 万元 and 0.2 万元 raised (100,000 and 200,000 fen): as decimals 0.1 + 0.2 = 0.30000000000000004.
const ledger: FundLedger = {
  years: [
    year(2004, 100_000, 0, 0, 100_000),
    year(2005, 200_000, 50_000, 1, 250_000, 2),
    year(2006, 0, 0, 0, 250_000, 0),
    year(2022, 42_000_000, 35_000_000, 160, 7_250_000, 6),
  ],
  raised_fen: 42_300_000,
  disbursed_fen: 35_050_000,
  donations: 9,
  students: 161,
  balance_fen: 7_250_000,
}

describe('基金收支 figures', () => {
  it('shows the totals in 万元 and the balance exactly in yuan', () => {
    expect(fundSummary(ledger)).toEqual({
      raised_wan: '42.30',
      donations: '9',
      students: '161',
      disbursed_wan: '35.05',
      balance_wan: '7.25',
      balance_yuan: '72,500.00',
      balance_fen: 7_250_000,
    })
    expect(count(1909)).toBe('1,909')
  })

  it('sums a span of years from their fen, not their decimals', () => {
    const seed = spanTotals(ledger, 2004, 2021)
    expect(seed).toMatchObject({ years: 3, first: 2004, last: 2006, raised_fen: 300_000, raised_wan: '0.30', disbursed_wan: '0.05', students: '1' })
    expect(spanTotals(ledger, 2030, 2031)).toMatchObject({ years: 0, first: null, raised_wan: '0.00', students: '0' })
  })

  it("sums the seed's eighteen years to 473.92 万元 and 1,909 students", () => {
    // As the demo splits them: weights 10, 12, … 44 over 2004–2021, in whole yuan, the rest on the last.
    const weights = Array.from({ length: 18 }, (_, i) => 10 + 2 * i)
    const sum = weights.reduce((a, b) => a + b, 0)
    const split = (total: number) => {
      const out = weights.map((w) => Math.floor((total * w) / sum / 100) * 100)
      out[17] += total - out.reduce((a, b) => a + b, 0)
      return out
    }
    const raised = split(473_920_000)
    const students = split(190_900).map((s) => s / 100)
    let closing = 0
    const years = raised.map((r, i) => year(2004 + i, r, 0, students[i], (closing += r)))
    const l: FundLedger = { ...ledger, years: [...years, year(2022, 42_000_000, 0, 160, closing + 42_000_000)] }
    expect(spanTotals(l, 2004, 2021)).toMatchObject({ years: 18, raised_wan: '473.92', students: '1,909' })
  })

  it('lists the years latest first with a 合计 line of the totals', () => {
    const t = yearRows(ledger)
    expect(t.rows.map((r) => r.year)).toEqual([2022, 2006, 2005, 2004])
    expect(t.rows[0]).toEqual({ year: 2022, donations: 6, raised_wan: '42.00', students: 160, disbursed_wan: '35.00', closing_wan: '7.25', closing_fen: 7_250_000 })
    expect(t.total).toMatchObject({ year: '合计', donations: '9', raised_wan: '42.30', students: '161', disbursed_wan: '35.05', closing_wan: '7.25' })
  })

  it('offers a report for every year of the ledger and this year, the latest first', () => {
    expect(reportYears(ledger, 2026)).toEqual([2026, 2022, 2006, 2005, 2004])
    expect(reportYears(null, 2026)).toEqual([2026])
  })
})

describe('基金收支 chart', () => {
  it('draws raised and paid as bars and the closing balance as a line, in 万元', () => {
    const o = fundChart(ledger)
    expect(o.xAxis.data).toEqual(['2004', '2005', '2006', '2022'])
    expect(o.series.map((s) => [s.name, s.type])).toEqual([
      ['筹集', 'bar'],
      ['资助支出', 'bar'],
      ['年末结余', 'line'],
    ])
    expect(o.series[0].data).toEqual([0.1, 0.2, 0, 42])
    expect(o.series[1].data).toEqual([0, 0.05, 0, 35])
    expect(o.series[2].data).toEqual([0.1, 0.25, 0.25, 7.25])
  })

  it('tells a year in the tooltip', () => {
    const tip = fundChart(ledger).tooltip.formatter([{ dataIndex: 1 }])
    expect(tip).toBe('2005 年<br/>筹集 0.20 万元（2 笔）<br/>资助 0.05 万元（1 名学生）<br/>年末结余 0.25 万元')
  })
})
