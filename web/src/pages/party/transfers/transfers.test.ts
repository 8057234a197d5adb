import { describe, expect, it } from 'vitest'
import type { Transfer } from '@/api/transfers'
import {
  INCOMING_FIELDS,
  STATUSES,
  addDays,
  blankFilters,
  blankIncoming,
  blankLetter,
  blankRequest,
  checkIncoming,
  checkLetter,
  checkRequest,
  dateNote,
  filtersFromQuery,
  filtersToQuery,
  incomingBody,
  isOpen,
  letterBody,
  memberLinkable,
  monthLater,
  monthText,
  ownOrg,
  requestBody,
  statusTag,
  statusesFor,
  tabCount,
  validUntil,
} from './transfers'

const t = (over: Partial<Transfer> = {}): Transfer => ({
  id: 1,
  kind: 'within',
  kind_label: '系统内转接',
  status: 'requested',
  status_label: '待接收',
  member_id: 7,
  member_name: '陈志强',
  from_org_id: 11,
  from_name: '吴川市塘㙟镇山基村党支部',
  to_org_id: 3,
  to_name: '广州吴川商会党支部',
  destination: null,
  letter_no: null,
  started_on: '2026-11-20',
  valid_days: null,
  valid_until: null,
  dues_paid_to: null,
  receipt_due_on: null,
  receipt_on: null,
  overdue: false,
  decided_on: null,
  reason: null,
  note: null,
  can_accept: false,
  can_refuse: false,
  can_cancel: false,
  can_receipt: false,
  can_print: false,
  created_by_name: null,
  ...over,
})

const set = (r: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(r).filter(([, v]) => v)) as Record<string, string>

describe('statuses', () => {
  it('offers each tab the statuses that occur on its side', () => {
    expect(statusesFor('in').map((s) => s.value)).toEqual(['requested', 'accepted', 'refused', 'cancelled', 'registered'])
    expect(statusesFor('out').map((s) => s.value)).toEqual(['requested', 'accepted', 'refused', 'cancelled', 'issued', 'returned'])
    expect(new Set(STATUSES.map((s) => s.value)).size).toBe(7)
  })

  it('colours waiting yellow, done green, refused red, cancelled grey', () => {
    expect(statusTag('requested')).toBe('warning')
    expect(statusTag('issued')).toBe('warning')
    expect(statusTag('accepted')).toBe('success')
    expect(statusTag('returned')).toBe('success')
    expect(statusTag('registered')).toBe('success')
    expect(statusTag('refused')).toBe('danger')
    expect(statusTag('cancelled')).toBe('info')
    expect(statusTag('unknown')).toBe('info')
  })

  it('tells what is still in flight', () => {
    expect(isOpen(t())).toBe(true)
    expect(isOpen(t({ status: 'issued' }))).toBe(true)
    expect(isOpen(t({ status: 'accepted' }))).toBe(false)
    expect(isOpen(t({ status: 'returned' }))).toBe(false)
  })

  it('says under the day what happened since', () => {
    expect(dateNote(t())).toBe('申请转接')
    expect(dateNote(t({ status: 'accepted', decided_on: '2026-11-22' }))).toBe('2026-11-22 接收')
    expect(dateNote(t({ status: 'refused', decided_on: '2026-11-23' }))).toBe('2026-11-23 退回')
    expect(dateNote(t({ status: 'issued', valid_until: '2026-12-19' }))).toBe('有效期至 2026-12-19')
    expect(dateNote(t({ status: 'returned', receipt_on: '2026-12-01' }))).toBe('2026-12-01 回执')
    expect(dateNote(t({ status: 'registered', dues_paid_to: '2026-10' }))).toBe('党费交至 2026年10月')
    expect(monthText('2026-03')).toBe('2026年3月')
  })

  it('links the member only where their page is likely open', () => {
    expect(memberLinkable(t(), 'out')).toBe(true)
    expect(memberLinkable(t({ status: 'accepted' }), 'out')).toBe(false)
    expect(memberLinkable(t(), 'in')).toBe(false)
    expect(memberLinkable(t({ status: 'accepted' }), 'in')).toBe(true)
    expect(memberLinkable(t({ kind: 'letter_in', status: 'registered' }), 'in')).toBe(true)
    expect(memberLinkable(t({ member_id: null }), 'all')).toBe(false)
  })
})

describe('filters in the address', () => {
  it('round-trips, the overdue filter only on 转出', () => {
    expect(filtersFromQuery({})).toEqual(blankFilters())
    expect(filtersToQuery(blankFilters())).toEqual({})
    const f = filtersFromQuery({ direction: 'out', status: 'issued', overdue: 'true', page: '2' })
    expect(f).toEqual({ direction: 'out', status: 'issued', overdue: true, page: 2 })
    expect(filtersToQuery(f)).toEqual({ direction: 'out', status: 'issued', overdue: 'true', page: '2' })
    // ?overdue=true alone opens 转出 (overdue letters are outgoing).
    expect(filtersFromQuery({ overdue: 'true' }).direction).toBe('out')
    expect(filtersToQuery({ direction: 'in', status: '', overdue: true, page: 1 })).toEqual({})
  })

  it('drops a status that does not occur on the tab, and nonsense', () => {
    expect(filtersFromQuery({ status: 'issued' }).status).toBe('')
    expect(filtersFromQuery({ direction: 'sideways', status: 'nope', page: '-3' })).toEqual(blankFilters())
  })

  it('counts what waits on each side for the tab badges', () => {
    const s = { waiting_in: 2, pending_out: 1, letters_awaiting: 3, letters_overdue: 1 }
    expect(tabCount(s, 'in')).toBe(2)
    expect(tabCount(s, 'out')).toBe(4)
    expect(tabCount(null, 'out')).toBe(0)
  })
})

describe('the letter’s days', () => {
  it('counts the issue day as the first valid day', () => {
    expect(validUntil('2026-12-01', 30)).toBe('2026-12-30')
    expect(validUntil('2028-02-01', 29)).toBe('2028-02-29')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
  })

  it('expects the receipt a calendar month later, clamped at month ends', () => {
    expect(monthLater('2026-11-06')).toBe('2026-12-06')
    expect(monthLater('2026-12-15')).toBe('2027-01-15')
    expect(monthLater('2027-01-31')).toBe('2027-02-28')
    expect(monthLater('2028-01-31')).toBe('2028-02-29')
  })
})

describe('the forms', () => {
  it('a request needs the member and the receiving organisation', () => {
    expect(set(checkRequest(blankRequest()))).toEqual({ member_id: '请选择党员', to_org_id: '请选择转入的党组织' })
    const f = { ...blankRequest(7), to_org_id: 3, note: '  工作调动 ' }
    expect(set(checkRequest(f))).toEqual({})
    expect(requestBody(f)).toEqual({ member_id: 7, to_org_id: 3, note: '工作调动' })
    expect(requestBody({ ...f, note: ' ' }).note).toBeNull()
  })

  it('a letter needs the member and the receiving organisation; 30 days by default, 7–90', () => {
    const blank = blankLetter('2026-12-07')
    expect(blank.valid_days).toBe(30)
    expect(blank.issued_on).toBe('2026-12-07')
    expect(Object.keys(set(checkLetter(blank)))).toEqual(['member_id', 'to_name'])
    expect(set(checkLetter({ ...blank, member_id: 7, to_name: '中共广州市天河区委组织部', valid_days: 5 })).valid_days).toContain('7–90')
    const body = letterBody({ ...blank, member_id: 7, to_name: ' 中共广州市天河区委组织部 ', destination: '', note: '' })
    expect(body).toEqual({ member_id: 7, to_name: '中共广州市天河区委组织部', destination: null, issued_on: '2026-12-07', valid_days: 30, note: null })
  })

  it('a letter in: its fields and the member’s, named as the server names them', () => {
    const blank = blankIncoming(3)
    const errs = set(checkIncoming(blank))
    expect(Object.keys(errs).sort()).toEqual(['from_name', 'issued_on', 'letter_no', 'member.id_number', 'member.joined_on', 'member.name'].sort())
    for (const k of Object.keys(errs)) expect(INCOMING_FIELDS).toContain(k)
    expect(INCOMING_FIELDS).toContain('member.id_number')
    expect(set(checkIncoming(blankIncoming())).org_id).toBe('请选择接收的党组织')
  })

  it('a letter in: the body trims, upper-cases the X, and drops the 转正 day of a probationary member', () => {
    const f = blankIncoming(3)
    Object.assign(f, { letter_no: ' 粤组转字第0123号 ', from_name: '中共深圳市南山区委组织部', issued_on: '2026-12-01', dues_paid_to: '2026-11' })
    Object.assign(f.member, { name: '林晓', id_number: '44010619900101001x', gender: 'female', joined_on: '2025-06-01', full_on: '2026-06-01', category: 'probationary', phone: '' })
    const b = incomingBody(f)
    expect(b.letter_no).toBe('粤组转字第0123号')
    expect(b.valid_days).toBeNull()
    expect(b.dues_paid_to).toBe('2026-11')
    expect(b.member).toMatchObject({ name: '林晓', id_number: '44010619900101001X', gender: 'female', ethnicity: '汉族', category: 'probationary', full_on: null, phone: null })
    f.member.category = 'full'
    expect(incomingBody(f).member.full_on).toBe('2026-06-01')
    // Not chosen: the server reads it from the ID number.
    expect(incomingBody(blankIncoming(3)).member.gender).toBeNull()
  })

  it('preselects a branch worker’s own organisation, not the county’s', () => {
    expect(ownOrg([{ role: 'org_admin', org_id: 3 }])).toBe(3)
    expect(ownOrg([{ role: 'org_admin', org_id: 3 }, { role: 'viewer', org_id: 3 }])).toBe(3)
    expect(ownOrg([{ role: 'org_admin', org_id: 3 }, { role: 'org_admin', org_id: 4 }])).toBeNull()
    expect(ownOrg([{ role: 'county_admin', org_id: 1 }])).toBeNull()
  })
})
