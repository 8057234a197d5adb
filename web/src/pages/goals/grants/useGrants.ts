/**
 * 以奖代补 (grant.write): the county's criteria (weights summing to 100, tiers in fen), the year's
 * grants with their five parts, and the steps of a grant: 人工评分 → 审批 → 登记拨付.
 * Money is fen on the wire and yuan on the screen; a disbursement is sent as yuan text.
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchGrantCriteria, fetchGrants, type GrantCriteria, type IncentiveGrant } from '@/api/goals'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { localDay } from '@/pages/goals/tasks/labels'
import { GRANT_PARTS, fenToYuan, yuanToFen } from './money'

export function weightTotal(c: Pick<GrantCriteria, 'coverage' | 'duties' | 'tasks' | 'brand' | 'manual'>): number {
  return GRANT_PARTS.reduce((s, p) => s + (Number(c[p.key]) || 0), 0)
}

export interface TierForm {
  label: string
  min_score: number
  amount: string
}

export interface CriteriaForm {
  coverage: number
  duties: number
  tasks: number
  brand: number
  manual: number
  tiers: TierForm[]
}

export function criteriaForm(c: GrantCriteria): CriteriaForm {
  return {
    coverage: c.coverage,
    duties: c.duties,
    tasks: c.tasks,
    brand: c.brand,
    manual: c.manual,
    tiers: c.tiers.map((t) => ({ label: t.label, min_score: t.min_score, amount: fenToYuan(t.amount) })),
  }
}

/** First checks (worded like `domain/grant.rs`) and the body in fen. */
export function criteriaPayload(f: CriteriaForm): { errors: Record<string, string>; body: GrantCriteria | null } {
  const errors: Record<string, string> = {}
  const sum = weightTotal(f)
  if (sum !== 100) errors.weights = `各项权重之和须为 100，现为 ${sum}`
  const tierErrors: string[] = []
  if (!f.tiers.length) tierErrors.push('请至少设置一个奖励档次')
  const tiers = f.tiers.map((t, i) => {
    const n = i + 1
    if (!t.label.trim()) tierErrors.push(`第 ${n} 档的名称不能为空`)
    const fen = yuanToFen(t.amount)
    if (fen == null || fen <= 0) tierErrors.push(`第 ${n} 档的金额须为大于 0 的元数，最多两位小数`)
    return { label: t.label.trim(), min_score: Number(t.min_score) || 0, amount: fen ?? 0 }
  })
  if (tierErrors.length) errors.tiers = tierErrors.join('；')
  if (Object.keys(errors).length) return { errors, body: null }
  return { errors, body: { coverage: f.coverage, duties: f.duties, tasks: f.tasks, brand: f.brand, manual: f.manual, tiers } }
}

export function useGrants(topOrg: () => number | null) {
  const year = ref(new Date().getFullYear())
  const criteria = shallowRef<GrantCriteria | null>(null)
  const items = shallowRef<IncentiveGrant[]>([])
  const loading = ref(false)
  const error = ref('')
  const assessing = ref(false)
  const busy = ref<number | null>(null)

  const counts = computed(() => {
    const c = { proposed: 0, approved: 0, disbursed: 0, approvedFen: 0, disbursedFen: 0 }
    for (const g of items.value) {
      if (g.status === 'proposed') c.proposed++
      if (g.status === 'approved') c.approved++
      if (g.status === 'disbursed') c.disbursed++
      if (g.status !== 'proposed') c.approvedFen += g.amount_fen
      c.disbursedFen += g.disbursed_fen ?? 0
    }
    return c
  })

  function sortGrants(list: IncentiveGrant[]) {
    return [...list].sort((a, b) => b.score.total_hundredths - a.score.total_hundredths || a.org.name.localeCompare(b.org.name, 'zh-CN'))
  }

  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    const [c, g] = await Promise.allSettled([fetchGrantCriteria(), fetchGrants(year.value)])
    if (mine !== seq) return
    if (c.status === 'fulfilled') criteria.value = c.value
    if (g.status === 'fulfilled') items.value = sortGrants(g.value.items)
    else items.value = []
    const failed = [c, g].find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined
    if (failed) error.value = errorMessage(failed.reason)
    loading.value = false
  }

  function replace(g: IncentiveGrant) {
    items.value = sortGrants(items.value.map((x) => (x.id === g.id ? g : x)))
  }

  async function assess(): Promise<string | null> {
    const org = topOrg()
    if (org == null) return '没有可评分的党组织'
    assessing.value = true
    try {
      const res = await unwrap(api.POST('/incentive-grants/assess', { body: { org_id: org, year: year.value } }))
      items.value = sortGrants(res.items as IncentiveGrant[])
      return null
    } catch (e) {
      return errorMessage(e)
    } finally {
      assessing.value = false
    }
  }

  async function approve(id: number): Promise<string | null> {
    busy.value = id
    try {
      replace(await unwrap(api.POST('/incentive-grants/{id}/approve', { params: { path: { id } } })))
      return null
    } catch (e) {
      return errorMessage(e)
    } finally {
      busy.value = null
    }
  }

  // 人工评分
  const manual = reactive({ visible: false, grant: null as IncentiveGrant | null, percent: 0 })
  const manualErrors = useFieldErrors()
  const manualSaving = ref(false)
  function openManual(g: IncentiveGrant) {
    Object.assign(manual, { visible: true, grant: g, percent: g.facts.manual_percent })
    manualErrors.clear()
  }
  async function submitManual(): Promise<boolean> {
    if (!manual.grant) return false
    manualErrors.clear()
    manualSaving.value = true
    try {
      replace(await unwrap(api.PUT('/incentive-grants/{id}/manual', { params: { path: { id: manual.grant.id } }, body: { manual_percent: manual.percent } })))
      manual.visible = false
      return true
    } catch (e) {
      manualErrors.apply(e, ['manual_percent'])
      return false
    } finally {
      manualSaving.value = false
    }
  }

  // 登记拨付
  const disburse = reactive({ visible: false, grant: null as IncentiveGrant | null, amount: '', disbursed_on: localDay(), voucher: '' })
  const disburseErrors = useFieldErrors()
  const disburseSaving = ref(false)
  function openDisburse(g: IncentiveGrant) {
    Object.assign(disburse, { visible: true, grant: g, amount: g.amount_yuan, disbursed_on: localDay(), voucher: '' })
    disburseErrors.clear()
  }
  async function submitDisburse(): Promise<boolean> {
    if (!disburse.grant) return false
    disburseErrors.clear()
    if (!disburse.amount.trim()) disburseErrors.fields.amount = '请填写拨付金额'
    if (!disburse.disbursed_on) disburseErrors.fields.disbursed_on = '请选择拨付日期'
    if (!disburse.voucher.trim()) disburseErrors.fields.voucher = '请填写凭证号'
    if (Object.keys(disburseErrors.fields).length) return false
    disburseSaving.value = true
    try {
      replace(
        await unwrap(
          api.POST('/incentive-grants/{id}/disburse', {
            params: { path: { id: disburse.grant.id } },
            body: { amount: disburse.amount.trim(), disbursed_on: disburse.disbursed_on, voucher: disburse.voucher.trim() },
          }),
        ),
      )
      disburse.visible = false
      return true
    } catch (e) {
      disburseErrors.apply(e, ['amount', 'disbursed_on', 'voucher'])
      return false
    } finally {
      disburseSaving.value = false
    }
  }

  // 评分标准
  const criteriaEdit = reactive({ visible: false, form: null as CriteriaForm | null })
  const criteriaErrors = useFieldErrors()
  const criteriaSaving = ref(false)
  function openCriteria() {
    if (!criteria.value) return
    criteriaEdit.form = criteriaForm(criteria.value)
    criteriaEdit.visible = true
    criteriaErrors.clear()
  }
  async function submitCriteria(): Promise<boolean> {
    if (!criteriaEdit.form) return false
    criteriaErrors.clear()
    const { errors, body } = criteriaPayload(criteriaEdit.form)
    if (!body) {
      Object.assign(criteriaErrors.fields, errors)
      return false
    }
    criteriaSaving.value = true
    try {
      criteria.value = await unwrap(api.PUT('/grant-criteria', { body }))
      criteriaEdit.visible = false
      return true
    } catch (e) {
      criteriaErrors.apply(e, ['weights', 'tiers', ...GRANT_PARTS.map((p) => p.key)])
      return false
    } finally {
      criteriaSaving.value = false
    }
  }

  return {
    year,
    criteria,
    items,
    loading,
    error,
    assessing,
    busy,
    counts,
    load,
    assess,
    approve,
    manual,
    manualErrors,
    manualSaving,
    openManual,
    submitManual,
    disburse,
    disburseErrors,
    disburseSaving,
    openDisburse,
    submitDisburse,
    criteriaEdit,
    criteriaErrors,
    criteriaSaving,
    openCriteria,
    submitCriteria,
  }
}
