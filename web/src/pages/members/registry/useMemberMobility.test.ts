import { afterEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { fakeFetch, json } from '@/test-utils'
import { lastReached, unreachableSince, useMemberMobility } from './useMemberMobility'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

const contact = (contacted_on: string, reached: boolean) => ({
  id: 1, member_id: 5, kind: 'call', kind_label: '电话', contacted_on, reached, by_name: 'x', created_at: '2026-01-01T00:00:00Z',
})
const outflow = (start_date: string, status = 'open') => ({
  id: 9, member_id: 5, direction: 'outflow', status, name: '林志远', place: '广东省 广州市', reason: 'work_business', reason_label: '务工经商', start_date,
})

describe('member mobility', () => {
  it('counts only contacts that reached the member', () => {
    expect(lastReached([contact('2026-01-01', true), contact('2026-05-01', false), contact('2026-03-01', true)] as never)).toBe('2026-03-01')
    expect(lastReached([contact('2026-05-01', false)] as never)).toBeNull()
  })

  it('marks a member with an open outflow and no contact for six months as lost', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-27T04:00:00Z'))
    fakeFetch({
      'GET /api/v1/members/5/mobility': () => json(200, { items: [outflow('2025-01-10'), outflow('2020-01-01', 'closed')], total: 2 }),
      'GET /api/v1/members/5/contacts': () => json(200, { items: [contact('2026-05-27', true), contact('2026-10-01', false)], total: 2 }),
      'GET /api/v1/members/5/suspension-proposals': () => json(200, { items: [], total: 0 }),
    })
    const m = useMemberMobility(ref(5))
    await m.load()
    expect(m.openOutflow.value?.id).toBe(9)
    expect(m.lastContact.value).toBe('2026-05-27')
    expect(m.daysSinceContact.value).toBe(184)
    expect(m.lost.value).toBe(true)
  })

  it('marks a member at home unreachable for six months as lost', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-27T04:00:00Z'))
    fakeFetch({
      'GET /api/v1/members/5/mobility': () => json(200, { items: [], total: 0 }),
      'GET /api/v1/members/5/contacts': () => json(200, { items: [contact('2026-10-01', false), contact('2026-05-27', false)], total: 2 }),
      'GET /api/v1/members/5/suspension-proposals': () => json(200, { items: [], total: 0 }),
    })
    const m = useMemberMobility(ref(5))
    await m.load()
    expect(unreachableSince([contact('2026-10-01', false), contact('2026-05-27', false)] as never)).toBe('2026-05-27')
    expect(m.daysSinceContact.value).toBe(184)
    expect(m.lost.value).toBe(true)
  })

  it('is not lost at home when nobody tried to reach them', async () => {
    fakeFetch({
      'GET /api/v1/members/5/mobility': () => json(200, { items: [outflow('2020-01-01', 'closed')], total: 1 }),
      'GET /api/v1/members/5/contacts': () => json(200, { items: [], total: 0 }),
      'GET /api/v1/members/5/suspension-proposals': () => json(200, { items: [], total: 0 }),
    })
    const m = useMemberMobility(ref(5))
    await m.load()
    expect(m.openOutflow.value).toBeNull()
    expect(m.lost.value).toBe(false)
    expect(m.daysSinceContact.value).toBeNull()
  })
})
