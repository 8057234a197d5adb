import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, json, problem } from '@/test-utils'

const route = { params: { id: '2' } as Record<string, string>, query: {} as Record<string, string> }
vi.mock('vue-router', () => ({ useRoute: () => route, useRouter: () => ({ push: vi.fn(), replace: vi.fn() }) }))

const { checkEntry, entryPayload, manages, nextUnverified, useCensusDetail, blankEntryForm } = await import('./useCensusDetail')

afterEach(() => vi.unstubAllGlobals())

const entry = (id: number, reached: boolean | null = null) => ({ id, member_id: 100 + id, member_name: `党员${id}`, org_id: 21, org_name: '新华社区党支部', reached })
const campaign = { id: 2, name: '2026年第四季度流动党员摸排', period: '2026-Q4', org_id: 1, org_name: '吴川', status: 'open', total: 3, verified: 1, reached: 1, completion: 1 / 3, created_at: '2026-11-01T00:00:00Z', by_org: [] }

describe('census verification', () => {
  it('asks for the current place of a member who was reached, and sends blanks as null', () => {
    expect(checkEntry({ ...blankEntryForm(), reached: true })).toEqual({ current_place: '已联系上的党员请填写现所在地' })
    expect(checkEntry({ ...blankEntryForm(), reached: false })).toEqual({})
    expect(entryPayload({ ...blankEntryForm(), reached: true, current_place: ' 海口市龙华区 ', thoughts: '  ' })).toEqual({
      reached: true,
      current_place: '海口市龙华区',
      current_employer: null,
      circumstances: null,
      thoughts: null,
      needs: null,
    })
  })

  it('moves on to the next entry still to verify, wrapping round', () => {
    const items = [entry(1), entry(2, true), entry(3), entry(4, false)] as never[]
    expect(nextUnverified(items, 1)?.id).toBe(3)
    expect(nextUnverified(items, 3)?.id).toBe(1)
    expect(nextUnverified([entry(1), entry(2, true)] as never[], 1)).toBeNull()
  })

  it('knows who may close: whoever manages the campaign organisation', () => {
    expect(manages(['/1/'], '/1/')).toBe(true)
    expect(manages(['/1/3/'], '/1/')).toBe(false)
    expect(manages(['/9/', '/1/'], '/1/5/')).toBe(true)
  })

  it('saves an entry, updates the row and opens the next one', async () => {
    let progress = 1
    const { calls } = fakeFetch({
      'GET /api/v1/censuses/2': () => json(200, { ...campaign, verified: progress }),
      'GET /api/v1/censuses/2/entries': () => json(200, { items: [entry(1), entry(2), entry(3, true)], total: 3 }),
      'PUT /api/v1/censuses/2/entries/1': () => {
        progress = 2
        return json(200, { ...entry(1, true), current_place: '海口市龙华区' })
      },
      'PUT /api/v1/censuses/2/entries/2': () => problem(409, { title: '该摸排已结束，不能再登记' }),
      'GET /api/v1/orgs/roots': () => json(200, { items: [{ id: 1, path: '/1/' }], total: 1 }),
      'GET /api/v1/orgs/1': () => json(200, { id: 1, path: '/1/' }),
    })
    const c = useCensusDetail()
    await c.init()
    expect(c.mayClose.value).toBe(true)
    c.openVerify(c.entries.items.value[0])
    c.form.current_place = '海口市龙华区'
    expect(await c.saveEntry(true)).toBe(true)
    const put = calls.find((x) => x.method === 'PUT')!
    expect(put.body).toMatchObject({ reached: true, current_place: '海口市龙华区' })
    expect(c.entries.items.value[0].reached).toBe(true)
    expect(c.current.value?.id).toBe(2)
    expect(c.verifyVisible.value).toBe(true)
    // A refusal keeps the form open with the server's message.
    c.form.reached = false
    expect(await c.saveEntry(false)).toBe(false)
    expect(c.errors.general.value).toContain('该摸排已结束')
    expect(c.verifyVisible.value).toBe(true)
  })
})
