/**
 * One evaluation: its scoring sheet, my scores per target (PUT /evaluations/{id}/scores replaces
 * mine for that target), the ranking of everyone's scores, and closing it.
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import { fetchEvaluation, type EvaluationDetail, type SheetItem } from '@/api/goals'

export type ScoreRow = Record<string, number | undefined>

/** My scores as editable rows: target id → item code → score (undefined: not scored yet). */
export function scoreRows(d: Pick<EvaluationDetail, 'targets' | 'sheet' | 'my_scores'>): Record<number, ScoreRow> {
  const out: Record<number, ScoreRow> = {}
  for (const t of d.targets) {
    const mine = (d.my_scores as Record<string, Record<string, number>>)[String(t.id)] ?? {}
    out[t.id] = Object.fromEntries(d.sheet.map((s) => [s.code, mine[s.code]]))
  }
  return out
}

/** The weighted total (out of 100) of one row, as the server computes it per evaluator; null until complete. */
export function rowTotal(sheet: SheetItem[], row: ScoreRow): number | null {
  const weights = sheet.reduce((s, i) => s + i.weight, 0)
  if (!weights || sheet.some((i) => row[i.code] == null)) return null
  const sum = sheet.reduce((s, i) => s + ((row[i.code] ?? 0) / i.max_score) * i.weight, 0)
  return Math.round((sum * 100 * 100) / weights) / 100
}

export function useEvaluationDetail(id: () => number) {
  const detail = shallowRef<EvaluationDetail | null>(null)
  const loading = ref(false)
  const error = ref('')
  const rows = reactive<Record<number, ScoreRow>>({})
  const rowErrors = reactive<Record<number, string>>({})
  const savingRow = ref<number | null>(null)
  const closing = ref(false)
  const open = computed(() => detail.value?.status === 'open')
  const scored = computed(() => Object.keys(detail.value?.my_scores ?? {}).length)

  function set(d: EvaluationDetail, keepEdits = false) {
    detail.value = d
    const fresh = scoreRows(d)
    for (const [k, v] of Object.entries(fresh)) if (!keepEdits || !rows[Number(k)]) rows[Number(k)] = v
  }

  async function load() {
    loading.value = true
    error.value = ''
    try {
      const d = await fetchEvaluation(id())
      for (const k of Object.keys(rows)) delete rows[Number(k)]
      set(d)
    } catch (e) {
      detail.value = null
      error.value = e instanceof ApiError && (e.status === 404 || e.status === 403) ? '评比不存在或无权访问' : errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function saveRow(targetId: number): Promise<boolean> {
    const d = detail.value
    if (!d) return false
    delete rowErrors[targetId]
    const row = rows[targetId] ?? {}
    const missing = d.sheet.filter((s) => row[s.code] == null)
    if (missing.length) {
      rowErrors[targetId] = `请为“${missing.map((s) => s.label).join('、')}”打分`
      return false
    }
    savingRow.value = targetId
    try {
      const scores = Object.fromEntries(d.sheet.map((s) => [s.code, Number(row[s.code])]))
      const updated = await unwrap(api.PUT('/evaluations/{id}/scores', { params: { path: { id: d.id } }, body: { target_id: targetId, scores } }))
      set(updated, true)
      rows[targetId] = scoreRows(updated)[targetId]
      return true
    } catch (e) {
      rowErrors[targetId] = e instanceof ApiError && Object.keys(e.errors).length ? Object.values(e.errors).flat().join('；') : errorMessage(e)
      return false
    } finally {
      savingRow.value = null
    }
  }

  async function close(): Promise<string | null> {
    const d = detail.value
    if (!d) return null
    closing.value = true
    try {
      set(await unwrap(api.POST('/evaluations/{id}/close', { params: { path: { id: d.id } } })))
      return null
    } catch (e) {
      return errorMessage(e)
    } finally {
      closing.value = false
    }
  }

  return { detail, loading, error, rows, rowErrors, savingRow, closing, open, scored, load, saveRow, close }
}
