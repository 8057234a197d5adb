/**
 * 通知公告 (bulletins): short names for the generated types, the kinds, and the calls the console page
 * and the phone share.
 */
import type { components } from './schema'
import { api, cleanQuery, unwrap } from './client'

type S = components['schemas']

export type BulletinKind = S['BulletinKind']
export type Bulletin = S['BulletinView']
export type BulletinPage = S['BulletinPage']
export type BulletinInput = S['BulletinInput']
export type MyBulletin = S['MyBulletin']
export type MyBulletinPage = S['MyBulletinPage']
export type MyBulletinDetail = S['MyBulletinDetail']

export const BULLETIN_KINDS: { value: BulletinKind; label: string }[] = [
  { value: 'notice', label: '通知公告' },
  { value: 'activity', label: '活动通知' },
]

export function fetchBulletins(q: { kind?: BulletinKind | ''; withdrawn?: boolean | null; page: number; per_page: number }): Promise<BulletinPage> {
  const query = cleanQuery({ kind: q.kind || undefined, withdrawn: q.withdrawn ?? undefined, page: q.page, per_page: q.per_page })
  return unwrap(api.GET('/bulletins', { params: { query } }))
}

export function fetchBulletin(id: number): Promise<Bulletin> {
  return unwrap(api.GET('/bulletins/{id}', { params: { path: { id } } }))
}

export function bulletinFileUrl(id: number, fileId: number): string {
  return `/api/v1/bulletins/${id}/attachments/${fileId}`
}

export function myBulletinFileUrl(id: number, fileId: number): string {
  return `/api/v1/me/bulletins/${id}/attachments/${fileId}`
}

/** A copy of everything kept about the signed-in member (个人信息副本), as a download. */
export function myDataUrl(format: 'xlsx' | 'pdf'): string {
  return `/api/v1/me/data.${format}`
}

/** Below this many member accounts reached the server keeps the read count to itself (it would say who). */
export const MIN_READ_COUNT = 3

/**
 * "已读 3 / 应读 12": counts only, never who has not read. While a bulletin reaches fewer than three
 * accounts the server sends no read count (`read` is null): "应读 2 人（不足 3 人，不显示已读数）".
 */
export function readLine(b: Pick<Bulletin, 'read' | 'reached'>): string {
  if (b.read == null) {
    return b.reached === 0 ? '应读 0 人（尚无开通账号的党员）' : `应读 ${b.reached} 人（不足 ${MIN_READ_COUNT} 人，不显示已读数）`
  }
  return `已读 ${b.read} / 应读 ${b.reached}`
}

/** Removes an attachment of a bulletin; the answer is the bulletin as it is now. */
export function removeBulletinFile(id: number, fileId: number): Promise<Bulletin> {
  return unwrap(api.DELETE('/bulletins/{id}/attachments/{attachment_id}', { params: { path: { id, attachment_id: fileId } } }))
}
