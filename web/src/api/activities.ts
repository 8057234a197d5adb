/**
 * Organisational life (组织生活): activities, attendance, check-in, duties
 * (三会一课 compliance) and notifications. Short names for the generated types
 * plus the few calls that several pages share.
 */
import type { components } from './schema'
import { api, cleanQuery, unwrap } from './client'

type S = components['schemas']

export type Activity = S['ActivityView']
export type ActivityInput = S['ActivityInput']
export type ActivityKind = S['ActivityKind']
export type Attendee = S['AttendeeView']
export type AttendanceInput = S['AttendanceInput']
export type Attachment = S['AttachmentView']
export type Approval = S['ApprovalView']
export type MemberActivity = S['MemberActivity']
export type DutyItem = S['DutyItem']
export type DutyRule = S['DutyRule']
export type Board = S['Board']
export type BoardRow = S['BoardRow']
export type BoardCell = S['BoardCell']
export type LightCounts = S['Counts']
export type Notification = S['NotificationView']
export type NotificationList = S['NotificationList']

export type Light = 'blue' | 'yellow' | 'red'

export interface ActivityQuery {
  org?: number | null
  from?: string
  to?: string
  kind?: string
  status?: string
}

/** The server answers at most 200 rows a page. */
const MAX_PER_PAGE = 200

/**
 * Every activity matching the query (a month of a county is a few hundred):
 * pages through the list until `total` is reached, at most `maxPages` pages.
 */
export async function fetchAllActivities(q: ActivityQuery, maxPages = 10): Promise<{ items: Activity[]; total: number }> {
  const items: Activity[] = []
  let total = 0
  for (let page = 1; page <= maxPages; page++) {
    const res = await unwrap(
      api.GET('/activities', {
        params: { query: cleanQuery({ ...q, org: q.org ?? undefined, page, per_page: MAX_PER_PAGE }) },
      }),
    )
    items.push(...res.items)
    total = res.total
    if (items.length >= total || res.items.length === 0) break
  }
  return { items, total }
}

export function fetchActivity(id: number): Promise<Activity> {
  return unwrap(api.GET('/activities/{id}', { params: { path: { id } } }))
}

export function fetchMyActivities(): Promise<{ items: Activity[]; total: number }> {
  return unwrap(api.GET('/me/activities'))
}

/** Where an attachment is served (same origin, the session cookie authorises it). */
export function attachmentUrl(activityId: number, attachmentId: number): string {
  return `/api/v1/activities/${activityId}/attachments/${attachmentId}`
}
