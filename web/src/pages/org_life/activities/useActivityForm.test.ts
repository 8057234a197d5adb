import { describe, expect, it } from 'vitest'
import { blankActivity, defaultRange, forYearChoices, isLate, toActivityInput, validateActivity, type ActivityFormState } from './useActivityForm'
import { checkAttachment } from '@/api/attachments'
import { changedItems, matchesFilter, type Draft } from './useAttendance'
import { checkinWindow, formatRange } from './kinds'
import type { Attendee } from '@/api/activities'

const NOW = new Date(2026, 10, 27, 12, 0)

function filled(over: Partial<ActivityFormState> = {}): ActivityFormState {
  return {
    ...blankActivity(),
    kind: 'theme_day',
    topic: '重温入党誓词',
    range: [new Date(2026, 10, 27, 14, 30), new Date(2026, 10, 27, 16, 30)],
    place: '商会党员活动室',
    orgs: [{ id: 3, name: '广州吴川商会党支部' }],
    ...over,
  }
}

describe('activity form', () => {
  it('defaults to an afternoon on the chosen day', () => {
    const [s, e] = defaultRange('2026-12-05', NOW)
    expect([s.getFullYear(), s.getMonth(), s.getDate(), s.getHours(), s.getMinutes()]).toEqual([2026, 11, 5, 14, 30])
    expect(e.getTime() - s.getTime()).toBe(2 * 3600_000)
    expect(defaultRange(null, NOW)[0].getDate()).toBe(27)
  })

  it('treats an activity that ended more than 7 days ago as a back-dated recording', () => {
    expect(isLate(new Date(2026, 10, 20, 11, 59), NOW)).toBe(true)
    expect(isLate(new Date(2026, 10, 20, 12, 1), NOW)).toBe(false)
    expect(isLate(null, NOW)).toBe(false)
  })

  it('checks what the server checks', () => {
    expect(validateActivity(filled(), { creating: true, now: NOW })).toEqual({})
    const e = validateActivity(
      filled({ kind: 'party_lecture', topic: ' ', place: '', online_link: 'ftp://x', orgs: [], range: [new Date(2026, 10, 27, 16), new Date(2026, 10, 27, 15)] }),
      { creating: true, now: NOW },
    )
    expect(Object.keys(e).sort()).toEqual(['lecturer', 'online_link', 'org_ids', 'start_at', 'topic'])
    expect(validateActivity(filled({ place: '', online_link: '' }), { creating: true, now: NOW }).place).toBe('请填写地点或线上链接')
    const late = filled({ range: [new Date(2026, 10, 1, 14), new Date(2026, 10, 1, 16)] })
    expect(validateActivity(late, { creating: true, now: NOW }).late_reason).toBeTruthy()
    expect(validateActivity({ ...late, late_reason: '当时系统未开通' }, { creating: true, now: NOW })).toEqual({})
  })

  it('sends UTC times, all organisations, and a late reason only for a late recording', () => {
    const body = toActivityInput(filled({ orgs: [{ id: 3, name: 'a' }, { id: 9, name: 'b' }], late_reason: '无关' }), { creating: true, now: NOW })
    expect(body.start_at).toBe(new Date(2026, 10, 27, 14, 30).toISOString())
    expect(body.start_at).toMatch(/Z$/)
    expect(body.org_ids).toEqual([3, 9])
    expect(body).not.toHaveProperty('late_reason')
    expect(body.online_link).toBe('')
    const late = toActivityInput(filled({ range: [new Date(2026, 10, 1, 14), new Date(2026, 10, 1, 16)], late_reason: ' 补录 原因 ' }), { creating: true, now: NOW })
    expect(late.late_reason).toBe('补录 原因')
  })
})

describe('attachments and attendance', () => {
  it('refuses wrong types, empty and oversized files before uploading', () => {
    expect(checkAttachment({ name: '现场.JPG', size: 1000 })).toBe('')
    expect(checkAttachment({ name: '记录.docx', size: 20 * 1024 * 1024 })).toBe('')
    expect(checkAttachment({ name: '记录.doc', size: 10 })).toContain('只接受')
    expect(checkAttachment({ name: 'noext', size: 10 })).toContain('只接受')
    expect(checkAttachment({ name: 'a.png', size: 0 })).toBe('文件是空的')
    expect(checkAttachment({ name: 'a.pdf', size: 20 * 1024 * 1024 + 1 })).toContain('20 MB')
    expect(checkAttachment({ name: '门头.JPG', size: 10 }, true)).toBe('')
    expect(checkAttachment({ name: '制度.pdf', size: 10 }, true)).toBe('只接受 JPG、PNG 图片')
  })

  const people: Attendee[] = [
    { member_id: 1, name: '林志远', org_name: '广州吴川商会党支部', received: true, status: null },
    { member_id: 2, name: '陈小红', org_name: '广州吴川商会党支部', received: false, status: 'present', via: 'code' },
    { member_id: 3, name: '李明', org_name: '吴川市梅菉街道党支部', received: false, status: 'leave', reason: '出差' },
  ]

  it('sends only changed rows and wants a reason for leave', () => {
    const drafts = new Map<number, Draft>([
      [1, { status: 'leave', reason: '' }],
      [2, { status: 'present', reason: '' }],
      [3, { status: 'leave', reason: '出差' }],
    ])
    const r = changedItems(people, drafts)
    expect(r.items).toEqual([{ member_id: 1, status: 'leave', reason: null }])
    expect(r.missingReason).toEqual(['林志远'])
    drafts.set(3, { status: 'absent', reason: '' })
    expect(changedItems(people, drafts).items.map((i) => i.member_id)).toEqual([1, 3])
  })

  it('filters by name, status and received members', () => {
    const f = { q: '', status: '' as const, receivedOnly: false }
    expect(people.filter((a) => matchesFilter(a, a.status ?? null, { ...f, receivedOnly: true })).map((a) => a.member_id)).toEqual([1])
    expect(people.filter((a) => matchesFilter(a, a.status ?? null, { ...f, status: 'none' })).map((a) => a.member_id)).toEqual([1])
    expect(people.filter((a) => matchesFilter(a, a.status ?? null, { ...f, q: '梅菉' })).map((a) => a.member_id)).toEqual([3])
  })

  it('knows the check-in window and prints time ranges', () => {
    const s = new Date(2026, 10, 27, 14, 0).toISOString()
    const e = new Date(2026, 10, 27, 16, 0).toISOString()
    expect(checkinWindow(s, e, new Date(2026, 10, 27, 13, 29))).toBe('before')
    expect(checkinWindow(s, e, new Date(2026, 10, 27, 13, 30))).toBe('open')
    expect(checkinWindow(s, e, new Date(2026, 10, 27, 16, 30))).toBe('open')
    expect(checkinWindow(s, e, new Date(2026, 10, 27, 16, 31))).toBe('after')
    expect(formatRange(s, e)).toBe('2026-11-27 14:00–16:00')
    expect(formatRange(s, new Date(2026, 10, 28, 9, 0).toISOString())).toBe('2026-11-27 14:00 至 2026-11-28 09:00')
  })
})

describe('the year an annual meeting counts for', () => {
  it('offers the previous year only for a 组织生活会 or 民主评议 held in January–February', () => {
    const jan = { kind: 'life_meeting', range: [new Date(2027, 0, 20, 9), new Date(2027, 0, 20, 11)] as [Date, Date] }
    expect(forYearChoices(jan)).toEqual([2026, 2027])
    expect(forYearChoices({ ...jan, kind: 'appraisal' })).toEqual([2026, 2027])
    expect(forYearChoices({ ...jan, kind: 'theme_day' })).toEqual([])
    expect(forYearChoices({ ...jan, range: [new Date(2027, 2, 1, 9), new Date(2027, 2, 1, 11)] })).toEqual([])
  })

  it('sends the chosen year, or the year it was held when there is no choice', () => {
    const jan: ActivityFormState = filled({ kind: 'life_meeting', range: [new Date(2027, 1, 28, 9), new Date(2027, 1, 28, 11)], for_year: 2026 })
    expect(toActivityInput(jan, { creating: true, now: new Date(2027, 1, 28, 12) }).for_year).toBe(2026)
    // Moved to March: the choice no longer applies and the held year is sent, clearing it.
    const march = { ...jan, range: [new Date(2027, 2, 1, 9), new Date(2027, 2, 1, 11)] as [Date, Date] }
    expect(toActivityInput(march, { creating: true, now: new Date(2027, 2, 1, 12) }).for_year).toBe(2027)
  })
})
