/**
 * 个人信息处理规则 (the PIPL notice) and 删除个人信息 (PIPL §47): short names for the generated types and
 * the calls the console and the portal share.
 */
import { api, unwrap } from './client'
import type { components } from './schema'

type S = components['schemas']

export type PrivacyNotice = S['PrivacyNotice']
export type NoticeSection = S['NoticeSection']

/** The notice as this deployment states it (no sign-in needed). */
export function fetchPrivacyNotice(): Promise<PrivacyNotice> {
  return unwrap(api.GET('/privacy-notice'))
}

/** Records which version was shown (audited; nothing is asked of the member). */
export async function recordNoticeShown(version: string, occasion: 'activation' | 'portal'): Promise<void> {
  await unwrap(api.POST('/privacy-notice/shown', { body: { version, occasion } }))
}

/** The statuses of a member who has left: only their personal fields may be erased. */
export const DEPARTED_STATUSES = ['left', 'deceased', 'transferred_out'] as const

export function isDeparted(status: string): boolean {
  return (DEPARTED_STATUSES as readonly string[]).includes(status)
}

/** What a member's record says about the retention of their personal fields, in one line (or ''). */
export function retentionLine(m: { personal_erased_at?: string | null; personal_erase_due?: string | null }): string {
  if (m.personal_erased_at) return `个人信息已于 ${chinaDay(m.personal_erased_at)} 删除`
  if (m.personal_erase_due) return `个人信息将于 ${m.personal_erase_due} 自动删除`
  return ''
}

/** The day (China time) of a UTC timestamp. */
function chinaDay(iso: string): string {
  const t = new Date(iso).getTime() + 8 * 3600 * 1000
  return new Date(t).toISOString().slice(0, 10)
}

/** Erases a departed member's personal fields (删除个人信息) with a reason. */
export function erasePersonalData(id: number, reason: string) {
  return unwrap(api.POST('/members/{id}/erase-personal-data', { params: { path: { id } }, body: { reason } }))
}
