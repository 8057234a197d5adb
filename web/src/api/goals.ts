/**
 * 党建共同体与目标: communities (党建联盟, rota), key tasks (重点任务), coverage (两个覆盖)
 * and instructors (党建指导). Short names for the generated types plus the calls several pages share.
 */
import type { components } from './schema'
import { api, cleanQuery, unwrap } from './client'

type S = components['schemas']

export type Community = S['CommunityView']
export type CommunityDetail = S['CommunityDetail']
export type CommunityMember = S['CommunityMemberView']
export type PartTimeMember = S['PartTimeMemberView']
export type RoleLabel = S['RoleLabel']
export type Rota = S['RotaView']
export type RotaItem = S['RotaItem']
export type Secretary = S['SecretaryView']
export type Handover = S['HandoverView']
export type Swap = S['SwapView']

export type TaskList = S['TaskListView']
export type Task = S['TaskView']
export type TaskDetail = S['TaskDetail']
export type TaskInput = S['TaskInput']
export type TaskReport = S['ReportView']
export type Evidence = S['EvidenceView']
export type Milestone = S['Milestone']
export type TaskPage = S['TaskPage']
export type TaskRollup = S['TaskRollup']
export type RollupRow = S['RollupRow']
export type Meeting = S['MeetingView']

export type Host = S['HostView']
export type HostInput = S['HostInput']
export type CoverageStats = S['CoverageStats']
export type CoverageRow = S['CoverageRow']
export type CoverageCensus = S['CoverageCensusView']
export type CoverageEntry = S['CoverageEntryView']

export type InstructorGroup = S['InstructorGroupView']
export type Visit = S['VisitView']
/** A user who may be put in an instructor group. */
export type InstructorCandidate = S['CandidateView']

export function fetchTaskLists(year: number): Promise<{ items: TaskList[]; total: number }> {
  return unwrap(api.GET('/task-lists', { params: { query: { year } } }))
}

export function fetchTasks(q: { org?: number | null; year: number; list_id?: number | null; light?: string }): Promise<TaskPage> {
  return unwrap(
    api.GET('/tasks', {
      params: { query: cleanQuery({ org: q.org ?? undefined, year: q.year, list_id: q.list_id ?? undefined, light: q.light }) },
    }),
  )
}

export function fetchTask(id: number): Promise<TaskDetail> {
  return unwrap(api.GET('/tasks/{id}', { params: { path: { id } } }))
}

export function fetchRollup(q: { org?: number | null; year: number }): Promise<TaskRollup> {
  return unwrap(api.GET('/task-rollup', { params: { query: cleanQuery({ org: q.org ?? undefined, year: q.year }) } }))
}

export function fetchCoverageStats(org?: number | null): Promise<CoverageStats> {
  return unwrap(api.GET('/stats/coverage', { params: { query: cleanQuery({ org: org ?? undefined }) } }))
}

export function fetchCommunities(): Promise<{ items: Community[]; total: number }> {
  return unwrap(api.GET('/communities'))
}

/** The "2+1+X+N" role labels in use. */
export function fetchRoleLabels(): Promise<RoleLabel[]> {
  return unwrap(api.GET('/community-roles'))
}

export function fetchInstructorCandidates(q: string): Promise<{ items: InstructorCandidate[]; total: number }> {
  return unwrap(api.GET('/instructor-candidates', { params: { query: cleanQuery({ q: q.trim() }) } }))
}

/** Where a piece of evidence is served (same origin, the session cookie authorises it). */
export function evidenceUrl(taskId: number, evidenceId: number): string {
  return `/api/v1/tasks/${taskId}/evidence/${evidenceId}`
}

// 党建品牌, 评比与述职, 以奖代补.
export type BrandGallery = S['BrandGallery']
export type Brand = S['BrandView']
export type BrandInput = S['BrandInput']
export type ChecklistItem = S['ChecklistItem']

export type Evaluation = S['EvaluationView']
export type EvaluationDetail = S['EvaluationDetail']
export type EvaluationInput = S['EvaluationInput']
export type SheetItem = S['SheetItem']
export type Ranked = S['RankedView']
export type Review = S['ReviewView']
export type ReviewInput = S['ReviewInput']

export type GrantCriteria = S['GrantCriteria']
export type GrantTier = S['Tier']
export type GrantScore = S['GrantScore']
export type GrantFacts = S['GrantFacts']
/** One incentive grant (以奖代补). */
export type IncentiveGrant = S['IncentiveGrantView']

export function fetchBrands(q: { org?: number | null; year: number; cultivation?: boolean | null }): Promise<BrandGallery> {
  return unwrap(
    api.GET('/brand-projects', { params: { query: cleanQuery({ org: q.org ?? undefined, year: q.year, cultivation: q.cultivation ?? undefined }) } }),
  )
}

export function fetchEvaluations(): Promise<{ items: Evaluation[]; total: number }> {
  return unwrap(api.GET('/evaluations'))
}

export function fetchEvaluation(id: number): Promise<EvaluationDetail> {
  return unwrap(api.GET('/evaluations/{id}', { params: { path: { id } } }))
}

export function fetchReviews(year: number): Promise<{ items: Review[]; total: number }> {
  return unwrap(api.GET('/reviews', { params: { query: { year } } }))
}

export function fetchGrantCriteria(): Promise<GrantCriteria> {
  return unwrap(api.GET('/grant-criteria'))
}

export function fetchGrants(year: number): Promise<{ items: IncentiveGrant[]; total: number }> {
  return unwrap(api.GET('/incentive-grants', { params: { query: { year } } }))
}

