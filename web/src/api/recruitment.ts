/**
 * 发展党员: the people in the pipeline (board, roll-up, due reminders), one person with all twenty-five
 * steps of 《中国共产党发展党员工作细则》, filing an applicant, recording the next step, extending the
 * probation, stopping the procedure, the county's local rules, the member's own record on the phone,
 * and an applicant's own steps opened on the phone with the branch's code (入党进程查询). The rules
 * live on the server (honglian_domain::party_affairs::recruitment); the pages only show what it says
 * (each step's window and the rule behind it).
 */
import type { components } from './schema'
import { api, cleanQuery, unwrap } from './client'
import { downloadFile } from './download'

type S = components['schemas']

export type Recruit = S['RecruitView']
export type RecruitDetail = S['RecruitDetail']
export type RecruitStep = S['RecruitStepView']
export type RecruitPage = S['RecruitPage']
export type RecruitInput = S['RecruitInput']
export type RecruitStepInput = S['RecruitStepInput']
export type NextStep = S['NextStep']
export type ExtensionInput = S['RecruitExtensionInput']
export type StopInput = S['RecruitStopInput']
export type RecruitSummary = S['RecruitSummary']
export type RecruitSummaryRow = S['RecruitSummaryRow']
export type RecruitmentSettings = S['RecruitmentSettings']
export type RecruitStage = S['Stage']
export type PipelineStatus = S['PipelineStatus']
export type ProgressCode = S['ProgressCode']
export type ProgressQuery = S['ProgressQuery']

export interface RecruitQuery {
  org?: number | null
  stage?: RecruitStage | ''
  status?: PipelineStatus | ''
  q?: string
  due?: boolean
  page?: number
  per_page?: number
}

export function fetchRecruits(q: RecruitQuery): Promise<RecruitPage> {
  return unwrap(
    api.GET('/recruits', {
      params: {
        query: cleanQuery({
          org: q.org ?? undefined,
          stage: q.stage || undefined,
          status: q.status || undefined,
          q: q.q?.trim() || undefined,
          due: q.due || undefined,
          page: q.page,
          per_page: q.per_page,
        }),
      },
    }),
  )
}

/** 发展党员工作台账 of the board's filters (page ignored) as xlsx or PDF; resolves to the file name. */
export function downloadRecruitRoster(q: RecruitQuery, format: 'xlsx' | 'pdf'): Promise<string> {
  return downloadFile(
    `/recruits/roster.${format}`,
    {
      org: q.org ?? undefined,
      stage: q.stage || undefined,
      status: q.status || undefined,
      q: q.q?.trim() || undefined,
      due: q.due || undefined,
    },
    `发展党员工作台账.${format}`,
  )
}

export function fetchRecruit(id: number): Promise<RecruitDetail> {
  return unwrap(api.GET('/recruits/{id}', { params: { path: { id } } }))
}

export function createRecruit(body: RecruitInput): Promise<RecruitDetail> {
  return unwrap(api.POST('/recruits', { body }))
}

export function recordStep(id: number, body: RecruitStepInput): Promise<RecruitDetail> {
  return unwrap(api.POST('/recruits/{id}/steps', { params: { path: { id } }, body }))
}

export function extendProbation(id: number, body: ExtensionInput): Promise<RecruitDetail> {
  return unwrap(api.POST('/recruits/{id}/extension', { params: { path: { id } }, body }))
}

export function stopRecruit(id: number, body: StopInput): Promise<RecruitDetail> {
  return unwrap(api.POST('/recruits/{id}/stop', { params: { path: { id } }, body }))
}

export function fetchRecruitmentSummary(org?: number | null): Promise<RecruitSummary> {
  return unwrap(api.GET('/recruitment/summary', { params: { query: cleanQuery({ org: org ?? undefined }) } }))
}

export function fetchRecruitmentSettings(): Promise<RecruitmentSettings> {
  return unwrap(api.GET('/recruitment/settings'))
}

export function saveRecruitmentSettings(body: RecruitmentSettings): Promise<RecruitmentSettings> {
  return unwrap(api.PUT('/recruitment/settings', { body }))
}

/** The signed-in member's own record (a probationary member: the probation and conversion), or null. */
export function fetchMyRecruitment(): Promise<RecruitDetail | null> {
  return unwrap(api.GET('/me/recruitment'))
}

/**
 * A new 进度查询码 for an applicant (the branch's writers): shown this once, it replaces the one
 * before; 409 when the procedure was stopped.
 */
export function issueProgressCode(id: number): Promise<ProgressCode> {
  return unwrap(api.POST('/recruits/{id}/progress-code', { params: { path: { id } } }))
}

/**
 * An applicant's own steps (no sign-in): the code and the last six characters of the ID number.
 * 422 names the field (errors.code: a wrong or closed code; errors.id_tail: a wrong answer and the
 * tries left), 409 when that wrong answer closed the code, 429 when asked too often.
 */
export function fetchProgress(body: ProgressQuery): Promise<RecruitDetail> {
  return unwrap(api.POST('/recruitment/progress', { body }))
}
