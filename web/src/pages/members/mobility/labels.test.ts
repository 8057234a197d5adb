import { describe, expect, it } from 'vitest'
import { daysBetween, formatDays, isLost, percent, todayInChina } from './labels'

describe('mobility rules and formats', () => {
  it('counts six calendar months from the later of last contact and outflow start', () => {
    const start = '2025-01-10'
    expect(isLost('2026-05-28', start, '2026-11-27')).toBe(false)
    expect(isLost('2026-05-27', start, '2026-11-27')).toBe(true)
    expect(isLost(null, '2026-05-01', '2026-11-27')).toBe(true)
    expect(isLost(null, '2026-06-01', '2026-11-27')).toBe(false)
    // A contact before the outflow began does not count: the outflow start does.
    expect(isLost('2020-01-01', '2026-06-01', '2026-11-27')).toBe(false)
    // Month-end clamping as on the server: 31 Aug + 6 months = 28 Feb.
    expect(isLost('2026-08-31', start, '2027-02-27')).toBe(false)
    expect(isLost('2026-08-31', start, '2027-02-28')).toBe(true)
  })

  it('formats durations and ratios', () => {
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59)
    expect(daysBetween('2026-03-01', '2026-01-01')).toBe(0)
    expect(formatDays(30)).toBe('30 天')
    expect(formatDays(200)).toBe('200 天（约 6 个月）')
    expect(formatDays(3636)).toBe('3636 天（约 9 年 11 个月）')
    expect(formatDays(null)).toBe('—')
    expect(percent(0.6665827881227981)).toBe('66.7%')
    expect(percent(1)).toBe('100%')
    expect(percent(0)).toBe('0%')
    expect(percent(undefined)).toBe('—')
  })

  it('knows the date in China', () => {
    expect(todayInChina(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28')
    expect(todayInChina(new Date('2026-11-27T15:00:00Z'))).toBe('2026-11-27')
  })
})
