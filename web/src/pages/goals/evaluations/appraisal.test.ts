import { describe, expect, it } from 'vitest'
import type { Brand } from '@/api/goals'
import { brandPayload, checkBrand, filterBrands } from '@/pages/goals/brands/useBrands'
import { criteriaPayload, weightTotal } from '@/pages/goals/grants/useGrants'
import { checkEvaluation, DEFAULT_SHEET } from './useEvaluations'
import { rowTotal, scoreRows } from './useEvaluationDetail'

function brand(id: number, cultivation: boolean, status: string, name = `品牌${id}`): Brand {
  return { id, org: { id, name: `组织${id}` }, year: 2026, name, goal: '目标', checklist: [], status, status_label: status, cultivation, can_edit: true }
}

describe('brand projects', () => {
  it('filters cultivation targets, statuses and names', () => {
    const items = [brand(1, true, 'done'), brand(2, false, 'in_progress'), brand(3, true, 'planning', '红色引擎')]
    expect(filterBrands(items, { show: 'cultivation', q: '' }).map((b) => b.id)).toEqual([1, 3])
    expect(filterBrands(items, { show: 'done', q: '' }).map((b) => b.id)).toEqual([1])
    expect(filterBrands(items, { show: '', q: '引擎' }).map((b) => b.id)).toEqual([3])
  })

  it('sends cultivation only for county admins, org and year only when registering', () => {
    const f = { org_id: 5, org_name: '', year: 2026, name: ' 品牌 ', goal: '目标', checklist: [{ item: '方案', done: true }, { item: ' ', done: false }], cultivation: true }
    expect(brandPayload(f, true, false)).toEqual({ org_id: 5, year: 2026, name: '品牌', goal: '目标', checklist: [{ item: '方案', done: true }], cultivation: undefined })
    expect(brandPayload(f, false, true)).toMatchObject({ org_id: undefined, year: undefined, cultivation: true })
    expect(checkBrand({ ...f, org_id: null, checklist: [] }, true)).toEqual({ org_id: '请选择党组织', checklist: '请至少列出一项创建任务' })
  })
})

describe('evaluations', () => {
  it('checks the period, the sheet and the targets like the server', () => {
    const e = checkEvaluation({ kind: 'quarterly', title: '评比', period: '2026-5', sheet: [{ code: 'a', label: '', weight: 0, max_score: 100 }], targets: [] })
    expect(e.period).toBe('评比期间的格式为 2026-Q3')
    expect(e.items).toContain('第 1 个评分项的名称不能为空')
    expect(e.items).toContain('第 1 个评分项的权重须至少为 1')
    expect(e.target_ids).toBeTruthy()
    expect(checkEvaluation({ kind: 'observation', title: '评比', period: '2026-Q3', sheet: DEFAULT_SHEET, targets: [{ id: 1, name: 'x' }] })).toEqual({})
  })

  it('turns my scores into rows and totals them over the weights', () => {
    const sheet = DEFAULT_SHEET
    const rows = scoreRows({ sheet, targets: [{ id: 44, name: 'a' }, { id: 49, name: 'b' }], my_scores: { 44: { position: 95, life: 92, brand: 89, role: 93 } } })
    expect(rows[44]).toEqual({ position: 95, life: 92, brand: 89, role: 93 })
    expect(rows[49].position).toBeUndefined()
    expect(rowTotal(sheet, rows[44])).toBe(91.9)
    expect(rowTotal(sheet, rows[49])).toBeNull()
  })
})

describe('grant criteria', () => {
  it('checks the weights and sends tiers in fen', () => {
    const f = { coverage: 20, duties: 30, tasks: 25, brand: 10, manual: 15, tiers: [{ label: '一档', min_score: 90, amount: '10,000.00' }] }
    expect(weightTotal(f)).toBe(100)
    expect(criteriaPayload(f).body?.tiers).toEqual([{ label: '一档', min_score: 90, amount: 1000000 }])
    const bad = criteriaPayload({ ...f, manual: 30, tiers: [{ label: '', min_score: 80, amount: '1.234' }] })
    expect(bad.body).toBeNull()
    expect(bad.errors.weights).toBe('各项权重之和须为 100，现为 115')
    expect(bad.errors.tiers).toContain('第 1 档的名称不能为空')
  })
})
