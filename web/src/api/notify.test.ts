import { describe, expect, it } from 'vitest'
import { count, greetingSegments, outboxKindLabel, prefsBody, prefsForm, quietLabel, reachLine, segmentsChart } from './notify'

const figures = (queued: number, sent: number, dead: number) => ({ queued, sent, dead })

describe('a greeting’s figures', () => {
  it('splits the members it was for by how far it got, counts only', () => {
    const s = greetingSegments({ targeted: 120, no_account: 100, in_app: figures(3, 15, 2), read: 9 })
    expect(s.map((x) => [x.label, x.value])).toEqual([
      ['已读', 9],
      ['已送达未读', 6],
      ['待送达', 3],
      ['投递失败', 2],
      ['未开通账号', 100],
    ])
    expect(s.reduce((n, x) => n + x.value, 0)).toBe(120)
  })

  it('leaves empty pieces out and never reads more than were delivered', () => {
    const s = greetingSegments({ targeted: 5, no_account: 0, in_app: figures(0, 2, 0), read: 3 })
    expect(s.map((x) => [x.key, x.value])).toEqual([['read', 2]])
  })

  it('draws one stacked bar scaled to the whole', () => {
    const o = segmentsChart(greetingSegments({ targeted: 10, no_account: 4, in_app: figures(1, 5, 0), read: 2 }))
    expect(o.xAxis.max).toBe(10)
    expect(o.series.map((x) => x.stack)).toEqual(['all', 'all', 'all', 'all'])
    expect(segmentsChart([]).xAxis.max).toBe(1)
  })
})

describe('whom a greeting would reach', () => {
  it('says how many have an account and asks to telephone the rest', () => {
    expect(reachLine({ targeted: 30, with_account: 12, robots: 0 })).toBe('将发给 30 名外出党员（其中 12 名已开通账号，可收到站内消息；其余请电话问候）。')
    expect(reachLine({ targeted: 3, with_account: 3, robots: 2 })).toBe('将发给 3 名外出党员（全部已开通账号，可收到站内消息），并推送到 2 个群机器人。')
    expect(reachLine({ targeted: 4, with_account: 0, robots: 0 })).toBe('将发给 4 名外出党员（均未开通账号，请电话问候）。')
    expect(reachLine({ targeted: 0, with_account: 0, robots: 0 })).toContain('没有外出党员')
  })
})

describe('message settings', () => {
  const saved = { email_masked: 'l***@example.cn', email_on: true, quiet_start: '22:00', quiet_end: '07:00', email_available: true }

  it('keeps the saved address unless a new one is typed or it is removed', () => {
    const f = prefsForm(saved)
    expect(prefsBody(f)).toEqual({ email_on: true, quiet_start: '22:00', quiet_end: '07:00' })
    expect(prefsBody({ ...f, email: ' new@example.cn ' })).toEqual({ email: 'new@example.cn', email_on: true, quiet_start: '22:00', quiet_end: '07:00' })
    expect(prefsBody({ ...f, removeEmail: true })).toEqual({ email: '', email_on: false, quiet_start: '22:00', quiet_end: '07:00' })
  })

  it('sends quiet hours both or neither', () => {
    const f = prefsForm({ ...saved, quiet_start: null, quiet_end: null })
    expect(f.quiet).toBe(false)
    expect(prefsBody(f)).toEqual({ email_on: true })
  })

  it('says when quiet hours run past midnight', () => {
    expect(quietLabel('22:00', '07:00')).toBe('22:00 至次日 07:00')
    expect(quietLabel('12:00', '14:00')).toBe('12:00 至 14:00')
    expect(quietLabel(null, null)).toBe('未设置')
  })
  it('withholds the read count of a greeting delivered to fewer than three', () => {
    const s = greetingSegments({ targeted: 2, no_account: 0, in_app: figures(0, 2, 0), read: null })
    expect(s.map((x) => [x.key, x.label, x.value])).toEqual([['unread', '已送达', 2]])
    expect(count(null)).toBe('—')
  })
})

describe('the delivery log', () => {
  it('names what each delivery carries in Chinese', () => {
    expect(outboxKindLabel('greeting')).toBe('节日问候')
    expect(outboxKindLabel('robot_test')).toBe('测试消息')
    expect(outboxKindLabel('invitation')).toBe('开通邀请')
    expect(outboxKindLabel('bulletin')).toBe('通知公告')
    expect(outboxKindLabel('something_new')).toBeUndefined()
  })
})
