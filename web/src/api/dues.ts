/**
 * 党费: a member's dues (bases, the year's months, arrears, payments), the base the member's own
 * branch registers, a payment the branch (or the one receiving the member while away) records, the
 * summary by branch, and the member's own on the phone. Money in fen; the rules live on the server
 * (honglian_domain::party_affairs::dues), mirrored for previews in pages/party/dues/dues.ts.
 */
import type { components } from './schema'
import { api, cleanQuery, unwrap } from './client'
import { downloadFile } from './download'

type S = components['schemas']

export type MemberDues = S['MemberDues']
export type DuesBase = S['DuesBaseView']
export type DuesMonth = S['DuesMonthView']
export type DuesPayment = S['DuesPaymentView']
export type DuesBaseInput = S['DuesBaseInput']
export type DuesPaymentInput = S['DuesPaymentInput']
export type DuesSummary = S['DuesSummary']
export type DuesBranchRow = S['DuesBranchRow']
export type DuesCategory = S['DuesCategory']

/** The categories in the order of the rules, with short labels for a form (the server sends the long one). */
export const DUES_CATEGORIES: { value: DuesCategory; label: string; hint: string }[] = [
  { value: 'employed', label: '在职', hint: '按每月工资收入（税后）' },
  { value: 'retired', label: '离退休', hint: '按每月离退休费' },
  { value: 'farmer', label: '农民', hint: '每月 0.2 元至 1 元' },
  { value: 'student', label: '学生', hint: '每月 0.2 元' },
  { value: 'unemployed', label: '下岗失业', hint: '每月 0.2 元' },
  { value: 'relief', label: '依靠抚恤或救济生活', hint: '每月 0.2 元' },
]

/** How members usually pay (free text on the server; these are offered in the form). */
export const DUES_METHODS = ['现金', '微信', '支付宝', '银行转账']

export function fetchMemberDues(id: number, year?: number): Promise<MemberDues> {
  return unwrap(api.GET('/members/{id}/dues', { params: { path: { id }, query: cleanQuery({ year }) } }))
}

export function setDuesBase(id: number, body: DuesBaseInput): Promise<MemberDues> {
  return unwrap(api.PUT('/members/{id}/dues-base', { params: { path: { id } }, body }))
}

export function payDues(id: number, body: DuesPaymentInput): Promise<MemberDues> {
  return unwrap(api.POST('/members/{id}/dues-payments', { params: { path: { id } }, body }))
}

export function fetchDuesSummary(q: { org?: number | null; year?: number }): Promise<DuesSummary> {
  return unwrap(api.GET('/dues/summary', { params: { query: cleanQuery({ org: q.org ?? undefined, year: q.year }) } }))
}

/**
 * 党费收缴登记表 of a year (the summary's org and year) as xlsx or PDF; only for those who collect
 * (`member.write`, else 403). Resolves to the file name the server gives.
 */
export function downloadDuesLedger(q: { org?: number | null; year?: number }, format: 'xlsx' | 'pdf'): Promise<string> {
  return downloadFile(`/dues/ledger.${format}`, { org: q.org ?? undefined, year: q.year }, `${q.year ?? ''}年党费收缴登记表.${format}`)
}

export function fetchMyDues(year?: number): Promise<MemberDues> {
  return unwrap(api.GET('/me/dues', { params: { query: cleanQuery({ year }) } }))
}
