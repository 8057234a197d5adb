import { describe, expect, it } from 'vitest'
import { daysBetween, formatDays, isLost, percent, quietSince, todayInChina } from './labels'

describe('mobility rules and formats', () => {
  it('counts six calendar months from the later of last contact and outflow start', () => {
    const away = (lastContact: string | null, outflowStart: string) => ({ lastContact, outflowStart })
    const start = '2025-01-10'
    expect(isLost(away('2026-05-28', start), '2026-11-27')).toBe(false)
    expect(isLost(away('2026-05-27', start), '2026-11-27')).toBe(true)
    expect(isLost(away(null, '2026-05-01'), '2026-11-27')).toBe(true)
    expect(isLost(away(null, '2026-06-01'), '2026-11-27')).toBe(false)
    // A contact before the outflow began does not count: the outflow start does.
    expect(isLost(away('2020-01-01', '2026-06-01'), '2026-11-27')).toBe(false)
    // Month-end clamping as on the server: 31 Aug + 6 months = 28 Feb.
    expect(isLost(away('2026-08-31', start), '2027-02-27')).toBe(false)
    expect(isLost(away('2026-08-31', start), '2027-02-28')).toBe(true)
  })

  it('counts a member at home from the last contact, or the first failed attempt', () => {
    expect(isLost({ lastContact: '2026-05-27' }, '2026-11-27')).toBe(true)
    expect(isLost({ lastContact: '2026-05-28' }, '2026-11-27')).toBe(false)
    expect(isLost({ unreachableSince: '2026-05-27' }, '2026-11-27')).toBe(true)
    expect(isLost({ lastContact: '2026-10-01', unreachableSince: '2026-01-01' }, '2026-11-27')).toBe(false)
    // Nobody tried: not lost.
    expect(isLost({}, '2030-01-01')).toBe(false)
    expect(quietSince({})).toBeNull()
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
