import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeFetch, json } from '@/test-utils'
import type { DutyItem } from '@/api/activities'
import { cellDuties, groupByPeriod, monthTotals, periodEndMonth, periodLabel, suggestDate, worstLight } from './lights'
import { countLights } from './useMyDuties'
import { createDutyCache, useDutyBoard } from './useDutyBoard'

const route = { query: {} as Record<string, string> }
vi.mock('vue-router', () => ({ useRoute: () => route, useRouter: () => ({ push: vi.fn(), replace: vi.fn() }) }))

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

function duty(org_id: number, rule: string, period: string, status: string, light: string, label = rule): DutyItem {
  return { org_id, org_name: `组织${org_id}`, rule, rule_label: label, period, status, light, done_count: status === 'done' ? 1 : 0, required: 1 }
}

const ITEMS: DutyItem[] = [
  duty(3, 'theme_day', '2026-11', 'due', 'yellow', '主题党日'),
  duty(3, 'committee_meeting', '2026-11', 'done', 'blue', '支委会'),
  duty(3, 'theme_day', '2026-10', 'done', 'blue', '主题党日'),
  duty(3, 'group_meeting', '2026-08', 'overdue', 'red', '党小组会'),
  duty(3, 'member_assembly', '2026-Q3', 'done', 'blue', '党员大会'),
  duty(3, 'party_lecture', '2026-Q3', 'overdue', 'red', '党课'),
  duty(3, 'life_meeting', '2026', 'due', 'blue', '组织生活会'),
  duty(3, 'weekly_meeting', '2026-W36', 'done', 'blue', '周例会'),
  duty(3, 'weekly_meeting', '2026-W53', 'due', 'blue', '周例会'),
  duty(7, 'theme_day', '2026-09', 'overdue', 'red', '主题党日'),
]

describe('periods and lights', () => {
  it('places each period in the month its last day falls in, as the board does', () => {
    expect(periodEndMonth('2026-11')).toBe(11)
    expect(periodEndMonth('2026-Q1')).toBe(3)
    expect(periodEndMonth('2026-Q3')).toBe(9)
    expect(periodEndMonth('2026')).toBe(12)
    // ISO week 36 of 2026: Monday 31 August to Sunday 6 September.
    expect(periodEndMonth('2026-W36')).toBe(9)
    // Week 53 of 2026 ends on Sunday 3 January 2027.
    expect(periodEndMonth('2026-W53')).toBe(1)
    expect(periodEndMonth('garbage')).toBeNull()
  })

  it('names periods in Chinese', () => {
    expect(periodLabel('2026-11')).toBe('2026年11月')
    expect(periodLabel('2026-Q4')).toBe('2026年第4季度')
    expect(periodLabel('2026')).toBe('2026年度')
    expect(periodLabel('2026-W36')).toBe('2026年第36周（8月31日—9月6日）')
    expect(periodLabel('2026-W48')).toBe('2026年第48周（11月23日—29日）')
  })

  it('suggests the last day of a period that is over for recording a missing duty', () => {
    const now = new Date(2026, 10, 28, 9)
    expect(suggestDate('2026-08', now)).toBe('2026-08-31')
    expect(suggestDate('2026-Q3', now)).toBe('2026-09-30')
    expect(suggestDate('2026-11', now)).toBeUndefined()
    expect(suggestDate('2026', now)).toBeUndefined()
  })

  it('takes red over yellow over blue', () => {
    expect(worstLight(['blue', 'yellow', 'blue'])).toBe('yellow')
    expect(worstLight(['blue', 'red', 'yellow'])).toBe('red')
    expect(worstLight([null, undefined])).toBeNull()
    expect(countLights(ITEMS)).toEqual({ blue: 6, yellow: 1, red: 3 })
  })
})

describe('board cell → drawer', () => {
  it("lists one organisation's duties ending in the month, missing ones first", () => {
    expect(cellDuties(ITEMS, 3, 11).map((d) => `${d.rule}:${d.status}`)).toEqual(['theme_day:due', 'committee_meeting:done'])
    // September holds the Q3 duties and week 36; the overdue lecture comes first.
    expect(cellDuties(ITEMS, 3, 9).map((d) => `${d.rule}:${d.period}`)).toEqual([
      'party_lecture:2026-Q3',
      'member_assembly:2026-Q3',
      'weekly_meeting:2026-W36',
    ])
    expect(cellDuties(ITEMS, 3, 1).map((d) => d.period)).toEqual(['2026-W53'])
    // Another organisation of the same subtree does not leak into the cell.
    expect(cellDuties(ITEMS, 7, 11)).toEqual([])
    expect(cellDuties(ITEMS, 7, 9).map((d) => d.rule)).toEqual(['theme_day'])
  })

  it('groups my duties by period, latest first, with the worst light of each', () => {
    const groups = groupByPeriod(ITEMS.filter((d) => d.org_id === 3))
    expect(groups.map((g) => g.period)).toEqual(['2026-W53', '2026', '2026-11', '2026-10', '2026-Q3', '2026-W36', '2026-08'])
    expect(groups.find((g) => g.period === '2026-11')?.worst).toBe('yellow')
    expect(groups.find((g) => g.period === '2026-Q3')?.items.map((d) => d.rule)).toEqual(['party_lecture', 'member_assembly'])
  })

  it('sums the lights of each month for the chart', () => {
    const cell = (month: number, blue: number, yellow: number, red: number) => ({ month, light: null, counts: { blue, yellow, red } })
    const rows = [
      { org_id: 1, org_name: 'a', kind_label: '党支部', counts: { blue: 0, yellow: 0, red: 0 }, cells: [cell(1, 2, 0, 1), cell(11, 1, 1, 0)] },
      { org_id: 2, org_name: 'b', kind_label: '党支部', counts: { blue: 0, yellow: 0, red: 0 }, cells: [cell(1, 1, 0, 0)] },
    ]
    const t = monthTotals(rows)
    expect(t).toHaveLength(12)
    expect(t[0]).toEqual({ blue: 3, yellow: 0, red: 1 })
    expect(t[10]).toEqual({ blue: 1, yellow: 1, red: 0 })
    expect(t[5]).toEqual({ blue: 0, yellow: 0, red: 0 })
  })

  it('loads the board, then the clicked organisation’s duties once per year', async () => {
    const { calls } = fakeFetch({
      'GET /api/v1/duties/board': () =>
        json(200, {
          year: 2026,
          total: 1,
          counts: { blue: 6, yellow: 1, red: 3 },
          orgs_by_light: { blue: 0, yellow: 0, red: 1 },
          items: [{ org_id: 3, org_name: '组织3', kind_label: '党支部', worst: 'red', counts: { blue: 6, yellow: 1, red: 3 }, cells: [] }],
        }),
      'GET /api/v1/duties': () => json(200, { items: ITEMS, total: ITEMS.length }),
    })
    route.query = { year: '2026', light: 'red' }
    const b = useDutyBoard()
    await b.list.load()
    expect(Object.fromEntries(calls[0].url.searchParams)).toEqual({ year: '2026', light: 'red', page: '1', per_page: '20' })
    expect(b.summary.value?.counts.red).toBe(3)

    await b.openCell({ org_id: 3, org_name: '组织3' }, 11)
    expect(b.drawerOpen.value).toBe(true)
    expect(Object.fromEntries(calls[1].url.searchParams)).toEqual({ org: '3', year: '2026' })
    expect(b.drawerItems.value.map((d) => d.rule)).toEqual(['theme_day', 'committee_meeting'])
    expect(b.missing.value.map((d) => d.rule_label)).toEqual(['主题党日'])

    await b.openCell({ org_id: 3, org_name: '组织3' }, 8)
    expect(calls.filter((c) => c.url.pathname === '/api/v1/duties')).toHaveLength(1)
    expect(b.missing.value.map((d) => d.rule)).toEqual(['group_meeting'])
  })

  it('does not remember a failed load', async () => {
    let n = 0
    const cache = createDutyCache(async () => {
      if (n++ === 0) throw new Error('网络错误')
      return ITEMS
    })
    await expect(cache.get(3, 2026)).rejects.toThrow('网络错误')
    await Promise.resolve()
    await expect(cache.get(3, 2026)).resolves.toHaveLength(ITEMS.length)
  })
})
