/**
 * The member import wizard as a small state machine:
 *
 *   pick ──check──▶ checking ──▶ checked ──import──▶ importing ──▶ done
 *     ▲                │            │ (errors: import disabled)  │
 *     └──── reset ◀── failed ◀──────┴────────────────────────────┘
 *
 * Every run uploads the file with `background=true` (so large files show real
 * progress: the upload's bytes, then the rows the server has checked, polled
 * from GET /jobs/{id}); a server that answers at once (200/422) works too.
 */
import { computed, ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { downloadFile } from '@/api/download'
import { ApiError, toApiError, errorMessage } from '@/api/errors'
import { uploadForm, type UploadAnswer } from '@/api/upload'
import type { ColumnMapping, ImportMappingView, ImportReport, Job } from '@/api/types'

export type ImportPhase = 'pick' | 'checking' | 'checked' | 'importing' | 'done' | 'failed'

export interface ImportProgress {
  stage: 'upload' | 'process'
  /** 0–100 */
  percent: number
  text: string
}

export interface ImportDeps {
  upload(file: File, dryRun: boolean, onProgress: (loaded: number, total: number) => void, mapping?: ColumnMapping | null): Promise<UploadAnswer>
  getJob(id: number): Promise<Job>
  sleep(ms: number): Promise<void>
}

export const MAX_FILE_MB = 20
const POLL_MS = 400

const defaultDeps: ImportDeps = {
  upload(file, dryRun, onProgress, mapping) {
    const form = new FormData()
    if (mapping) form.append('mapping', JSON.stringify(mapping))
    form.append('file', file, file.name)
    return uploadForm('/imports/members', { dry_run: dryRun, background: true }, form, { onProgress })
  },
  getJob: (id) => unwrap(api.GET('/jobs/{id}', { params: { path: { id } } })),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
}

function isReport(x: unknown): x is ImportReport {
  return !!x && typeof x === 'object' && Array.isArray((x as ImportReport).errors) && typeof (x as ImportReport).rows === 'number'
}

/** The wizard step (el-steps `active`) for a phase. */
export function stepOf(phase: ImportPhase, hasReport: boolean): number {
  switch (phase) {
    case 'pick':
      return 1
    case 'checking':
      return 1
    case 'checked':
      return 2
    case 'importing':
      return 2
    case 'done':
      return 4
    case 'failed':
      return hasReport ? 2 : 1
  }
}

export function useMemberImport(deps: ImportDeps = defaultDeps) {
  const phase = ref<ImportPhase>('pick')
  const file = shallowRef<File | null>(null)
  const report = shallowRef<ImportReport | null>(null)
  const progress = ref<ImportProgress | null>(null)
  const error = ref('')
  const fileError = ref('')
  /** The column mapping sent with the file (chosen from the saved ones, or made by hand). */
  const mapping = shallowRef<ColumnMapping | null>(null)
  const savedMappings = ref<ImportMappingView[]>([])

  const step = computed(() => stepOf(phase.value, !!report.value))
  const busy = computed(() => phase.value === 'checking' || phase.value === 'importing')
  /** Importing is allowed after a clean dry run of this very file. */
  const canImport = computed(
    () => phase.value === 'checked' && !!report.value && report.value.dry_run && report.value.errors.length === 0 && report.value.valid > 0,
  )

  function choose(f: File | null) {
    if (busy.value) return
    fileError.value = ''
    error.value = ''
    report.value = null
    progress.value = null
    phase.value = 'pick'
    file.value = null
    if (!f) return
    const lower = f.name.toLowerCase()
    if (!lower.endsWith('.xlsx') && !lower.endsWith('.csv')) {
      fileError.value = '请选择 .xlsx 或 .csv 文件（旧版 .xls 请先在 Excel 中另存为 .xlsx）'
      return
    }
    if (f.size > MAX_FILE_MB * 1024 * 1024) {
      fileError.value = `文件过大（${(f.size / 1024 / 1024).toFixed(1)} MB），上限 ${MAX_FILE_MB} MB`
      return
    }
    file.value = f
  }

  async function run(dryRun: boolean): Promise<void> {
    const f = file.value
    if (!f || busy.value) return
    phase.value = dryRun ? 'checking' : 'importing'
    error.value = ''
    progress.value = { stage: 'upload', percent: 0, text: '正在上传…' }
    try {
      const answer = await deps.upload(
        f,
        dryRun,
        (loaded, total) => {
          const p = total > 0 ? Math.floor((loaded / total) * 100) : 0
          progress.value = { stage: 'upload', percent: p, text: `正在上传 ${p}%` }
        },
        mapping.value,
      )
      let result: ImportReport
      if (answer.status === 202) {
        result = await poll(answer.body as Job, dryRun)
      } else if (isReport(answer.body) && (answer.status === 200 || answer.status === 422)) {
        result = answer.body
      } else {
        throw toApiError(answer.status, answer.body)
      }
      report.value = result
      progress.value = null
      if (dryRun || result.errors.length > 0) {
        phase.value = 'checked'
        if (!dryRun) error.value = '导入时发现错误，未写入任何数据，请修改文件后重新检查'
      } else {
        phase.value = 'done'
      }
    } catch (e) {
      progress.value = null
      phase.value = 'failed'
      // A refused file (size, type, missing columns) comes as a `file` field error.
      error.value = e instanceof ApiError ? (e.fieldError('file') ?? e.summary) : errorMessage(e)
    }
  }

  async function poll(job: Job, dryRun: boolean): Promise<ImportReport> {
    const verb = dryRun ? '正在检查' : '正在导入'
    progress.value = { stage: 'process', percent: 0, text: `${verb}…` }
    let j = job
    while (j.status === 'running') {
      await deps.sleep(POLL_MS)
      j = await deps.getJob(j.id)
      const p = j.total > 0 ? Math.min(100, Math.floor((j.processed / j.total) * 100)) : 0
      progress.value = { stage: 'process', percent: p, text: j.total > 0 ? `${verb} ${j.processed} / ${j.total} 行` : `${verb}…` }
    }
    if (j.status === 'failed') throw new Error(j.error || '处理失败，未写入任何数据')
    if (!isReport(j.result)) throw new Error('服务器没有返回导入结果')
    return j.result
  }

  const check = () => run(true)
  const importNow = () => (canImport.value ? run(false) : Promise.resolve())

  function reset() {
    if (busy.value) return
    choose(null)
  }

  const downloadingTemplate = ref(false)
  async function downloadTemplate() {
    downloadingTemplate.value = true
    try {
      await downloadFile('/imports/members/template.xlsx', {}, '党员信息导入模板.xlsx')
    } finally {
      downloadingTemplate.value = false
    }
  }

  const downloadingExample = ref('')
  async function downloadExample(kind: 'clean' | 'messy') {
    downloadingExample.value = kind
    try {
      await downloadFile(`/imports/members/examples/${kind}.xlsx`, {}, kind === 'clean' ? '示例花名册.xlsx' : '示例花名册（有问题）.xlsx')
    } finally {
      downloadingExample.value = ''
    }
  }

  /** The county's saved mappings (offered on the next import). */
  async function loadMappings() {
    const r = await unwrap(api.GET('/imports/members/mappings'))
    savedMappings.value = r.items
  }

  /** Checks the file again with a mapping; saves it under `name` first when one is given (returns its id). */
  async function checkWith(m: ColumnMapping, name = ''): Promise<number | null> {
    if (busy.value) return null
    let saved: ImportMappingView | null = null
    if (name.trim()) {
      saved = await unwrap(api.POST('/imports/members/mappings', { body: { name: name.trim(), header_row: m.header_row, columns: m.columns } }))
      await loadMappings()
    }
    mapping.value = m
    await run(true)
    return saved?.id ?? null
  }

  /** Uses a saved mapping (or none: headers recognised by name) for the next check. */
  function useSaved(id: number | null) {
    const m = savedMappings.value.find((x) => x.id === id)
    mapping.value = m ? { header_row: m.header_row, columns: m.columns } : null
  }

  return {
    phase,
    file,
    report,
    progress,
    error,
    fileError,
    step,
    busy,
    canImport,
    choose,
    check,
    importNow,
    reset,
    downloadingTemplate,
    downloadTemplate,
    downloadingExample,
    downloadExample,
    mapping,
    savedMappings,
    loadMappings,
    checkWith,
    useSaved,
  }
}
