/**
 * 关爱工程: the county's care fund for university students from poor families — donations (with a
 * thank-you letter each), students' applications (reviewed by the branch, decided by the fund's
 * committee, on public notice, then paid), the fund's ledger and annual report. Short names for the
 * generated types, the labels, and the calls the pages share.
 */
import type { components } from './schema'
import { api, unwrap } from './client'
import { API_BASE } from './download'
import type { TagType } from './hometown'

type S = components['schemas']

export type Donation = S['DonationView']
export type DonationPage = S['DonationPage']
export type DonationInput = S['DonationInput']
export type Aid = S['AidView']
export type AidDetail = S['AidDetail']
export type AidPage = S['AidPage']
export type AidInput = S['AidInput']
export type AidStepInput = S['AidStepInput']
export type AidStep = S['AidStep']
export type AidStatus = S['AidStatus']
export type PayMethod = S['PayMethod']
export type DonorKind = S['DonorKind']
export type Objection = S['ObjectionView']
export type ObjectionInput = S['ObjectionInput']
export type ObjectionHandling = S['ObjectionHandling']
export type FundLedger = S['FundLedger']
export type FundYear = S['FundYear']
export type CareSettings = S['CareSettings']

/** The application's way in order, refused last; the tag of each. */
export const AID_STATUSES: { value: AidStatus; label: string; type: TagType; effect: 'light' | 'dark' | 'plain' }[] = [
  { value: 'applied', label: '待支部审核', type: 'info', effect: 'light' },
  { value: 'reviewed', label: '待基金会决定', type: 'primary', effect: 'light' },
  { value: 'notice', label: '公示中', type: 'warning', effect: 'light' },
  { value: 'disbursed', label: '已发放', type: 'success', effect: 'light' },
  { value: 'rejected', label: '未通过', type: 'info', effect: 'plain' },
]

export function aidStatusOf(s: AidStatus) {
  return AID_STATUSES.find((x) => x.value === s) ?? AID_STATUSES[0]
}

export const PAY_METHODS: { value: PayMethod; label: string }[] = [
  { value: 'bank', label: '银行转账' },
  { value: 'cash', label: '现金' },
  { value: 'other', label: '其他' },
]

export function payMethodLabel(m: PayMethod | null | undefined): string {
  return PAY_METHODS.find((x) => x.value === m)?.label ?? '—'
}

export const DONOR_KINDS: { value: DonorKind; label: string }[] = [
  { value: 'person', label: '个人' },
  { value: 'company', label: '企业' },
  { value: 'chamber', label: '商会' },
]

/** The fund began in 2004. */
export const FIRST_YEAR = 2004

/** The years to look up, next year (renewals) back to 2004. */
export function careYears(now: Date = new Date()): number[] {
  const out: number[] = []
  for (let y = now.getFullYear() + 1; y >= FIRST_YEAR; y--) out.push(y)
  return out
}

export function fetchAid(id: number): Promise<AidDetail> {
  return unwrap(api.GET('/care-aids/{id}', { params: { path: { id } } }))
}

export function fetchLedger(): Promise<FundLedger> {
  return unwrap(api.GET('/care-fund/ledger'))
}

export function fetchCareSettings(): Promise<CareSettings> {
  return unwrap(api.GET('/care-fund/settings'))
}

export function saveCareSettings(notice_days: number): Promise<CareSettings> {
  return unwrap(api.PUT('/care-fund/settings', { body: { notice_days } }))
}

/** The printable thank-you letter of a donation (opened in a new tab). */
export function letterUrl(id: number): string {
  return `${API_BASE}/care-donations/${id}/letter.pdf`
}
