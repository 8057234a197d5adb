/**
 * 评比与述职 (county admins: evaluation.write): the evaluations, the 新建评比 form with its
 * scoring sheet and targets, and the year's 述职评议 ratings with their form.
 */
import { reactive, ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchEvaluations, fetchReviews, type Evaluation, type EvaluationDetail, type Review, type SheetItem } from '@/api/goals'
import type { PickedOrg } from '@/components/OrgMultiPicker.vue'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { isQuarter, quarterOf } from '@/pages/goals/grants/money'

export const DEFAULT_SHEET: SheetItem[] = [
  { code: 'position', label: '阵地建设', weight: 20, max_score: 100 },
  { code: 'life', label: '组织生活', weight: 30, max_score: 100 },
  { code: 'brand', label: '品牌创建', weight: 30, max_score: 100 },
  { code: 'role', label: '作用发挥', weight: 20, max_score: 100 },
]

export function useEvaluationList() {
  const items = shallowRef<Evaluation[]>([])
  const loading = ref(false)
  const error = ref('')
  async function load() {
    loading.value = true
    error.value = ''
    try {
      items.value = (await fetchEvaluations()).items
    } catch (e) {
      items.value = []
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }
  return { items, loading, error, load }
}

export interface EvaluationFormState {
  kind: 'quarterly' | 'observation'
  title: string
  period: string
  sheet: SheetItem[]
  targets: PickedOrg[]
}

/** The client's first checks, worded like the server's (`domain/evaluation.rs`). */
export function checkEvaluation(f: EvaluationFormState): Record<string, string> {
  const e: Record<string, string> = {}
  if (!f.title.trim()) e.title = '请填写评比名称'
  if (!isQuarter(f.period)) e.period = '评比期间的格式为 2026-Q3'
  const sheet: string[] = []
  if (!f.sheet.length) sheet.push('评分表至少需要一个评分项')
  const codes = new Set<string>()
  f.sheet.forEach((it, i) => {
    const n = i + 1
    if (!it.code.trim()) sheet.push(`第 ${n} 个评分项的代码不能为空`)
    else if (codes.has(it.code.trim())) sheet.push(`评分项代码“${it.code.trim()}”重复`)
    codes.add(it.code.trim())
    if (!it.label.trim()) sheet.push(`第 ${n} 个评分项的名称不能为空`)
    if (!(it.weight >= 1)) sheet.push(`第 ${n} 个评分项的权重须至少为 1`)
    if (!(it.max_score >= 1 && it.max_score <= 1000)) sheet.push(`第 ${n} 个评分项的满分须在 1 至 1000 之间`)
  })
  if (sheet.length) e.items = sheet.join('；')
  if (!f.targets.length) e.target_ids = '请选择参评的党组织'
  return e
}

export function useEvaluationForm(orgId: () => number | null, onSaved: (d: EvaluationDetail) => void | Promise<void>) {
  const visible = ref(false)
  const form = reactive<EvaluationFormState>({ kind: 'quarterly', title: '', period: quarterOf(), sheet: [], targets: [] })
  const errors = useFieldErrors()
  const saving = ref(false)

  function open() {
    const period = quarterOf()
    Object.assign(form, {
      kind: 'quarterly',
      title: `${period.slice(0, 4)}年第${period.slice(-1)}季度党建工作评比`,
      period,
      sheet: DEFAULT_SHEET.map((s) => ({ ...s })),
      targets: [],
    })
    errors.clear()
    visible.value = true
  }
  function addItem() {
    form.sheet.push({ code: `item${form.sheet.length + 1}`, label: '', weight: 10, max_score: 100 })
  }
  function removeItem(i: number) {
    form.sheet.splice(i, 1)
  }

  async function submit() {
    errors.clear()
    const local = checkEvaluation(form)
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return
    }
    const org = orgId()
    if (org == null) {
      errors.general.value = '没有可组织评比的党组织'
      return
    }
    saving.value = true
    try {
      const d = await unwrap(
        api.POST('/evaluations', {
          body: {
            org_id: org,
            kind: form.kind,
            title: form.title.trim(),
            period: form.period.trim(),
            sheet: form.sheet.map((s) => ({ code: s.code.trim(), label: s.label.trim(), weight: Number(s.weight) || 0, max_score: Number(s.max_score) || 0 })),
            target_ids: form.targets.map((t) => t.id),
          },
        }),
      )
      visible.value = false
      await onSaved(d)
    } catch (e) {
      errors.apply(e, ['kind', 'title', 'period', 'items', 'sheet', 'target_ids', 'org_id'])
    } finally {
      saving.value = false
    }
  }

  return { visible, form, errors, saving, open, addItem, removeItem, submit }
}

export function useReviews() {
  const year = ref(new Date().getFullYear() - 1)
  const items = shallowRef<Review[]>([])
  const loading = ref(false)
  const error = ref('')
  async function load() {
    loading.value = true
    error.value = ''
    try {
      items.value = [...(await fetchReviews(year.value)).items].sort((a, b) => a.org.name.localeCompare(b.org.name, 'zh-CN'))
    } catch (e) {
      items.value = []
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  const visible = ref(false)
  const form = reactive({ org_id: null as number | null, org_name: '', rating: 'good', comment: '' })
  const errors = useFieldErrors()
  const saving = ref(false)
  function open(r?: Review) {
    Object.assign(form, r ? { org_id: r.org.id, org_name: r.org.name, rating: r.rating, comment: r.comment ?? '' } : { org_id: null, org_name: '', rating: 'good', comment: '' })
    errors.clear()
    visible.value = true
  }
  async function submit() {
    errors.clear()
    if (form.org_id == null) errors.fields.org_id = '请选择党组织'
    if (!form.rating) errors.fields.rating = '请选择评议等次'
    if (Object.keys(errors.fields).length) return
    saving.value = true
    try {
      await unwrap(api.PUT('/reviews', { body: { org_id: form.org_id!, year: year.value, rating: form.rating, comment: form.comment.trim() || null } }))
      visible.value = false
      await load()
      return true
    } catch (e) {
      errors.apply(e, ['org_id', 'year', 'rating', 'comment'])
    } finally {
      saving.value = false
    }
    return false
  }

  return { year, items, loading, error, load, visible, form, errors, saving, open, submit }
}
