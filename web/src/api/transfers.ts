/**
 * 组织关系转接: a request inside the deployment (the sending organisation asks, the receiving one
 * accepts or sends it back; until then the sender manages the member), the paper introduction letter
 * (党员组织关系介绍信) to an organisation outside it (issued, then its receipt 回执 comes back within a
 * month), and a letter that arrived from outside, registered with the member it brings. The rules live
 * on the server (honglian_domain::party_affairs::transfers); the `can_*` flags say what the caller may do.
 */
import type { components } from './schema'
import { api, cleanQuery, unwrap } from './client'
import { downloadFile } from './download'

type S = components['schemas']

export type Transfer = S['TransferView']
export type TransferPage = S['TransferPage']
export type TransferSummary = S['TransferSummary']
export type TransferDestination = S['TransferDestination']
export type TransferKind = S['TransferKind']
export type TransferStatus = S['TransferStatus']
export type TransferRequestInput = S['TransferRequestInput']
export type LetterOutInput = S['TransferLetterInput']
export type LetterInInput = S['TransferIncomingInput']
export type IncomingMemberInput = S['IncomingMember']
/** `out`: sent by my organisations; `in`: coming to them; `all`: either (a member's record). */
export type TransferDirection = 'out' | 'in' | 'all'

export interface TransferQuery {
  direction: TransferDirection
  org_id?: number | null
  status?: TransferStatus | ''
  overdue?: boolean
  member_id?: number | null
  page?: number
  per_page?: number
}

export function fetchTransfers(q: TransferQuery): Promise<TransferPage> {
  return unwrap(
    api.GET('/transfers', {
      params: {
        query: cleanQuery({
          direction: q.direction,
          org_id: q.org_id ?? undefined,
          status: q.status || undefined,
          overdue: q.overdue || undefined,
          member_id: q.member_id ?? undefined,
          page: q.page,
          per_page: q.per_page,
        }),
      },
    }),
  )
}

export function fetchTransferSummary(): Promise<TransferSummary> {
  return unwrap(api.GET('/transfers/summary'))
}

/** Active organisations anywhere in the deployment (another county too), by name: at least two characters. */
export function searchDestinations(q: string): Promise<TransferDestination[]> {
  return unwrap(api.GET('/transfers/destinations', { params: { query: { q } } }))
}

export function requestTransfer(body: TransferRequestInput): Promise<Transfer> {
  return unwrap(api.POST('/transfers', { body }))
}

export function issueLetter(body: LetterOutInput): Promise<Transfer> {
  return unwrap(api.POST('/transfers/letters', { body }))
}

export function registerIncoming(body: LetterInInput): Promise<Transfer> {
  return unwrap(api.POST('/transfers/incoming', { body }))
}

export function acceptTransfer(id: number, on?: string): Promise<Transfer> {
  return unwrap(api.POST('/transfers/{id}/accept', { params: { path: { id } }, body: { on: on ?? null } }))
}

export function refuseTransfer(id: number, reason: string): Promise<Transfer> {
  return unwrap(api.POST('/transfers/{id}/refuse', { params: { path: { id } }, body: { reason } }))
}

export function cancelTransfer(id: number, reason?: string | null): Promise<Transfer> {
  return unwrap(api.POST('/transfers/{id}/cancel', { params: { path: { id } }, body: { reason: reason || null } }))
}

export function recordReceipt(id: number, on: string): Promise<Transfer> {
  return unwrap(api.POST('/transfers/{id}/receipt', { params: { path: { id } }, body: { on } }))
}

/** The three-part 介绍信 (存根, the letter, the 回执) of a letter out; resolves to the file name. */
export function downloadLetter(t: Pick<Transfer, 'id' | 'member_name'>): Promise<string> {
  return downloadFile(`/transfers/${t.id}/letter.pdf`, {}, `${t.member_name}党员组织关系介绍信.pdf`)
}

/** The 回执 to send back for a letter that came in; resolves to the file name. */
export function downloadReceipt(t: Pick<Transfer, 'id' | 'member_name'>): Promise<string> {
  return downloadFile(`/transfers/${t.id}/receipt.pdf`, {}, `${t.member_name}组织关系介绍信回执.pdf`)
}
