import { describe, expect, it } from 'vitest'
import type { Attendee } from '@/api/activities'
import { countsInExpected as counts, useAttendance } from './useAttendance'

function person(member_id: number, extra: Partial<Attendee> = {}): Attendee {
  return { member_id, name: `党员${member_id}`, org_name: '某支部', received: false, away: null, post_label: null, status: null, reason: null, via: null, ...extra }
}

describe('attendance of members who are away', () => {
  it('counts an away member in 应到 only once recorded as present or on leave', () => {
    const away = person(2, { away: '广东省 广州市（广州吴川商会党支部）' })
    expect(counts(person(1), null)).toBe(true)
    expect(counts(away, null)).toBe(false)
    expect(counts(away, 'absent')).toBe(false)
    expect(counts(away, 'present')).toBe(true)
    expect(counts(away, 'leave')).toBe(true)
  })

  it('bulk "present" leaves away members to be marked one by one', () => {
    const att = useAttendance(() => 1)
    att.attendees.value = [person(1), person(2, { away: '广州' }), person(3, { status: 'absent' })]
    att.markUnrecorded('present')
    expect(att.drafts.get(1)?.status).toBe('present')
    expect(att.drafts.get(2)?.status ?? null).toBeNull()
    expect(att.drafts.get(3)?.status).toBe('absent')
    expect(att.counts.value).toMatchObject({ expected: 2, present: 1, absent: 1, none: 0, away: 1 })
    att.draftOf(att.attendees.value[1]).status = 'present'
    expect(att.counts.value.expected).toBe(3)
  })
})
