import { describe, expect, it } from 'vitest'
import type { InvestmentFigures, Tally } from '@/api/hometown'
import { chamberChart, cityRows, sectorChart, shortOrg, stageChart, summary, yearChart } from './charts'

const tally = (key: string, name: string, t: Partial<Tally> = {}): Tally => ({
  key,
  name,
  leads: 0,
  in_pipeline: 0,
  signed: 0,
  landed: 0,
  dropped: 0,
  amount_fen: 0,
  landed_fen: 0,
  ...t,
})

// 0.1 万元 and 0.2 万元 (100,000 and 200,000 fen): as decimals 0.1 + 0.2 = 0.30000000000000004.
const figures: InvestmentFigures = {
  total: tally('total', '合计', { leads: 6, in_pipeline: 3, signed: 1, landed: 2, dropped: 1, amount_fen: 300_000 + 123_456_789_000, landed_fen: 26_000_000_000 }),
  by_stage: [
    tally('lead', '线索', { leads: 1, in_pipeline: 1 }),
    tally('contacted', '已对接', { leads: 1, in_pipeline: 1 }),
    tally('visited', '已考察'),
    tally('signed', '已签约', { leads: 1, in_pipeline: 1, signed: 1 }),
    tally('landed', '已落地', { leads: 2, landed: 2 }),
    tally('dropped', '已终止', { leads: 1, dropped: 1 }),
  ],
  by_city: [
    tally('广州', '广州', { leads: 4, in_pipeline: 2, landed: 1, dropped: 1, amount_fen: 123_456_789_000, landed_fen: 26_000_000_000 }),
    tally('深圳', '深圳', { leads: 1, in_pipeline: 1, signed: 1, amount_fen: 100_000 }),
    tally('佛山', '佛山', { leads: 1, landed: 1, amount_fen: 200_000 }),
  ],
  by_chamber: [
    tally('11', '广州吴川商会党支部', { leads: 4, amount_fen: 123_456_789_000, landed_fen: 26_000_000_000, landed: 1 }),
    tally('12', '深圳吴川商会党支部', { leads: 2, amount_fen: 300_000 }),
  ],
  by_sector: [tally('manufacturing', '先进制造', { leads: 4 }), tally('tourism', '文旅康养'), tally('energy', '新能源', { leads: 2 })],
  landed_by_year: [
    { year: 2024, landed: 1, landed_fen: 100_000 },
    { year: 2025, landed: 1, landed_fen: 200_000 },
    { year: 2026, landed: 2, landed_fen: 26_000_000_000 },
  ],
  stale: 2,
  stale_days: 30,
}

describe('招商统计 charts', () => {
  it('counts the leads at each stage in pipeline order, dropped last', () => {
    const c = stageChart(figures)
    expect(c.xAxis.data).toEqual(['线索', '已对接', '已考察', '已签约', '已落地', '已终止'])
    expect(c.series[0].data.map((d) => d.value)).toEqual([1, 1, 0, 1, 2, 1])
  })

  it('sets intended against landed investment by chamber in 万元, the largest at the top', () => {
    const c = chamberChart(figures)
    expect(c.yAxis.data).toEqual(['深圳吴川商会', '广州吴川商会'])
    expect(c.series[0].data).toEqual([0.3, 123456.79])
    expect(c.series[1].data).toEqual([0, 26000])
  })

  it('shows the sectors that have leads', () => {
    const c = sectorChart(figures)
    expect(c.series[0].data).toEqual([
      { name: '先进制造', value: 4 },
      { name: '新能源', value: 2 },
    ])
  })

  it('draws the landed investment by year in 万元 and the count of landed projects', () => {
    const c = yearChart(figures)
    expect(c.xAxis.data).toEqual(['2024', '2025', '2026'])
    expect(c.series[0].data).toEqual([0.1, 0.2, 26000])
    expect(c.series[1].data).toEqual([1, 1, 2])
  })

  it('sums the cities from integer fen: 0.1 + 0.2 万元 is 0.30 万元, no float drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3) // what adding 万元 as decimals would do
    const { rows, total } = cityRows({ ...figures, by_city: figures.by_city.slice(1) })
    expect(rows.map((r) => r.amount_wan)).toEqual(['0.10', '0.20'])
    expect(total.amount_wan).toBe('0.30')
    expect(total.leads).toBe(2)
  })

  it('keeps large sums exact to the fen before rounding to 万元', () => {
    const { total } = cityRows(figures)
    // 123,456,789,000 + 100,000 + 200,000 fen = 1,234,570,890.00 yuan = 123,457.089 万元 → 123,457.09
    expect(total.amount_wan).toBe('123,457.09')
    expect(total.landed_wan).toBe('26,000.00')
    expect(total.landed).toBe(2)
  })

  it('sums up the figures at the top of the page', () => {
    expect(summary(figures)).toEqual({
      leads: 6,
      in_pipeline: 3,
      amount_wan: '123,457.09',
      landed: 2,
      landed_wan: '26,000.00',
      stale: 2,
      stale_days: 30,
    })
  })

  it('shortens branch names on the axis', () => {
    expect(shortOrg('广州吴川商会党支部')).toBe('广州吴川商会')
    expect(shortOrg('某某联合党支部')).toBe('某某')
    expect(shortOrg('工商联党委')).toBe('工商联党委')
  })
})
