import { describe, expect, it } from 'vitest'
import { departmentChart, satisfactionChart } from './useRequests'
import type { FigureRow, RequestFigures } from '@/api/services'

const row = (id: number, name: string, received: number, on_time: number, overdue: number, pct: number | null): FigureRow =>
  ({ id, name, received, answered: on_time, on_time, overdue, avg_days_tenths: 30, satisfied: 0, basic: 0, unsatisfied: 0, satisfaction_pct: pct }) as FigureRow

describe('红链直通车 charts', () => {
  const f = {
    year: 2026,
    total: row(0, '合计', 12, 8, 2, 90),
    by_department: [row(1, '县税务局', 2, 1, 1, 50), row(2, '县财政局', 10, 7, 1, 95), row(3, '县水务局', 0, 0, 0, null)],
    by_category: [row(1, '税费办理', 2, 1, 1, 50), row(2, '融资贷款', 0, 0, 0, null)],
  } as RequestFigures

  it('shows the departments with requests, busiest first, split into on time, overdue and open', () => {
    const c = departmentChart(f)
    expect(c.xAxis.data).toEqual(['财政局', '税务局'])
    expect(c.series[0].data).toEqual([7, 1])
    expect(c.series[1].data).toEqual([1, 1])
    expect(c.series[2].data).toEqual([2, 0])
  })

  it('shows satisfaction only where there are ratings', () => {
    const c = satisfactionChart(f)
    expect(c.yAxis.data).toEqual(['税费办理'])
    expect(c.series[0].data).toEqual([50])
  })
})
