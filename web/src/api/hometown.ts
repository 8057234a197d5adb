/**
 * 回乡工程: investment drives (招商推介会) and the project leads (项目线索) they and the members bring
 * home, with their pipeline. Short names for the generated types, the stage and sector labels, and
 * the calls the pages share.
 */
import type { components } from './schema'
import { api, cleanQuery, unwrap } from './client'

type S = components['schemas']

export type Drive = S['DriveView']
export type DriveDetail = S['DriveDetail']
export type DrivePage = S['DrivePage']
export type DriveInput = S['DriveInput']
export type Lead = S['LeadView']
export type LeadDetail = S['LeadDetail']
export type LeadPage = S['LeadPage']
export type LeadInput = S['LeadInput']
export type StepInput = S['StepInput']
export type StepView = S['StepView']
export type StageOption = S['StageOption']
export type InvestmentFigures = S['InvestmentFigures']
export type Tally = S['Tally']
export type YearLanded = S['YearLanded']
export type InvestmentSettings = S['InvestmentSettings']
export type LeadStage = S['LeadStage']
export type Sector = S['Sector']
export type MemberName = S['MemberName']

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** The pipeline in order, dropped last; the tag and the chart colour of each stage. */
export const LEAD_STAGES: { value: LeadStage; label: string; type: TagType; effect: 'light' | 'dark' | 'plain'; color: string }[] = [
  { value: 'lead', label: '线索', type: 'info', effect: 'light', color: '#909399' },
  { value: 'contacted', label: '已对接', type: 'primary', effect: 'light', color: '#409eff' },
  { value: 'visited', label: '已考察', type: 'warning', effect: 'light', color: '#e6a23c' },
  { value: 'signed', label: '已签约', type: 'success', effect: 'light', color: '#67c23a' },
  { value: 'landed', label: '已落地', type: 'danger', effect: 'dark', color: '#c8161d' },
  { value: 'dropped', label: '已终止', type: 'info', effect: 'plain', color: '#c0c4cc' },
]

export function stageOf(s: LeadStage) {
  return LEAD_STAGES.find((x) => x.value === s) ?? LEAD_STAGES[0]
}

/** Landed or dropped: the lead moves no further. */
export function isFinal(s: LeadStage): boolean {
  return s === 'landed' || s === 'dropped'
}

export const SECTORS: { value: Sector; label: string }[] = [
  { value: 'manufacturing', label: '先进制造' },
  { value: 'agri_food', label: '农产品加工' },
  { value: 'tourism', label: '文旅康养' },
  { value: 'services', label: '现代服务业' },
  { value: 'energy', label: '新能源' },
  { value: 'electronics', label: '电子信息' },
  { value: 'construction', label: '建筑建材' },
  { value: 'logistics', label: '商贸物流' },
  { value: 'other', label: '其他' },
]

export function sectorLabel(s: Sector | string): string {
  return SECTORS.find((x) => x.value === s)?.label ?? s
}

export function fetchLead(id: number): Promise<LeadDetail> {
  return unwrap(api.GET('/investment-leads/{id}', { params: { path: { id } } }))
}

export function fetchDrive(id: number): Promise<DriveDetail> {
  return unwrap(api.GET('/investment-drives/{id}', { params: { path: { id } } }))
}

/** The drives of my scope for a picker (newest first, at most 200). */
export function fetchDriveOptions(year?: number | null): Promise<DrivePage> {
  return unwrap(api.GET('/investment-drives', { params: { query: cleanQuery({ year: year ?? undefined, per_page: 200 }) } }))
}

export function fetchSettings(): Promise<InvestmentSettings> {
  return unwrap(api.GET('/investment-settings'))
}

export function saveSettings(stale_days: number): Promise<InvestmentSettings> {
  return unwrap(api.PUT('/investment-settings', { body: { stale_days } }))
}

/** Today in Beijing (the county's calendar), YYYY-MM-DD. */
export function todayBeijing(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

/** A date picker's day (local midnight) as YYYY-MM-DD, to compare with the server's dates. */
export function pickerDay(day: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${day.getFullYear()}-${p(day.getMonth() + 1)}-${p(day.getDate())}`
}
