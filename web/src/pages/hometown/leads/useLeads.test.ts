import { describe, expect, it } from 'vitest'
import { apiQuery, blankFilters, filtersFromQuery, filtersToQuery, leadBody, stepBody, blankLead, checkLead } from './useLeads'

describe('项目线索 filters in the address', () => {
  it('honours the workbench link ?stale=true', () => {
    const f = filtersFromQuery({ stale: 'true' })
    expect(f).toEqual({ ...blankFilters(), stale: true })
    expect(apiQuery(f)).toEqual({ stale: true, page: 1, per_page: 20 })
  })

  it('reads every filter and ignores what it does not know', () => {
    const f = filtersFromQuery({ stage: 'signed', sector: 'energy', org_id: '12', drive_id: '3', q: ' 充电 ', page: '2', id: '7' })
    expect(f).toEqual({ stage: 'signed', sector: 'energy', org_id: 12, drive_id: 3, stale: false, q: ' 充电 ', page: 2 })
    expect(filtersFromQuery({ stage: 'won', sector: 'x', org_id: '-1', drive_id: 'abc', page: '0' })).toEqual(blankFilters())
  })

  it('writes back only what is set', () => {
    expect(filtersToQuery(blankFilters())).toEqual({})
    expect(filtersToQuery({ ...blankFilters(), stale: true, q: ' 南药 ', drive_id: 5 })).toEqual({ stale: 'true', q: '南药', drive_id: '5' })
    expect(apiQuery({ ...blankFilters(), stage: 'lead', org_id: 9 }, false)).toEqual({ stage: 'lead', org_id: 9 })
  })
})

describe('项目线索 bodies', () => {
  const form = { to: 'landed' as const, on: '2026-12-01', note: ' 投产 ', landed: '12,000,000.50', reason: 'x', next_step: 'y', next_step_on: '2026-12-20' }

  it('sends the landed amount only for a landing and no next step once final', () => {
    expect(stepBody(form)).toEqual({ to: 'landed', on: '2026-12-01', note: '投产', landed: '12,000,000.50', reason: null, next_step: null, next_step_on: null })
  })

  it('sends the reason only for a drop', () => {
    expect(stepBody({ ...form, to: 'dropped', reason: ' 资金不足 ' })).toMatchObject({ to: 'dropped', landed: null, reason: '资金不足', next_step: null })
  })

  it('keeps the next step of a step in the pipeline', () => {
    expect(stepBody({ ...form, to: 'visited', note: '' })).toEqual({ to: 'visited', on: '2026-12-01', note: null, landed: null, reason: null, next_step: 'y', next_step_on: '2026-12-20' })
  })

  it('sends the recorded day only for a new lead, and checks org and sector first', () => {
    const f = { ...blankLead(), org_id: 3, sector: 'energy' as const, recorded_on: '2026-11-30', amount: '3,000' }
    expect(leadBody(f, false)).toMatchObject({ org_id: 3, sector: 'energy', amount: '3,000', recorded_on: '2026-11-30', city: null, drive_id: null })
    expect(leadBody(f, true).recorded_on).toBeNull()
    expect(checkLead(blankLead())).toEqual({ org_id: '请选择跟进的党组织', sector: '请选择行业' })
    expect(checkLead(f)).toEqual({})
  })
})
