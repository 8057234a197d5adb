/**
 * 先锋工程: honours campaigns (两优一先 and local ones) — quotas per organisation, nominations after
 * the branch meeting's vote reviewed level by level, the public notice with its objections, the
 * award, and the honours on members' and organisations' records. Short names for the generated
 * types, the labels, and the calls the pages share.
 */
import type { components } from './schema'
import { api, unwrap } from './client'
import { downloadFile } from './download'
import type { TagType } from './hometown'

type S = components['schemas']

export type HonourSubject = S['HonourSubject']
export type HonourView = S['HonourView']
export type CampaignStatus = S['CampaignStatus']
export type NominationStatus = S['NominationStatus']
export type Quota = S['QuotaView']
export type QuotaItem = S['QuotaItem']
export type Nomination = S['NominationView']
export type NominationDetail = S['NominationDetail']
export type NominationInput = S['NominationInput']
export type ReviewStep = S['ReviewStepView']
export type PublishedEntry = S['PublishedEntry']
export type HonourRecord = S['HonourRecord']
export type MyHonours = S['MyHonours']
export type HonourNotice = S['NoticeView']
export type CampaignInput = S['CampaignInput']
export type Objection = S['ObjectionView']
export type ObjectionInput = S['ObjectionInput']
export type ObjectionHandling = S['ObjectionHandling']

export type HonourCampaign = S['HonourCampaign']
export type CampaignDetail = S['CampaignDetail']
export type HonourReviewInput = S['HonourReviewInput']

export interface StatusStyle<T> {
  value: T
  label: string
  type: TagType
  effect: 'light' | 'dark' | 'plain'
}

/** Where a nomination stands, in order; the tag of each. */
export const NOMINATION_STATUSES: StatusStyle<NominationStatus>[] = [
  { value: 'reviewing', label: '逐级审核中', type: 'primary', effect: 'light' },
  { value: 'recommended', label: '待公示', type: 'warning', effect: 'plain' },
  { value: 'notice', label: '公示中', type: 'warning', effect: 'light' },
  { value: 'awarded', label: '已表彰', type: 'danger', effect: 'dark' },
  { value: 'rejected', label: '未通过', type: 'info', effect: 'plain' },
  { value: 'withdrawn', label: '已撤销', type: 'info', effect: 'light' },
]

export const CAMPAIGN_STATUSES: StatusStyle<CampaignStatus>[] = [
  { value: 'nominating', label: '推荐审核中', type: 'primary', effect: 'light' },
  { value: 'notice', label: '公示中', type: 'warning', effect: 'light' },
  { value: 'awarded', label: '已表彰', type: 'success', effect: 'light' },
]

export function nominationStatusOf(s: NominationStatus): StatusStyle<NominationStatus> {
  return NOMINATION_STATUSES.find((x) => x.value === s) ?? NOMINATION_STATUSES[0]
}

export function campaignStatusOf(s: CampaignStatus): StatusStyle<CampaignStatus> {
  return CAMPAIGN_STATUSES.find((x) => x.value === s) ?? CAMPAIGN_STATUSES[0]
}

export const SUBJECTS: { value: HonourSubject; label: string }[] = [
  { value: 'member', label: '党员' },
  { value: 'org', label: '党组织' },
]

/** 两优一先: what a campaign offers unless it says otherwise. */
export const DEFAULT_HONOURS: { name: string; subject: HonourSubject }[] = [
  { name: '优秀共产党员', subject: 'member' },
  { name: '优秀党务工作者', subject: 'member' },
  { name: '先进基层党组织', subject: 'org' },
]

// ------------------------------------------------------------------ campaigns

export async function fetchCampaigns(): Promise<HonourCampaign[]> {
  const r = await unwrap(api.GET('/honour-campaigns'))
  return r.items
}

export async function fetchCampaign(id: number): Promise<CampaignDetail> {
  return (await unwrap(api.GET('/honour-campaigns/{id}', { params: { path: { id } } })))
}

export async function createCampaign(body: CampaignInput): Promise<CampaignDetail> {
  return (await unwrap(api.POST('/honour-campaigns', { body })))
}

export async function saveQuotas(id: number, items: QuotaItem[]): Promise<CampaignDetail> {
  return (await unwrap(api.PUT('/honour-campaigns/{id}/quotas', { params: { path: { id } }, body: { items } })))
}

export async function startNotice(id: number): Promise<CampaignDetail> {
  return (await unwrap(api.POST('/honour-campaigns/{id}/notice', { params: { path: { id } } })))
}

export async function awardCampaign(id: number, on: string): Promise<CampaignDetail> {
  return (await unwrap(api.POST('/honour-campaigns/{id}/award', { params: { path: { id } }, body: { on } })))
}

/** The notice list (公示名单) or, after the award, the award list (表彰名单), as a download. */
export function downloadList(c: Pick<HonourCampaign, 'id' | 'title' | 'status'>, format: 'xlsx' | 'pdf'): Promise<string> {
  const kind = c.status === 'awarded' ? '表彰名单' : '公示名单'
  return downloadFile(`/honour-campaigns/${c.id}/list.${format}`, {}, `${c.title}${kind}.${format}`)
}

// ------------------------------------------------------------------ nominations

export function fetchNomination(id: number): Promise<NominationDetail> {
  return unwrap(api.GET('/honour-nominations/{id}', { params: { path: { id } } }))
}

export function nominate(body: NominationInput): Promise<NominationDetail> {
  return unwrap(api.POST('/honour-nominations', { body }))
}

export function reviewNomination(id: number, body: HonourReviewInput): Promise<NominationDetail> {
  // The generated body type is the evaluation's ReviewInput (see the note at the top).
  return unwrap(api.POST('/honour-nominations/{id}/review', { params: { path: { id } }, body }))
}

export function addObjection(id: number, body: ObjectionInput): Promise<NominationDetail> {
  return unwrap(api.POST('/honour-nominations/{id}/objections', { params: { path: { id } }, body }))
}

export function handleObjection(id: number, objection_id: number, body: ObjectionHandling): Promise<NominationDetail> {
  return unwrap(api.POST('/honour-nominations/{id}/objections/{objection_id}', { params: { path: { id, objection_id } }, body }))
}

export function withdrawNomination(id: number, reason: string): Promise<NominationDetail> {
  return unwrap(api.POST('/honour-nominations/{id}/withdrawal', { params: { path: { id } }, body: { reason } }))
}

// ------------------------------------------------------------------ records and settings

export async function fetchHonourRecords(kind: 'member' | 'org', id: number): Promise<HonourRecord[]> {
  const r =
    kind === 'member'
      ? await unwrap(api.GET('/members/{id}/honours', { params: { path: { id } } }))
      : await unwrap(api.GET('/orgs/{id}/honours', { params: { path: { id } } }))
  return r.items
}

export function fetchMyHonours(): Promise<MyHonours> {
  return unwrap(api.GET('/me/honours'))
}

export async function fetchHonourSettings(): Promise<number> {
  return (await unwrap(api.GET('/honour-settings'))).notice_days
}

export async function saveHonourSettings(notice_days: number): Promise<number> {
  return (await unwrap(api.PUT('/honour-settings', { body: { notice_days } }))).notice_days
}

/** A published list by honour, in the order the honours first come (the server sends it by honour). */
export function groupByHonour<T extends { honour: string }>(entries: T[]): { honour: string; entries: T[] }[] {
  const out: { honour: string; entries: T[] }[] = []
  for (const e of entries) {
    const g = out.find((x) => x.honour === e.honour)
    if (g) g.entries.push(e)
    else out.push({ honour: e.honour, entries: [e] })
  }
  return out
}
