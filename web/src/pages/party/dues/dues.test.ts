import { describe, expect, it } from 'vitest'
import type { DuesBase, DuesSummary, MemberDues } from '@/api/dues'
import {
  addMonths,
  arrearsLevel,
  baseFor,
  defaultBaseFrom,
  duesYears,
  earliestPaidOn,
  lastPaidMonth,
  formatMonths,
  monthGrid,
  monthLabel,
  paidRate,
  payableMonths,
  paymentFen,
  preselect,
  previewMonthly,
  quarterEnd,
  rateOf,
  remittedToCentre,
  selectedFen,
  shortOrg,
  summaryChart,
  summaryTotals,
  thisMonthOpen,
  yuan,
} from './dues'

const base = (from: string, monthly_fen: number, quarterly = false): DuesBase => ({
  from,
  category: 'employed',
  category_label: '在职（按工资收入）',
  monthly_fen,
  base: null,
  quarterly,
})

function dues(over: Partial<MemberDues> = {}): MemberDues {
  return {
    member_id: 1,
    name: '郑婷',
    current: null,
    bases: [],
    months: [],
    unpaid: [],
    unpaid_fen: 0,
    months_behind: 0,
    warn: false,
    act: false,
    payments: [],
    can_collect: true,
    can_set_base: true,
    ...over,
  }
}

const pay = (months: string[], amount_fen = 0) => ({
  id: months.length,
  months,
  amount_fen,
  extra_fen: 0,
  paid_on: '2026-01-10',
  method: '现金',
  collected_by: { id: 3, name: '广州吴川商会党支部' },
  remitted: false,
  note: '',
  recorded_by_name: '组织委员',
})

describe('党费 money and months', () => {
  it('shows fen as yuan with two decimals and thousands separators', () => {
    expect(yuan(4000)).toBe('40.00')
    expect(yuan(20)).toBe('0.20')
    expect(yuan(123_456_789)).toBe('1,234,567.89')
    expect(yuan(0)).toBe('0.00')
    expect(yuan(null)).toBe('—')
  })

  it('moves months across years and finds the quarter', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12')
    expect(addMonths('2026-07', -6)).toBe('2026-01')
    expect(addMonths('2026-03', -6)).toBe('2025-09')
    expect(addMonths('2026-12', 1)).toBe('2027-01')
    expect(quarterEnd('2026-01')).toBe('2026-03')
    expect(quarterEnd('2026-05')).toBe('2026-06')
    expect(quarterEnd('2026-12')).toBe('2026-12')
    expect(monthLabel('2026-03')).toBe('2026年3月')
  })

  it('words months as runs', () => {
    expect(formatMonths(['2026-03', '2026-01', '2026-02', '2026-06'])).toBe('2026年1月至3月、2026年6月')
    expect(formatMonths(['2025-11', '2025-12', '2026-01'])).toBe('2025年11月至2026年1月')
    expect(formatMonths(['2026-12'])).toBe('2026年12月')
    expect(formatMonths([])).toBe('')
  })

  it('finds the base that applies in a month', () => {
    const bases = [base('2026-07', 9000), base('2026-01', 4000)]
    expect(baseFor(bases, '2025-12')).toBeNull()
    expect(baseFor(bases, '2026-01')?.monthly_fen).toBe(4000)
    expect(baseFor(bases, '2026-06')?.monthly_fen).toBe(4000)
    expect(baseFor(bases, '2026-07')?.monthly_fen).toBe(9000)
    expect(baseFor(bases, '2027-03')?.monthly_fen).toBe(9000)
  })
})

describe('the year as a grid of twelve months', () => {
  it('marks paid, behind, this month open, future, paid ahead and not reckoned', () => {
    const d = dues({
      bases: [base('2026-03', 4000, true)],
      months: [
        { month: '2026-03', due_fen: 4000, paid: true },
        { month: '2026-04', due_fen: 4000, paid: true },
        { month: '2026-05', due_fen: 4000, paid: false },
        { month: '2026-06', due_fen: 4000, paid: false },
      ],
      payments: [pay(['2026-03', '2026-04']), pay(['2026-07'])],
    })
    const g = monthGrid(2026, d, '2026-06')
    expect(g).toHaveLength(12)
    expect(g.map((c) => c.state)).toEqual(['none', 'none', 'paid', 'paid', 'due', 'open', 'prepaid', 'future', 'future', 'future', 'future', 'future'])
    expect(g[0]).toMatchObject({ month: '2026-01', n: 1, due_fen: null })
    expect(g[4].due_fen).toBe(4000)
    expect(g[7].due_fen).toBe(4000)
    expect(thisMonthOpen(d, '2026-06')).toBe(true)
    expect(thisMonthOpen(d, '2026-04')).toBe(false)
  })

  it('leaves the amounts out when the server does not show them', () => {
    const hidden = dues({
      bases: [{ ...base('2026-01', 0), monthly_fen: null }],
      months: [{ month: '2026-01', due_fen: null, paid: true }],
    })
    const g = monthGrid(2026, hidden, '2026-03')
    expect(g[0]).toMatchObject({ state: 'paid', due_fen: null })
    expect(g[5]).toMatchObject({ state: 'future', due_fen: null })
    expect(paymentFen({ months: ['2026-01'], amount_fen: null, extra_fen: null })).toBeNull()
    expect(paymentFen({ months: ['2026-01'], amount_fen: 4000, extra_fen: 1000 })).toBe(5000)
    expect(paymentFen({ months: ['2026-01'], amount_fen: 4000 })).toBe(4000)
  })

  it('shows nothing reckoned without a base, and a past year as it was', () => {
    expect(monthGrid(2026, dues(), '2026-12').every((c) => c.state === 'none')).toBe(true)
    const past = dues({ bases: [base('2025-01', 2000)], months: [{ month: '2025-12', due_fen: 2000, paid: false }] })
    expect(monthGrid(2025, past, '2026-12')[11]).toMatchObject({ state: 'due', due_fen: 2000 })
    expect(monthGrid(2027, past, '2026-12')[0]).toMatchObject({ state: 'future', due_fen: 2000 })
  })

  it('starts a new base after the months already paid', () => {
    expect(defaultBaseFrom(dues(), '2026-12')).toBe('2026-12')
    expect(defaultBaseFrom(dues({ payments: [pay(['2026-10', '2026-11'])] }), '2026-12')).toBe('2026-12')
    expect(defaultBaseFrom(dues({ payments: [pay(['2026-11', '2026-12'])] }), '2026-12')).toBe('2027-01')
    expect(defaultBaseFrom(dues({ payments: [pay(['2026-12', '2027-01', '2027-02'])] }), '2026-12')).toBe('2027-03')
    expect(lastPaidMonth(dues())).toBeNull()
  })

  it('offers the years from the first base', () => {
    expect(duesYears([], 2026)).toEqual([2026])
    expect(duesYears([base('2024-05', 1), base('2026-01', 1)], 2026)).toEqual([2026, 2025, 2024])
  })
})

describe('a payment: the months it may cover and the ones preselected', () => {
  it('offers six months back from the month of payment, not before the first base; the older are too old', () => {
    const d = dues({
      bases: [base('2025-10', 4000)],
      unpaid: ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'],
    })
    const p = payableMonths(d, '2026-07-15')
    expect(p.options.map((o) => o.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'])
    expect(p.tooOld).toEqual(['2025-10', '2025-11', '2025-12'])
    expect(p.quarterly).toBe(false)
    expect(p.until).toBe('2026-07')
    expect(preselect(p)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'])
  })

  it('marks a voluntary extra of 1,000 yuan or more for the Central Committee, not months of dues', () => {
    expect(remittedToCentre(99_999)).toBe(false)
    expect(remittedToCentre(100_000)).toBe(true)
  })

  it('takes payments made in the last 60 days', () => {
    expect(earliestPaidOn('2026-12-07')).toBe('2026-10-08')
    expect(earliestPaidOn('2026-03-01')).toBe('2025-12-31')
  })

  it('lists months already paid but never preselects them', () => {
    const d = dues({
      bases: [base('2026-11', 4000)],
      unpaid: ['2026-12'],
      payments: [pay(['2026-11'], 4000)],
      months: [
        { month: '2026-11', due_fen: 4000, paid: true },
        { month: '2026-12', due_fen: 4000, paid: false },
      ],
    })
    const p = payableMonths(d, '2026-12-07')
    expect(p.options).toEqual([
      { month: '2026-11', due_fen: 4000, paid: true, ahead: false },
      { month: '2026-12', due_fen: 4000, paid: false, ahead: false },
    ])
    expect(preselect(p)).toEqual(['2026-12'])
  })

  it('offers the rest of the quarter only with the branch’s consent, and does not tick it', () => {
    const monthly = dues({ bases: [base('2026-01', 3000)], unpaid: ['2026-04'] })
    expect(payableMonths(monthly, '2026-04-02').options.at(-1)?.month).toBe('2026-04')
    const quarterly = dues({ bases: [base('2026-01', 3000, true)], unpaid: ['2026-04'], payments: [pay(['2026-01', '2026-02', '2026-03'])] })
    const p = payableMonths(quarterly, '2026-04-02')
    expect(p.quarterly).toBe(true)
    expect(p.until).toBe('2026-06')
    expect(p.options.filter((o) => o.ahead).map((o) => o.month)).toEqual(['2026-05', '2026-06'])
    expect(preselect(p)).toEqual(['2026-04'])
  })

  it('adds the chosen months’ dues by the base that applies in each', () => {
    const d = dues({ bases: [base('2026-01', 4000), base('2026-03', 9000)], unpaid: ['2026-01', '2026-02', '2026-03'] })
    const p = payableMonths(d, '2026-03-20')
    expect(selectedFen(p, preselect(p))).toBe(4000 + 4000 + 9000)
    expect(selectedFen(p, ['2026-03'])).toBe(9000)
    expect(selectedFen(p, [])).toBe(0)
  })

  it('tells how far behind a member is', () => {
    expect(arrearsLevel({ unpaid: [], warn: false, act: false })).toBe('none')
    expect(arrearsLevel({ unpaid: ['2026-12'], warn: false, act: false })).toBe('behind')
    expect(arrearsLevel({ unpaid: ['a', 'b', 'c'], warn: true, act: false })).toBe('warn')
    expect(arrearsLevel({ unpaid: ['a'], warn: true, act: true })).toBe('act')
  })
})

describe('the base: the brackets previewed as the server reckons them', () => {
  const fen = (c: Parameters<typeof previewMonthly>[0], b: string, f = '') => {
    const p = previewMonthly(c, b, f)
    return p && 'fen' in p ? p.fen : p
  }

  it('takes the employed brackets with inclusive upper bounds', () => {
    expect(fen('employed', '3000')).toBe(1500)
    expect(fen('employed', '3000.01')).toBe(3000)
    expect(fen('employed', '4,000')).toBe(4000) // 40.00 元
    expect(fen('employed', '5000')).toBe(5000)
    expect(fen('employed', '5001')).toBe(7502) // 75.015 → 75.02, half up
    expect(fen('employed', '10000')).toBe(15000)
    expect(fen('employed', '10001')).toBe(20002)
    expect(fen('employed', '1234.57')).toBe(617)
    expect(fen('employed', '1235')).toBe(618) // 6.175 → 6.18, never banker's rounding
    expect(fen('employed', '0')).toBe(0)
  })

  it('takes the retired brackets', () => {
    expect(fen('retired', '5000')).toBe(2500)
    expect(fen('retired', '5001')).toBe(5001)
    expect(rateOf('retired', 320_000)).toBe(50)
    expect(rateOf('student', 320_000)).toBeNull()
  })

  it('names the bracket it used', () => {
    expect(previewMonthly('employed', '4000', '')).toEqual({ fen: 4000, rule: '3,000 元以上至 5,000 元 1%' })
    expect(previewMonthly('employed', '12000', '')).toEqual({ fen: 24000, rule: '10,000 元以上 2%' })
    expect(previewMonthly('retired', '3000', '')).toEqual({ fen: 1500, rule: '5,000 元及以下 0.5%' })
  })

  it('takes a farmer’s 0.2–1 yuan and 0.2 yuan for the others', () => {
    expect(fen('farmer', '', '0.5')).toBe(50)
    expect(fen('farmer', '', '1')).toBe(100)
    expect(previewMonthly('farmer', '', '1.5')).toEqual({ error: '农民党员每月交纳 0.2 元至 1 元' })
    expect(previewMonthly('farmer', '', '0.1')).toEqual({ error: '农民党员每月交纳 0.2 元至 1 元' })
    expect(fen('student', '', '')).toBe(20)
    expect(fen('unemployed', '', '')).toBe(20)
    expect(fen('relief', '', '')).toBe(20)
  })

  it('waits for a figure and says when it is none', () => {
    expect(previewMonthly('employed', '', '')).toBeNull()
    expect(previewMonthly('', '4000', '')).toBeNull()
    expect(previewMonthly('employed', '四千', '')).toEqual({ error: '请填写金额，如 4000 或 4,000.50' })
  })
})

describe('the summary by branch', () => {
  const summary: DuesSummary = {
    year: 2026,
    due_fen: 2_918_120,
    paid_fen: 2_665_100,
    warned: 3,
    to_act: 1,
    rows: [
      { org: { id: 3, name: '广州吴川商会党支部' }, members: 32, without_base: 0, due_fen: 2_918_120, paid_fen: 2_665_100, warned: 3, to_act: 1 },
      { org: { id: 4, name: '深圳吴川商会党支部' }, members: 29, without_base: 29, due_fen: 0, paid_fen: 0, warned: 0, to_act: 0 },
    ],
  }

  it('sums the scope for the top of the page', () => {
    expect(summaryTotals(summary)).toEqual({
      due: '29,181.20',
      paid: '26,651.00',
      unpaid: '2,530.20',
      rate: '91.3%',
      members: 61,
      withoutBase: 29,
      warned: 3,
      toAct: 1,
    })
    expect(paidRate(0, 0)).toBe('—')
    expect(paidRate(1, 3)).toBe('33.3%')
    expect(paidRate(2, 3)).toBe('66.6%') // never rounded up to look better
  })

  it('charts due against paid for the branches with dues, in the summary’s order', () => {
    const o = summaryChart(summary)
    expect(o.xAxis.data).toEqual(['广州吴川商会'])
    expect(o.series[0].data).toEqual([29181.2])
    expect(o.series[1].data).toEqual([26651])
    expect(o.dataZoom).toEqual([])
    const tip = o.tooltip.formatter([{ dataIndex: 0 }])
    expect(tip).toContain('应交 29,181.20 元')
    expect(tip).toContain('欠缴 3 个月以上 4 人（其中连续 6 个月以上 1 人）')
    const many = { ...summary, rows: Array.from({ length: 20 }, (_, i) => ({ ...summary.rows[0], org: { id: i, name: `第${i}党支部` } })) }
    expect(summaryChart(many).dataZoom).toHaveLength(1)
    expect(shortOrg('黄坡镇黄坡村第七党支部')).toBe('黄坡镇黄坡村第七')
    expect(shortOrg('机关联合党支部')).toBe('机关')
  })
})
