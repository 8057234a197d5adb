import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { activityIdFromLink, checkinUrl, codeFromQuery, normalizeCode } from './checkinLink'

vi.mock('vue-router', () => ({ useRoute: () => ({ params: {}, query: {} }), useRouter: () => ({}) }))
const { describeCheckinError } = await import('./useCheckin')

describe('check-in link', () => {
  it('builds the link the QR code carries and reads it back', () => {
    const url = checkinUrl('https://hl.example.cn/', 42, '038174')
    expect(url).toBe('https://hl.example.cn/checkin/42?code=038174')
    const u = new URL(url)
    expect(codeFromQuery(Object.fromEntries(u.searchParams))).toBe('038174')
    expect(activityIdFromLink(url)).toBe(42)
    expect(activityIdFromLink('/checkin/7')).toBe(7)
    expect(activityIdFromLink('/activities/7')).toBeNull()
  })

  it('keeps leading zeros and takes the first of repeated parameters', () => {
    expect(codeFromQuery({ code: '000123' })).toBe('000123')
    expect(codeFromQuery({ code: ['654321', '111111'] })).toBe('654321')
  })

  it('prefills only digits, at most six, from a damaged link', () => {
    expect(codeFromQuery({ code: '12 34' })).toBe('1234')
    expect(codeFromQuery({ code: '1234567' })).toBe('123456')
    expect(codeFromQuery({ code: 'abc' })).toBe('')
    expect(codeFromQuery({})).toBe('')
  })

  it('accepts what members type or paste', () => {
    expect(normalizeCode('038 174')).toBe('038174')
    expect(normalizeCode('038-174')).toBe('038174')
    expect(normalizeCode('０３８１７４')).toBe('038174')
    expect(normalizeCode(' https://hl.example.cn/checkin/42?code=038174 ')).toBe('038174')
    expect(normalizeCode('03817')).toBe('')
    expect(normalizeCode('0381745')).toBe('')
    expect(normalizeCode('abcdef')).toBe('')
    expect(normalizeCode(undefined)).toBe('')
  })
})

describe('check-in refusals', () => {
  const problem = (status: number, body: Record<string, unknown>) => new ApiError(status, body)

  it('says what went wrong in words a member can act on', () => {
    expect(describeCheckinError(problem(422, { title: '提交的信息有误', errors: { code: ['签到码不正确'] } }))).toEqual({
      kind: 'code',
      message: '签到码不正确，请核对会场显示的 6 位数字',
    })
    const w = describeCheckinError(problem(422, { title: '提交的信息有误', errors: { code: ['签到时间为活动开始前 30 分钟至结束后 30 分钟'] } }))
    expect(w.kind).toBe('window')
    expect(w.message).toContain('不在签到时间内')
    expect(describeCheckinError(problem(403, { title: '您不在本次活动的参加人员范围内' })).kind).toBe('not_attendee')
    expect(describeCheckinError(problem(403, { title: '只有关联了党员档案的账号可以签到' })).kind).toBe('no_member')
    expect(describeCheckinError(problem(404, { title: '活动不存在或无权访问' }))).toEqual({ kind: 'not_found', message: '活动不存在或已取消' })
    expect(describeCheckinError(new Error('断网')).message).toBe('断网')
  })
})
