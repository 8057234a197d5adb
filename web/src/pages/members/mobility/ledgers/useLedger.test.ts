import { afterEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { fakeFetch, json } from '@/test-utils'
import { blankFilters, exportRequest, ledgerQuery, useLedger } from './useLedger'

afterEach(() => vi.unstubAllGlobals())

describe('ledger filters', () => {
  it('leaves out empty filters', () => {
    expect(ledgerQuery(blankFilters())).toEqual({})
    expect(ledgerQuery({ ...blankFilters(), q: '   ' })).toEqual({})
  })

  it('turns the cascader, the date range and the name into query parameters', () => {
    expect(
      ledgerQuery({ org: 7, region: ['460000', '460100'], reason: 'study', dates: ['2026-01-01', '2026-06-30'], q: ' 林 ' }),
    ).toEqual({ org: 7, province: '460000', city: '460100', reason: 'study', from: '2026-01-01', to: '2026-06-30', q: '林' })
    expect(ledgerQuery({ ...blankFilters(), region: ['440000'] })).toEqual({ province: '440000' })
  })

  it('exports with the same filters, adding the unmask reason only when given', () => {
    const f = { ...blankFilters(), region: ['460000', '460100'], q: '林' }
    expect(exportRequest('outflow', f)).toEqual({
      path: '/ledgers/outflow.xlsx',
      query: { province: '460000', city: '460100', q: '林' },
      fallbackName: '外出党员台账.xlsx',
    })
    expect(exportRequest('return', f, '  ').query).not.toHaveProperty('unmask_reason')
    expect(exportRequest('inflow', f, '上报组织部').query).toMatchObject({ unmask_reason: '上报组织部' })
    expect(exportRequest('outflow', f, undefined, 'pdf')).toMatchObject({ path: '/ledgers/outflow.pdf', fallbackName: '外出党员台账.pdf' })
  })

  it('loads the current ledger with filters and paging', async () => {
    const { calls } = fakeFetch({
      'GET /api/v1/ledgers/outflow': () => json(200, { items: [], total: 0 }),
      'GET /api/v1/ledgers/return': () => json(200, { items: [], total: 3 }),
    })
    const kind = ref<'outflow' | 'return' | 'inflow'>('outflow')
    const l = useLedger(kind)
    l.filters.region = ['460000', '460100']
    await l.list.search()
    expect(calls[0].url.pathname).toBe('/api/v1/ledgers/outflow')
    expect(Object.fromEntries(calls[0].url.searchParams)).toEqual({ province: '460000', city: '460100', page: '1', per_page: '20' })
    kind.value = 'return'
    await l.list.search()
    expect(calls[1].url.pathname).toBe('/api/v1/ledgers/return')
    expect(l.list.total.value).toBe(3)
  })
})
