import { describe, expect, it } from 'vitest'
import { campaignStatusOf, groupByHonour, nominationStatusOf, type HonourCampaign, type Nomination, type Objection, type PublishedEntry, type ReviewStep } from '@/api/honours'
import {
  awardFrom,
  blankCampaign,
  blankNomination,
  campaignBody,
  checkCampaign,
  checkNomination,
  checkVote,
  countText,
  defaultTitle,
  honourSpans,
  listTitle,
  managerSteps,
  noticeBlockers,
  noticeLine,
  noticePeriod,
  nominationBody,
  nominationTimeline,
  publishedSummary,
  quotaItems,
  quotaProgress,
  quotaText,
  reviewFrom,
  stageLine,
  subjectOf,
  topOrg,
  votesText,
  waitingLine,
  withdrawLabel,
} from './honours'
import { pickerDay } from '@/api/hometown'
import { checkReview, reviewBody } from './useNomination'

const HONOURS: HonourCampaign['honours'] = [
  { name: '优秀共产党员', subject: 'member', subject_label: '党员' },
  { name: '优秀党务工作者', subject: 'member', subject_label: '党员' },
  { name: '先进基层党组织', subject: 'org', subject_label: '党组织' },
]

const campaign = (over: Partial<HonourCampaign> = {}): HonourCampaign => ({
  id: 2,
  org: { id: 1, name: '中共吴川市委员会' },
  year: 2026,
  title: '吴川市2026年度“两优一先”评选表彰',
  honours: HONOURS,
  nominate_until: null,
  status: 'nominating',
  status_label: '推荐审核中',
  notice_from: null,
  notice_until: null,
  awarded_on: null,
  can_manage: true,
  can_nominate: true,
  ...over,
})

const nomination = (over: Partial<Nomination> = {}): Nomination => ({
  id: 8,
  campaign_id: 2,
  honour: '优秀共产党员',
  subject: 'member',
  nominee: { member_id: 5996, org_id: null, name: '谢刚' },
  org: { id: 3, name: '广州吴川商会党支部' },
  deeds: '协调企业回乡考察。',
  discussed_on: '2026-10-15',
  votes_for: 9,
  votes_total: 12,
  status: 'reviewing',
  status_label: '逐级审核中',
  at_org: { id: 2, name: '中共吴川市工商业联合会委员会' },
  awarded_on: null,
  withdrawn_on: null,
  withdraw_reason: null,
  can_review: false,
  can_object: false,
  can_handle: false,
  can_withdraw: false,
  ...over,
})

const step = (over: Partial<ReviewStep> = {}): ReviewStep => ({
  org: { id: 2, name: '中共吴川市工商业联合会委员会' },
  on: '2026-10-25',
  pass: true,
  note: '同意推荐',
  by_name: '管理员',
  ...over,
})

const objection = (over: Partial<Objection> = {}): Objection => ({ id: 1, received_on: '2026-12-06', content: '反映问题', handling: '', upheld: null, handled_on: null, ...over })

describe('先锋工程 labels', () => {
  it('tags each status, awarded in red and withdrawn in grey', () => {
    expect(nominationStatusOf('awarded')).toMatchObject({ label: '已表彰', type: 'danger' })
    expect(nominationStatusOf('withdrawn')).toMatchObject({ label: '已撤销', type: 'info' })
    expect(nominationStatusOf('notice').type).toBe('warning')
    expect(campaignStatusOf('notice')).toMatchObject({ label: '公示中', type: 'warning' })
    expect(campaignStatusOf('awarded').type).toBe('success')
  })

  it('writes the vote and the quota', () => {
    expect(votesText({ votes_for: 9, votes_total: 12 })).toBe('赞成 9 / 12')
    expect(quotaText({ used: 4, quota: 8 })).toBe('已用 4 / 8')
    expect(quotaProgress({ used: 4, quota: 8 })).toEqual({ percent: 50, status: '' })
    expect(quotaProgress({ used: 2, quota: 2 })).toEqual({ percent: 100, status: 'success' })
    expect(quotaProgress({ used: 3, quota: 2 })).toEqual({ percent: 100, status: 'exception' })
    expect(quotaProgress({ used: 0, quota: 0 })).toEqual({ percent: 0, status: '' })
  })

  it('says where the notice stands and what the list is called', () => {
    const c = campaign({ status: 'notice', notice_from: '2026-12-05', notice_until: '2026-12-11' })
    expect(noticePeriod(c)).toBe('2026-12-05 至 2026-12-11')
    expect(noticePeriod(campaign())).toBeNull()
    expect(noticeLine(c, '2026-12-11')).toEqual({ text: '公示中，至 2026-12-11', over: false })
    expect(noticeLine(c, '2026-12-12')).toEqual({ text: '公示期满，可以表彰', over: true })
    expect(noticeLine(campaign(), '2026-12-12')).toBeNull()
    expect(listTitle('notice')).toBe('公示名单')
    expect(listTitle('awarded')).toBe('表彰名单')
  })

  it('sums up a campaign in the list', () => {
    expect(stageLine(campaign({ status: 'awarded', awarded_on: '2025-06-28' }))).toBe('2025-06-28 表彰')
    expect(stageLine(campaign({ nominate_until: '2026-12-31' }), '2026-12-07')).toBe('推荐截止 2026-12-31')
    expect(stageLine(campaign({ nominate_until: '2026-12-01' }), '2026-12-07')).toBe('推荐已于 2026-12-01 截止')
    expect(stageLine(campaign(), '2026-12-07')).toBe('接受推荐中')
  })
})

describe('先锋工程 manager steps', () => {
  it('offers quotas and the notice while nominating, the award on notice, the list once published', () => {
    expect(managerSteps(campaign())).toEqual({ quotas: true, notice: true, award: false, export: false })
    expect(managerSteps(campaign({ status: 'notice' }))).toEqual({ quotas: false, notice: false, award: true, export: true })
    expect(managerSteps(campaign({ status: 'awarded', can_manage: false }))).toEqual({ quotas: false, notice: false, award: false, export: true })
  })

  it('says what blocks the notice before asking the server', () => {
    expect(noticeBlockers({ nominations: [nomination(), nomination({ status: 'recommended' })] })).toBe('还有 1 条推荐尚在逐级审核，审核完毕后才能公示')
    expect(noticeBlockers({ nominations: [nomination({ status: 'rejected' })] })).toBe('没有审核通过的推荐，无需公示')
    expect(noticeBlockers({ nominations: [nomination({ status: 'recommended' }), nomination({ status: 'withdrawn' })] })).toBeNull()
  })

  it("compares a picker's local day with the server's dates", () => {
    expect(pickerDay(new Date(2026, 0, 5))).toBe('2026-01-05')
    expect(pickerDay(new Date(2026, 11, 31, 23, 59))).toBe('2026-12-31')
  })

  it('dates the award after the notice and a review after the step before', () => {
    expect(awardFrom('2026-12-31')).toBe('2027-01-01')
    expect(awardFrom(null)).toBeNull()
    expect(reviewFrom(nomination(), [])).toBe('2026-10-15')
    expect(reviewFrom(nomination(), [step({ on: '2026-10-25' }), step({ on: '2026-11-08' })])).toBe('2026-11-08')
  })
})

describe('先锋工程 nominations', () => {
  it('says the level it waits at, or why it was withdrawn', () => {
    expect(waitingLine(nomination())).toBe('待中共吴川市工商业联合会委员会审核')
    expect(waitingLine(nomination({ status: 'withdrawn', at_org: null, withdrawn_on: '2026-03-12', withdraw_reason: '受到党内警告处分' }))).toBe('2026-03-12 撤销：受到党内警告处分')
    expect(waitingLine(nomination({ status: 'notice', at_org: null }))).toBe('')
    expect(withdrawLabel('awarded')).toBe('撤销荣誉')
    expect(withdrawLabel('reviewing')).toBe('撤回推荐')
  })

  it('shows the way from the vote through the levels to the award', () => {
    const c = campaign({ status: 'awarded', notice_from: '2025-06-16', notice_until: '2025-06-23', awarded_on: '2025-06-28' })
    const n = nomination({ status: 'awarded', at_org: null, awarded_on: '2025-06-28' })
    const t = nominationTimeline(n, [step(), step({ org: { id: 1, name: '中共吴川市委员会' }, on: '2026-11-08' })], [objection({ upheld: false, handling: '不成立', handled_on: '2025-06-20' })], c)
    expect(t.map((x) => x.title)).toEqual(['广州吴川商会党支部推荐', '中共吴川市工商业联合会委员会审核：通过', '中共吴川市委员会审核：通过', '公示', '授予“优秀共产党员”称号'])
    expect(t[0].lines).toEqual(['党员大会讨论表决：赞成 9 / 12'])
    expect(t[3].lines).toEqual(['2025-06-16 起公示至 2025-06-23，公示期满', '收到异议 1 条'])
  })

  it('marks the level still to review, a running notice, and where it stopped', () => {
    expect(nominationTimeline(nomination(), [step()], [], campaign()).map((x) => [x.title, !!x.pending]).slice(-1)).toEqual([['待中共吴川市工商业联合会委员会审核', true]])
    const c = campaign({ status: 'notice', notice_from: '2026-12-05', notice_until: '2026-12-11' })
    const running = nominationTimeline(nomination({ status: 'notice', at_org: null }), [], [objection()], c, '2026-12-07')
    expect(running[running.length - 1]).toMatchObject({ title: '公示', pending: true, lines: ['2026-12-05 起公示至 2026-12-11，公示中', '收到异议 1 条，1 条待处理'] })
    const upheld = nominationTimeline(nomination({ status: 'rejected', at_org: null }), [], [objection({ upheld: true, handling: '情况属实', handled_on: '2026-12-08' })], c, '2026-12-09')
    expect(upheld[upheld.length - 1]).toMatchObject({ title: '异议成立，不予表彰', lines: ['情况属实'] })
    const refused = nominationTimeline(nomination({ status: 'rejected', at_org: null }), [step({ pass: false, note: '事迹不够突出' })], [], campaign())
    expect(refused.map((x) => x.title)).toEqual(['广州吴川商会党支部推荐', '中共吴川市工商业联合会委员会审核：不通过'])
    const withdrawn = nominationTimeline(nomination({ status: 'withdrawn', at_org: null, awarded_on: '2025-06-28', withdrawn_on: '2026-03-12', withdraw_reason: '处分' }), [], [], null)
    expect(withdrawn.map((x) => x.title)).toEqual(['广州吴川商会党支部推荐', '授予“优秀共产党员”称号', '撤销荣誉'])
  })

  it('judges the vote as the server does: more than half of those voting', () => {
    expect(checkVote(9, 12)).toBeNull()
    expect(checkVote(6, 12)).toBe('赞成票 6 未超过参加表决的 12 人的半数，不能推荐')
    expect(checkVote(13, 12)).toBe('赞成票 13 不能多于参加表决的 12 人')
    expect(checkVote(null, 12)).toBe('请填写赞成票数')
    expect(checkVote(3, 0)).toBe('请填写参加表决的人数')
  })

  it('sends a member for a member honour and an organisation for an organisation honour', () => {
    const c = campaign()
    const f = { ...blankNomination(c, 3), member_id: 5996, nominee_org_id: 3, deeds: ' 事迹 ', discussed_on: '2026-12-01', votes_for: 9, votes_total: 12 }
    expect(f.honour).toBe('优秀共产党员')
    expect(nominationBody(2, f, subjectOf(c, f.honour))).toEqual({
      campaign_id: 2,
      honour: '优秀共产党员',
      org_id: 3,
      member_id: 5996,
      nominee_org_id: null,
      deeds: '事迹',
      discussed_on: '2026-12-01',
      votes_for: 9,
      votes_total: 12,
    })
    const org = { ...f, honour: '先进基层党组织' }
    expect(subjectOf(c, org.honour)).toBe('org')
    expect(nominationBody(2, org, 'org')).toMatchObject({ member_id: null, nominee_org_id: 3 })
  })

  it('checks a nomination before sending it', () => {
    const c = campaign()
    expect(checkNomination(blankNomination(c, null), 'member')).toEqual({
      org_id: '请选择推荐的党组织',
      member_id: '请选择被推荐的党员',
      deeds: '请填写主要事迹',
      discussed_on: '请选择党员大会讨论表决的日期',
      votes_for: '请填写参加表决的人数',
    })
    expect(checkNomination({ ...blankNomination(c, 3), honour: '先进基层党组织' }, 'org')).not.toHaveProperty('nominee_org_id')
  })

  it('wants a reason for a refusal and sends the note only when written', () => {
    expect(checkReview({ pass: false, on: '2026-12-07', note: ' ' })).toEqual({ note: '不通过须说明理由' })
    expect(checkReview({ pass: true, on: '2026-12-07', note: '' })).toEqual({})
    expect(reviewBody({ pass: true, on: '2026-12-07', note: '  ' })).toEqual({ pass: true, on: '2026-12-07', note: null })
  })
})

describe('先锋工程 campaigns and quotas', () => {
  it('starts with 两优一先 from the county, the title following the year', () => {
    const f = blankCampaign(1, '2026-12-07')
    expect(f).toMatchObject({ org_id: 1, year: 2026, title: '2026年度“两优一先”评选表彰', nominate_until: '' })
    expect(f.honours.map((h) => `${h.name}/${h.subject}`)).toEqual(['优秀共产党员/member', '优秀党务工作者/member', '先进基层党组织/org'])
    expect(defaultTitle(2027)).toBe('2027年度“两优一先”评选表彰')
    expect(campaignBody({ ...f, honours: [...f.honours, { name: ' ', subject: 'member' }] })).toMatchObject({ honours: f.honours, nominate_until: null })
    expect(checkCampaign({ ...f, honours: [{ name: '优秀共产党员', subject: 'member' }, { name: '优秀共产党员 ', subject: 'member' }] })).toEqual({ honours: '荣誉称号“优秀共产党员”重复' })
    expect(checkCampaign({ ...f, org_id: null, title: '' })).toEqual({ org_id: '请选择发起表彰的党组织', title: '请填写表彰名称' })
  })

  it("starts from the user's own top organisation", () => {
    expect(topOrg([{ role: 'county_admin', org_id: 1 }])).toBe(1)
    expect(topOrg([{ role: 'org_admin', org_id: 3 }])).toBe(3)
    expect(topOrg([{ role: 'org_admin', org_id: 3 }, { role: 'org_admin', org_id: 4 }])).toBeNull()
    expect(topOrg([{ role: 'security_admin', org_id: null }])).toBeNull()
  })

  it('sends the quota rows with an organisation, and names the rows without one', () => {
    const r = quotaItems([
      { honour: '优秀共产党员', org_id: 2, org_name: '工商联党委', quota: 3 },
      { honour: '优秀共产党员', org_id: null, org_name: '', quota: 1 },
    ])
    expect(r.items).toEqual([{ honour: '优秀共产党员', org_id: 2, quota: 3 }])
    expect(r.errors).toEqual({ 'items[1]': '请选择分配名额的党组织' })
  })
})

describe('先锋工程 published list', () => {
  const entry = (honour: string, name: string, status: PublishedEntry['status'] = 'awarded'): PublishedEntry => ({ honour, name, org_name: name, status, status_label: '' })
  const list = [entry('优秀共产党员', '林志远'), entry('优秀共产党员', '罗静', 'withdrawn'), entry('先进基层党组织', '广州吴川商会党支部'), entry('优秀党务工作者', '谢欣怡')]

  it('spans each honour over its entries and groups them for the phone', () => {
    expect(honourSpans(list)).toEqual([2, 0, 1, 1])
    expect(honourSpans([])).toEqual([])
    expect(groupByHonour(list).map((g) => [g.honour, g.entries.length])).toEqual([
      ['优秀共产党员', 2],
      ['先进基层党组织', 1],
      ['优秀党务工作者', 1],
    ])
  })

  it('counts members and organisations, and the awards withdrawn since', () => {
    const c = campaign({ status: 'awarded', awarded_on: '2025-06-28' })
    expect(countText(c, list)).toBe('3 名党员、1 个党组织')
    expect(publishedSummary(c, list)).toBe('2025-06-28 表彰，共 3 名党员、1 个党组织，其中 1 项已撤销')
    expect(publishedSummary(campaign({ status: 'notice', notice_from: '2026-12-05', notice_until: '2026-12-11' }), list.slice(0, 1))).toBe('公示期 2026-12-05 至 2026-12-11，共 1 名党员')
  })
})
