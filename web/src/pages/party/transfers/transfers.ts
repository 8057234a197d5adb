/**
 * 组织关系转接 on the pages: the statuses each tab filters by, the colour of a status, what the date
 * column says under the day, the filters kept in the address, the request bodies of the three dialogs
 * and the letter's dates previewed as typed. The server decides every rule
 * (honglian_domain::party_affairs::transfers) and says why it refuses; these only prepare the forms
 * and show its answers.
 */
import type { LocationQuery } from 'vue-router'
import type { IncomingMemberInput, LetterInInput, LetterOutInput, Transfer, TransferStatus } from '@/api/transfers'

// ------------------------------------------------------------------ statuses

export type Direction = 'in' | 'out'

export interface StatusInfo {
  value: TransferStatus
  /** As the server words it (for the filter before anything is loaded; rows show the server's label). */
  label: string
  /** The tabs where the status can occur: a letter out is never received here, a letter in never sent. */
  directions: Direction[]
  tag: 'primary' | 'success' | 'warning' | 'danger' | 'info'
}

export const STATUSES: StatusInfo[] = [
  { value: 'requested', label: '待接收', directions: ['in', 'out'], tag: 'warning' },
  { value: 'accepted', label: '已接收', directions: ['in', 'out'], tag: 'success' },
  { value: 'refused', label: '已退回', directions: ['in', 'out'], tag: 'danger' },
  { value: 'cancelled', label: '已撤销', directions: ['in', 'out'], tag: 'info' },
  { value: 'issued', label: '待回执', directions: ['out'], tag: 'warning' },
  { value: 'returned', label: '已回执', directions: ['out'], tag: 'success' },
  { value: 'registered', label: '已登记转入', directions: ['in'], tag: 'success' },
]

export function statusesFor(direction: Direction): StatusInfo[] {
  return STATUSES.filter((s) => s.directions.includes(direction))
}

export function statusTag(s: TransferStatus | string): StatusInfo['tag'] {
  return STATUSES.find((x) => x.value === s)?.tag ?? 'info'
}

/** Still in flight: the member waits to move (a request not yet answered, a letter without its receipt). */
export function isOpen(t: Pick<Transfer, 'status'>): boolean {
  return t.status === 'requested' || t.status === 'issued'
}

/** What the date column says under the day the transfer started. */
export function dateNote(t: Transfer): string {
  switch (t.status) {
    case 'requested':
      return '申请转接'
    case 'accepted':
      return t.decided_on ? `${t.decided_on} 接收` : '已接收'
    case 'refused':
      return t.decided_on ? `${t.decided_on} 退回` : '已退回'
    case 'cancelled':
      return t.decided_on ? `${t.decided_on} 撤销` : '已撤销'
    case 'issued':
      return t.valid_until ? `有效期至 ${t.valid_until}` : '开具介绍信'
    case 'returned':
      return t.receipt_on ? `${t.receipt_on} 回执` : '已回执'
    case 'registered':
      return t.dues_paid_to ? `党费交至 ${monthText(t.dues_paid_to)}` : '登记转入'
    default:
      return ''
  }
}

/** `2026-10` → `2026年10月`. */
export function monthText(month: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(month)
  return m ? `${m[1]}年${Number(m[2])}月` : month
}

/**
 * Whether the member's page is likely open to the caller on this side: the sender keeps the member
 * until the receiver accepts, the receiver has them after. The server decides (a link it refuses says so).
 */
export function memberLinkable(t: Transfer, direction: Direction | 'all'): boolean {
  if (t.member_id == null) return false
  if (direction === 'all') return true
  if (direction === 'out') return t.status !== 'accepted'
  return t.status === 'accepted' || t.status === 'registered'
}

// ------------------------------------------------------------------ filters in the address

export interface Filters {
  direction: Direction
  status: TransferStatus | ''
  /** Only letters whose receipt is overdue (the 转出 tab). */
  overdue: boolean
  page: number
}

export function blankFilters(direction: Direction = 'in'): Filters {
  return { direction, status: '', overdue: false, page: 1 }
}

function one(v: LocationQuery[string]): string {
  return (Array.isArray(v) ? v[0] : v) ?? ''
}

export function filtersFromQuery(q: LocationQuery): Filters {
  const overdue = one(q.overdue) === 'true'
  const direction: Direction = one(q.direction) === 'out' || overdue ? 'out' : 'in'
  const status = one(q.status)
  const page = Number(one(q.page))
  return {
    direction,
    status: statusesFor(direction).some((s) => s.value === status) ? (status as TransferStatus) : '',
    overdue,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  }
}

export function filtersToQuery(f: Filters): Record<string, string> {
  const q: Record<string, string> = {}
  if (f.direction === 'out') q.direction = 'out'
  if (f.status) q.status = f.status
  if (f.overdue && f.direction === 'out') q.overdue = 'true'
  if (f.page > 1) q.page = String(f.page)
  return q
}

/** The tab's badge: what waits for this side (requests to answer; requests and letters still out). */
export function tabCount(s: { waiting_in: number; pending_out: number; letters_awaiting: number } | null, d: Direction): number {
  if (!s) return 0
  return d === 'in' ? s.waiting_in : s.pending_out + s.letters_awaiting
}

// ------------------------------------------------------------------ days

/** `day` plus `n` days (YYYY-MM-DD, calendar arithmetic in UTC so no time zone shifts it). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}

/** The last day a letter is valid, the issue day counting as the first (a preview; the server's is shown after). */
export function validUntil(issuedOn: string, validDays: number): string {
  return addDays(issuedOn, Math.max(1, validDays) - 1)
}

/** The same day a month later, clamped at the month's end (31 January → 28/29 February): when the receipt is due. */
export function monthLater(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  const ny = m === 12 ? y + 1 : y
  const nm = m === 12 ? 1 : m + 1
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${ny}-${p(nm)}-${p(Math.min(d, last))}`
}

export const VALID_DAYS = { min: 7, max: 90, default: 30 }

// ------------------------------------------------------------------ forms and bodies

const opt = (s: string | null | undefined): string | null => (s ?? '').trim() || null

export interface RequestForm {
  member_id: number | null
  to_org_id: number | null
  note: string
}

export function blankRequest(memberId: number | null = null): RequestForm {
  return { member_id: memberId, to_org_id: null, note: '' }
}

export function checkRequest(f: RequestForm): Record<string, string | undefined> {
  return {
    member_id: f.member_id ? undefined : '请选择党员',
    to_org_id: f.to_org_id ? undefined : '请选择转入的党组织',
  }
}

export function requestBody(f: RequestForm) {
  return { member_id: f.member_id!, to_org_id: f.to_org_id!, note: opt(f.note) }
}

export interface LetterForm {
  member_id: number | null
  to_name: string
  destination: string
  issued_on: string
  valid_days: number
  note: string
}

export function blankLetter(today: string, memberId: number | null = null): LetterForm {
  return { member_id: memberId, to_name: '', destination: '', issued_on: today, valid_days: VALID_DAYS.default, note: '' }
}

export function checkLetter(f: LetterForm): Record<string, string | undefined> {
  return {
    member_id: f.member_id ? undefined : '请选择党员',
    to_name: f.to_name.trim() ? undefined : '请填写接收党组织',
    issued_on: f.issued_on ? undefined : '请选择开具日期',
    valid_days: f.valid_days >= VALID_DAYS.min && f.valid_days <= VALID_DAYS.max ? undefined : `有效期为 ${VALID_DAYS.min}–${VALID_DAYS.max} 天`,
  }
}

export function letterBody(f: LetterForm): LetterOutInput {
  return {
    member_id: f.member_id!,
    to_name: f.to_name.trim(),
    destination: opt(f.destination),
    issued_on: f.issued_on,
    valid_days: f.valid_days,
    note: opt(f.note),
  }
}

export interface IncomingForm {
  org_id: number | null
  letter_no: string
  from_name: string
  issued_on: string
  /** Optional: as written on the letter. */
  valid_days: number | null | undefined
  dues_paid_to: string
  note: string
  member: {
    name: string
    id_number: string
    gender: 'male' | 'female' | ''
    ethnicity: string
    category: 'full' | 'probationary'
    joined_on: string
    full_on: string
    phone: string
    occupation: string
    employer: string
  }
}

export function blankIncoming(orgId: number | null = null): IncomingForm {
  return {
    org_id: orgId,
    letter_no: '',
    from_name: '',
    issued_on: '',
    valid_days: null,
    dues_paid_to: '',
    note: '',
    member: { name: '', id_number: '', gender: '', ethnicity: '汉族', category: 'full', joined_on: '', full_on: '', phone: '', occupation: '', employer: '' },
  }
}

/** Fields the incoming form shows errors on (the server names the member's as `member.id_number`). */
export const INCOMING_FIELDS = [
  'org_id',
  'letter_no',
  'from_name',
  'issued_on',
  'valid_days',
  'dues_paid_to',
  'note',
  ...['name', 'id_number', 'gender', 'ethnicity', 'category', 'joined_on', 'full_on', 'phone', 'occupation', 'employer'].map((k) => `member.${k}`),
]

export function checkIncoming(f: IncomingForm): Record<string, string | undefined> {
  return {
    org_id: f.org_id ? undefined : '请选择接收的党组织',
    letter_no: f.letter_no.trim() ? undefined : '请填写介绍信编号',
    from_name: f.from_name.trim() ? undefined : '请填写开具介绍信的党组织',
    issued_on: f.issued_on ? undefined : '请选择介绍信开具日期',
    'member.name': f.member.name.trim() ? undefined : '请填写姓名',
    'member.id_number': f.member.id_number.trim() ? undefined : '请填写身份证号',
    'member.joined_on': f.member.joined_on ? undefined : '请选择入党日期',
  }
}

export function incomingBody(f: IncomingForm): LetterInInput {
  const m = f.member
  const member: IncomingMemberInput = {
    name: m.name.trim(),
    id_number: m.id_number.trim().toUpperCase(),
    // Read from the ID number by the server when not chosen.
    gender: m.gender || null,
    ethnicity: opt(m.ethnicity),
    category: m.category,
    joined_on: m.joined_on,
    // A probationary member has no 转正 day yet.
    full_on: m.category === 'full' ? opt(m.full_on) : null,
    phone: opt(m.phone),
    occupation: opt(m.occupation),
    employer: opt(m.employer),
  }
  return {
    org_id: f.org_id!,
    letter_no: f.letter_no.trim(),
    from_name: f.from_name.trim(),
    issued_on: f.issued_on,
    valid_days: f.valid_days ?? null,
    dues_paid_to: opt(f.dues_paid_to),
    note: opt(f.note),
    member,
  }
}

/**
 * A branch worker's own organisation (one organisation, not the county's): where a letter that
 * arrived is registered, preselected.
 */
export function ownOrg(grants: { role: string; org_id?: number | null }[]): number | null {
  if (grants.some((g) => g.role === 'county_admin')) return null
  const orgs = [...new Set(grants.map((g) => g.org_id).filter((id): id is number => id != null))]
  return orgs.length === 1 ? orgs[0] : null
}
