import { describe, expect, it } from 'vitest'
import { completionRows, defaultCampaignName, periodOptions, progressStatus, progressText, quarterOf, shiftQuarter } from './censusFormat'

describe('census formatting', () => {
  it('works in quarters', () => {
    expect(quarterOf('2026-11-27')).toBe('2026-Q4')
    expect(quarterOf('2026-01-01')).toBe('2026-Q1')
    expect(shiftQuarter('2026-Q4', 1)).toBe('2027-Q1')
    expect(shiftQuarter('2026-Q1', -1)).toBe('2025-Q4')
    expect(periodOptions('2026-11-27').map((o) => o.value)).toEqual(['2027-Q1', '2026-Q4', '2026-Q3'])
    expect(defaultCampaignName('2026-Q4')).toBe('2026年第四季度流动党员摸排')
  })

  it('formats progress', () => {
    expect(progressText({ verified: 2649, total: 3974, completion: 2649 / 3974 })).toBe('2649 / 3974（66.7%）')
    expect(progressText({ verified: 0, total: 0, completion: 0 })).toBe('0 / 0（0%）')
    expect(progressStatus({ completion: 1, status: 'open' })).toBe('success')
    expect(progressStatus({ completion: 0.5, status: 'closed' })).toBe('warning')
    expect(progressStatus({ completion: 0.5, status: 'open' })).toBe('')
  })

  it('orders organisations least complete first and drops empty ones', () => {
    const rows = completionRows([
      { org_id: 1, org_name: '甲', total: 10, verified: 10, reached: 9, completion: 1 },
      { org_id: 2, org_name: '乙', total: 3, verified: 1, reached: 1, completion: 1 / 3 },
      { org_id: 3, org_name: '丙', total: 0, verified: 0, reached: 0, completion: 0 },
    ])
    expect(rows.map((r) => [r.name, r.value])).toEqual([
      ['乙', 33.3],
      ['甲', 100],
    ])
  })
})
