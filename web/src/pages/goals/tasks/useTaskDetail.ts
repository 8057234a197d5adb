/** The task drawer: the task with its milestones and reports, and the 报告进展 form (with optional evidence). */
import { computed, reactive, ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage, toApiError } from '@/api/errors'
import { uploadForm } from '@/api/upload'
import { fetchTask, type Evidence, type TaskDetail } from '@/api/goals'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { checkAttachment } from '@/api/attachments'

export interface ReportForm {
  percent: number
  note: string
  milestones_done: number[]
  done: boolean
  file: File | null
}

export function blankReport(t: Pick<TaskDetail, 'actual_percent'> | null): ReportForm {
  return { percent: t?.actual_percent ?? 0, note: '', milestones_done: [], done: false, file: null }
}

/** The newest report (the one just filed): the highest id. */
export function newestReportId(t: Pick<TaskDetail, 'reports'>): number | null {
  return t.reports.reduce<number | null>((best, r) => (best === null || r.id > best ? r.id : best), null)
}

export function useTaskDetail(onChanged: (t: TaskDetail) => void) {
  const open = ref(false)
  const task = shallowRef<TaskDetail | null>(null)
  const loading = ref(false)
  const error = ref('')
  const form = reactive<ReportForm>(blankReport(null))
  const errors = useFieldErrors()
  const saving = ref(false)
  /** The report was saved but its evidence was refused: say so without losing the report. */
  const evidenceError = ref('')

  const openMilestones = computed(() => (task.value?.milestones ?? []).map((m, i) => ({ ...m, index: i })).filter((m) => !m.done_on))
  const reports = computed(() => [...(task.value?.reports ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at)))

  let seq = 0
  async function show(id: number) {
    const mine = ++seq
    open.value = true
    loading.value = true
    error.value = ''
    evidenceError.value = ''
    task.value = null
    errors.clear()
    try {
      const t = await fetchTask(id)
      if (mine !== seq) return
      task.value = t
      Object.assign(form, blankReport(t))
    } catch (e) {
      if (mine !== seq) return
      error.value = e instanceof ApiError && e.status === 404 ? '任务不存在或无权查看' : errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function setFile(f: File | null): string {
    if (f) {
      const problem = checkAttachment(f)
      if (problem) return problem
    }
    form.file = f
    return ''
  }

  async function uploadEvidence(taskId: number, reportId: number, file: File): Promise<Evidence> {
    const body = new FormData()
    body.append('file', file, file.name)
    const res = await uploadForm(`/tasks/${taskId}/reports/${reportId}/evidence`, {}, body)
    if (res.status >= 400) {
      const err = toApiError(res.status, res.body)
      throw new Error(err.fieldError('file') ?? err.summary)
    }
    return res.body as Evidence
  }

  async function submit(): Promise<boolean> {
    const t = task.value
    if (!t) return false
    errors.clear()
    evidenceError.value = ''
    if (!form.note.trim()) {
      errors.fields.note = '请填写进展情况'
      return false
    }
    saving.value = true
    try {
      let updated = await unwrap(
        api.POST('/tasks/{id}/reports', {
          params: { path: { id: t.id } },
          body: { percent: form.done ? 100 : form.percent, note: form.note.trim(), milestones_done: form.milestones_done, done: form.done },
        }),
      )
      const reportId = newestReportId(updated)
      if (form.file && reportId != null) {
        try {
          const ev = await uploadEvidence(t.id, reportId, form.file)
          updated = { ...updated, reports: updated.reports.map((r) => (r.id === reportId ? { ...r, evidence: [...r.evidence, ev] } : r)) }
        } catch (e) {
          evidenceError.value = `进展已报告，但佐证材料未能上传：${errorMessage(e)}`
        }
      }
      task.value = updated
      Object.assign(form, blankReport(updated))
      onChanged(updated)
      return true
    } catch (e) {
      errors.apply(e, ['percent', 'note', 'milestones_done', 'done'])
      return false
    } finally {
      saving.value = false
    }
  }

  /** After an edit in the task form. */
  function set(t: TaskDetail) {
    task.value = t
    onChanged(t)
  }

  return { open, task, loading, error, form, errors, saving, evidenceError, openMilestones, reports, show, setFile, submit, set }
}
