import { describe, expect, it } from 'vitest'
import type { Activity } from '@/api/activities'
import { groupByDay, monthGrid, monthKey, parseMonth } from './useActivityCalendar'

/** An activity at local times (the grid works in the browser's time zone). */
function activity(id: number, start: Date, end: Date): Activity {
  return {
    id,
    kind: 'theme_day',
    kind_label: '主题党日',
    attendees_note: '',
    topic: `活动${id}`,
    start_at: start.toISOString(),
    end_at: end.toISOString(),
    status: 'active',
    orgs: [{ id: 3, name: '广州吴川商会党支部' }],
    expected: 10,
    present: 0,
    on_leave: 0,
    absent: 0,
    attachments: [],
  }
}

describe('month grid', () => {
  it('covers November 2026 in six Monday-first weeks, with the neighbouring days marked', () => {
    const weeks = monthGrid(2026, 11, new Date(2026, 10, 27, 9))
    expect(weeks).toHaveLength(6)
    expect(weeks.every((w) => w.length === 7)).toBe(true)
    // 1 November 2026 is a Sunday: the first row starts on Monday 26 October.
    expect(weeks[0][0]).toMatchObject({ date: '2026-10-26', inMonth: false, weekday: 0 })
    expect(weeks[0][6]).toMatchObject({ date: '2026-11-01', day: 1, inMonth: true, weekday: 6 })
    expect(weeks[5][0]).toMatchObject({ date: '2026-11-30', inMonth: true })
    expect(weeks[5][6]).toMatchObject({ date: '2026-12-06', inMonth: false })
    const inMonth = weeks.flat().filter((d) => d.inMonth)
    expect(inMonth).toHaveLength(30)
    expect(weeks.flat().filter((d) => d.isToday).map((d) => d.date)).toEqual(['2026-11-27'])
  })

  it('needs only four rows for a February that starts on a Monday', () => {
    const weeks = monthGrid(2027, 2, new Date(2026, 0, 1))
    expect(weeks).toHaveLength(4)
    expect(weeks[0][0].date).toBe('2027-02-01')
    expect(weeks[3][6].date).toBe('2027-02-28')
    expect(weeks.flat().some((d) => d.isToday)).toBe(false)
  })

  it('handles leap years and year boundaries', () => {
    const feb = monthGrid(2028, 2).flat().filter((d) => d.inMonth)
    expect(feb.at(-1)?.date).toBe('2028-02-29')
    const dec = monthGrid(2026, 12)
    expect(dec.at(-1)?.at(-1)?.date).toBe('2027-01-03')
  })

  it('reads and writes the month of the URL', () => {
    expect(parseMonth('2026-11')).toEqual({ year: 2026, month: 11 })
    expect(parseMonth('2026-13')).toBeNull()
    expect(parseMonth('2026-1')).toBeNull()
    expect(parseMonth(undefined)).toBeNull()
    expect(monthKey(2026, 3)).toBe('2026-03')
  })
})

describe('activities by day', () => {
  it('puts each activity on the local days it covers, sorted by start', () => {
    const late = activity(1, new Date(2026, 10, 27, 19, 30), new Date(2026, 10, 27, 21))
    const early = activity(2, new Date(2026, 10, 27, 8), new Date(2026, 10, 27, 10))
    const twoDays = activity(3, new Date(2026, 10, 28, 9), new Date(2026, 10, 29, 17))
    const toMidnight = activity(4, new Date(2026, 10, 30, 20), new Date(2026, 11, 1, 0, 0))
    const days = groupByDay([late, early, twoDays, toMidnight])
    expect(days.get('2026-11-27')?.map((a) => a.id)).toEqual([2, 1])
    expect(days.get('2026-11-28')?.map((a) => a.id)).toEqual([3])
    expect(days.get('2026-11-29')?.map((a) => a.id)).toEqual([3])
    expect(days.get('2026-11-30')?.map((a) => a.id)).toEqual([4])
    // Ending exactly at midnight does not spill into the next day.
    expect(days.has('2026-12-01')).toBe(false)
  })
})
