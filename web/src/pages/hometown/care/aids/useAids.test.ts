import { describe, expect, it } from 'vitest'
import type { Aid, Objection } from '@/api/care'
import { aidBody, aidQuery, aidTimeline, blankAid, checkStep, earliestOn, noticeLine, ownBranch, stepBody, stepOf, thisYear } from './useAids'

const aid = (over: Partial<Aid> = {}): Aid => ({
  id: 7,
  org: { id: 12, name: '广州吴川商会党支部' },
  year: 2026,
  student_name: '陈同学',
  id_number: '****************12',
  phone: '*******5678',
  family_situation: null,
  school: '华南理工大学',
  grade: '大一',
  asked_fen: 300_000,
  approved_fen: null,
  status: 'applied',
  status_label: '待支部审核',
  applied_on: '2026-07-01',
  reviewed_on: null,
  review_note: '',
  decided_on: null,
  decision_note: '',
  notice_from: null,
  notice_until: null,
  disbursed_fen: null,
  disbursed_on: null,
  method: null,
  payment_note: '',
  renewal_of: null,
  can_review: false,
  can_decide: false,
  can_handle: false,
  can_disburse: false,
  can_object: false,
  can_renew: false,
  ...over,
})

const objection = (over: Partial<Objection> = {}): Objection => ({ id: 1, received_on: '2026-07-20', content: '反映情况', handling: '', upheld: null, handled_on: null, ...over })

const reviewed = { reviewed_on: '2026-07-10', review_note: '情况属实' }
const decided = { ...reviewed, decided_on: '2026-07-15', approved_fen: 250_000, decision_note: '同意资助', notice_until: '2026-07-22', status: 'notice' as const }

describe('助学申请 list', () => {
  it('asks for the year and status, page by page', () => {
    expect(aidQuery({ year: 2026, status: 'notice', page: 2 })).toEqual({ year: 2026, status: 'notice', page: 2, per_page: 20 })
    expect(aidQuery({ year: null, status: '', page: 1 })).toEqual({ page: 1, per_page: 20 })
    expect(thisYear('2026-12-31')).toBe(2026)
  })

  it('says whether the notice still runs or is over', () => {
    const a = aid(decided)
    expect(noticeLine(a, '2026-07-22')).toEqual({ text: '公示中，至 2026-07-22', over: false })
    expect(noticeLine(a, '2026-07-23')).toEqual({ text: '公示期满，可发放', over: true })
    expect(noticeLine(aid(), '2026-07-23')).toBeNull()
    expect(noticeLine(aid({ ...decided, status: 'disbursed' }), '2026-07-23')).toBeNull()
  })
})

describe('助学申请 steps', () => {
  const form = { pass: true, on: '2026-07-15', note: ' 同意 ', amount: ' 2,500 ', method: 'cash' as const }

  it('takes the step the server allows', () => {
    expect(stepOf(aid({ can_review: true }))).toBe('review')
    expect(stepOf(aid({ can_decide: true }))).toBe('decide')
    expect(stepOf(aid({ can_disburse: true }))).toBe('disburse')
    expect(stepOf(aid())).toBeNull()
  })

  it('sends the amount only for a granting decision and the method only for a payment', () => {
    expect(stepBody('review', form)).toEqual({ step: 'review', on: '2026-07-15', pass: true, note: '同意' })
    expect(stepBody('decide', form)).toEqual({ step: 'decide', on: '2026-07-15', pass: true, note: '同意', amount: '2,500' })
    expect(stepBody('decide', { ...form, pass: false })).toMatchObject({ pass: false, amount: null })
    expect(stepBody('decide', { ...form, amount: '' })).toMatchObject({ amount: null })
    expect(stepBody('disburse', form)).toEqual({ step: 'disburse', on: '2026-07-15', method: 'cash', note: null })
  })

  it('wants a reason for a refusal and grants at most what was asked', () => {
    expect(checkStep('review', { ...form, pass: false, note: ' ' }, 300_000)).toEqual({ note: '不通过须说明理由' })
    expect(checkStep('review', { ...form, pass: false, note: '已获其他资助' }, 300_000)).toEqual({})
    expect(checkStep('decide', { ...form, amount: '3,000.01' }, 300_000)).toEqual({ amount: '资助金额不能超过申请金额 3,000.00 元' })
    expect(checkStep('decide', { ...form, amount: '3,000' }, 300_000)).toEqual({})
    expect(checkStep('decide', { ...form, pass: false, note: '不符合条件', amount: '9,000' }, 300_000)).toEqual({})
    // What is no amount the server names on its field.
    expect(checkStep('decide', { ...form, amount: '三千' }, 300_000)).toEqual({})
    expect(checkStep('disburse', { ...form, pass: false, note: '' }, 300_000)).toEqual({})
  })

  it('dates a step no earlier than the one before, and a payment after the notice', () => {
    const a = aid({ ...decided, applied_on: '2026-07-01' })
    expect(earliestOn(a, 'review')).toBe('2026-07-01')
    expect(earliestOn(a, 'decide')).toBe('2026-07-10')
    expect(earliestOn(a, 'disburse')).toBe('2026-07-23')
    expect(earliestOn(aid({ ...decided, notice_until: '2026-12-31' }), 'disburse')).toBe('2027-01-01')
    expect(earliestOn(aid(), 'decide')).toBe('2026-07-01')
  })
})

describe('助学申请 timeline', () => {
  const titles = (a: Aid, o: Objection[] = [], today = '2026-07-30') => aidTimeline(a, o, today).map((t) => t.title)

  it('shows a paid application from the proposal to the payment', () => {
    const a = aid({ ...decided, status: 'disbursed', disbursed_fen: 250_000, disbursed_on: '2026-07-25', method: 'bank' })
    const t = aidTimeline(a, [objection({ upheld: false, handling: '经核实不属实', handled_on: '2026-07-21' })], '2026-07-30')
    expect(t.map((x) => x.title)).toEqual(['推荐申请', '支部审核：通过', '基金会决定：资助 2,500.00 元', '公示', '发放 2,500.00 元'])
    expect(t[0].lines).toEqual(['广州吴川商会党支部推荐，申请 3,000.00 元'])
    expect(t[1].lines).toEqual(['情况属实'])
    expect(t[3].lines).toEqual(['公示至 2026-07-22，公示期满', '收到异议 1 条'])
    expect(t[4]).toMatchObject({ on: '2026-07-25', lines: ['发放方式：银行转账'] })
  })

  it('marks a running notice and its open objections', () => {
    const t = aidTimeline(aid(decided), [objection()], '2026-07-20')
    expect(t[3]).toMatchObject({ title: '公示', pending: true, lines: ['公示至 2026-07-22，公示中', '收到异议 1 条，1 条待处理'] })
  })

  it('tells a refusal by the branch from one by the committee', () => {
    expect(titles(aid({ ...reviewed, status: 'rejected', review_note: '不符合条件' }))).toEqual(['推荐申请', '支部审核：不通过'])
    expect(titles(aid({ ...reviewed, status: 'rejected', decided_on: '2026-07-15', decision_note: '已获其他资助' }))).toEqual(['推荐申请', '支部审核：通过', '基金会决定：不予资助'])
  })

  it('stops at an upheld objection, which says why', () => {
    const a = aid({ ...decided, status: 'rejected', decision_note: '同意资助（公示期间异议成立：家庭经济已改善）' })
    const t = aidTimeline(a, [objection({ upheld: true, handling: '家庭经济已改善', handled_on: '2026-07-21' })], '2026-07-30')
    expect(t.map((x) => x.title)).toEqual(['推荐申请', '支部审核：通过', '基金会决定：资助 2,500.00 元', '公示', '异议成立，终止资助'])
    expect(t[2].lines, "the committee's note is kept").toEqual(['同意资助（公示期间异议成立：家庭经济已改善）'])
    expect(t[4]).toMatchObject({ on: '2026-07-21', lines: ['家庭经济已改善'] })
  })

  it('names a renewal', () => {
    expect(aidTimeline(aid({ renewal_of: 3 }), [], '2026-07-30')[0].lines[0]).toContain('（续助）')
  })
})

describe('推荐学生', () => {
  it('leaves out a blank number and phone', () => {
    const f = { ...blankAid(12), year: 2026, student_name: '陈同学', id_number: ' ', phone: '', family_situation: '父母务农', school: '中山大学', asked: '3,000' }
    expect(aidBody(f)).toEqual({ org_id: 12, year: 2026, student_name: '陈同学', id_number: null, phone: null, family_situation: '父母务农', school: '中山大学', grade: '大一', asked: '3,000' })
    expect(aidBody({ ...f, id_number: ' 44088320080103081X ', phone: '13800001234' })).toMatchObject({ id_number: '44088320080103081X', phone: '13800001234' })
  })

  it("starts with an org admin's own branch", () => {
    expect(ownBranch([{ role: 'org_admin', org_id: 12 }])).toBe(12)
    expect(ownBranch([{ role: 'county_admin', org_id: 1 }])).toBeNull()
    expect(ownBranch([{ role: 'org_admin', org_id: 12 }, { role: 'org_admin', org_id: 13 }])).toBeNull()
  })
})
