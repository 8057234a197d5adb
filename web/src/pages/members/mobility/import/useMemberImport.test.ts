import { describe, expect, it, vi } from 'vitest'
import type { ImportReport, Job } from '@/api/types'
import { stepOf, useMemberImport, type ImportDeps } from './useMemberImport'

const report = (over: Partial<ImportReport> = {}): ImportReport => ({ rows: 3, valid: 3, skipped: 0, written: 0, dry_run: true, header_row: 1, ignored_columns: [], outflows: 0, committees: 0, errors: [], warnings: [], ...over })
const job = (over: Partial<Job>): Job => ({ id: 7, kind: 'member_import', status: 'running', processed: 0, total: 0, ...over })
const file = (name = 'members.xlsx', size = 10) => new File([new Uint8Array(size)], name)

/** Upload answers 202; the job runs through `states`. */
function deps(states: Job[], uploadAnswer = { status: 202, body: job({}) as unknown }) {
  const seen: string[] = []
  const d: ImportDeps = {
    upload: vi.fn(async (_f, dryRun, onProgress) => {
      seen.push(`upload dry_run=${dryRun}`)
      onProgress(50, 100)
      onProgress(100, 100)
      return uploadAnswer
    }),
    getJob: vi.fn(async () => states.shift()!),
    sleep: vi.fn(async () => {}),
  }
  return { d, seen }
}

describe('member import wizard', () => {
  it('refuses files that are not xlsx/csv or too large, before uploading', () => {
    const w = useMemberImport(deps([]).d)
    w.choose(file('old.xls'))
    expect(w.file.value).toBeNull()
    expect(w.fileError.value).toContain('.xlsx')
    w.choose(file('big.xlsx', 21 * 1024 * 1024))
    expect(w.fileError.value).toContain('上限 20 MB')
    w.choose(file('ok.csv'))
    expect(w.file.value?.name).toBe('ok.csv')
    expect(w.fileError.value).toBe('')
  })

  it('checks in the background, showing upload and row progress, then allows the import', async () => {
    const progress: string[] = []
    const { d } = deps([job({ processed: 1000, total: 5000 }), job({ processed: 4000, total: 5000 }), job({ status: 'done', processed: 5000, total: 5000, result: report({ rows: 5000, valid: 4990, skipped: 10 }) as never })])
    const w = useMemberImport({ ...d, getJob: async (id) => {
      const j = await d.getJob(id)
      progress.push(w.progress.value?.text ?? '')
      return j
    } })
    w.choose(file())
    const running = w.check()
    expect(w.phase.value).toBe('checking')
    expect(w.busy.value).toBe(true)
    await running
    expect(progress[0]).toBe('正在检查…')
    expect(progress).toContain('正在检查 1000 / 5000 行')
    expect(w.phase.value).toBe('checked')
    expect(w.step.value).toBe(2)
    expect(w.report.value?.valid).toBe(4990)
    expect(w.canImport.value).toBe(true)
  })

  it('shows the preview when columns are missing, then checks again with the mapping given by hand', async () => {
    const preview = { sheet: '名单', header_row: null, rows: [{ row: 1, cells: ['名字', '证件号码'] }], columns: [{ field: 'name', label: '姓名', required: true, column: null }] }
    const missing = report({ rows: 0, valid: 0, errors: [{ row: 0, field: 'file', column: '', message: '前 20 行中没有找到表头' }], preview } as never)
    const mappings: unknown[] = []
    const d: ImportDeps = {
      upload: vi.fn(async (_f, _dry, _p, mapping) => {
        mappings.push(mapping ?? null)
        return { status: 200, body: mapping ? report({ valid: 1 }) : missing }
      }),
      getJob: vi.fn(),
      sleep: vi.fn(async () => {}),
    }
    const w = useMemberImport(d)
    w.choose(file())
    await w.check()
    expect(w.report.value?.preview?.rows[0].cells).toEqual(['名字', '证件号码'])
    expect(w.canImport.value).toBe(false)
    await w.checkWith({ header_row: 1, columns: { name: 'A', id_number: 'B' } })
    expect(mappings).toEqual([null, { header_row: 1, columns: { name: 'A', id_number: 'B' } }])
    expect(w.report.value?.preview).toBeFalsy()
    expect(w.canImport.value).toBe(true)
    // A saved mapping, or none: what the next check sends.
    w.savedMappings.value = [{ id: 4, name: '乡镇格式', header_row: 3, columns: { name: 'C' }, updated_at: '2026-12-06T00:00:00Z' }]
    w.useSaved(4)
    expect(w.mapping.value).toEqual({ header_row: 3, columns: { name: 'C' } })
    w.useSaved(null)
    expect(w.mapping.value).toBeNull()
  })

  it('keeps the import disabled while rows have errors', async () => {
    const bad = report({ valid: 2, errors: [{ row: 3, field: 'id_number', column: '身份证号', message: '校验码错误：应为 X' }] })
    const { d } = deps([job({ status: 'done', result: bad as never })])
    const w = useMemberImport(d)
    w.choose(file())
    await w.check()
    expect(w.phase.value).toBe('checked')
    expect(w.canImport.value).toBe(false)
    await w.importNow()
    expect(d.upload).toHaveBeenCalledTimes(1)
  })

  it('imports after a clean check and ends with the written count', async () => {
    const { d, seen } = deps([job({ status: 'done', result: report() as never }), job({ status: 'done', result: report({ dry_run: false, written: 3 }) as never })])
    const w = useMemberImport(d)
    w.choose(file())
    await w.check()
    await w.importNow()
    expect(seen).toEqual(['upload dry_run=true', 'upload dry_run=false'])
    expect(w.phase.value).toBe('done')
    expect(w.step.value).toBe(4)
    expect(w.report.value?.written).toBe(3)
  })

  it('reports a failed job and a refused file', async () => {
    const { d } = deps([job({ status: 'failed', error: '缺少必填列：身份证号（请使用导入模板）' })])
    const w = useMemberImport(d)
    w.choose(file())
    await w.check()
    expect(w.phase.value).toBe('failed')
    expect(w.error.value).toContain('缺少必填列')

    const refused = deps([], { status: 422, body: { title: '提交的内容有误', errors: { file: ['文件是空的'] } } }).d
    const w2 = useMemberImport(refused)
    w2.choose(file())
    await w2.check()
    expect(w2.phase.value).toBe('failed')
    expect(w2.error.value).toBe('文件是空的')
    expect(stepOf('failed', false)).toBe(1)
  })

  it('accepts an immediate report (no background job)', async () => {
    const { d } = deps([], { status: 200, body: report() })
    const w = useMemberImport(d)
    w.choose(file())
    await w.check()
    expect(w.phase.value).toBe('checked')
    expect(d.getJob).not.toHaveBeenCalled()
  })
})
