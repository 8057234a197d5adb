/**
 * 先锋工程 (评选表彰): what the pages say about a campaign and its nominations — the votes, the
 * quotas, the notice, which of the manager's steps the campaign allows, a nomination's way so far —
 * and the bodies of the forms. Pure functions; the pages and their tests share them.
 */
import type {
  CampaignDetail,
  CampaignInput,
  HonourCampaign,
  HonourSubject,
  Nomination,
  NominationInput,
  Objection,
  PublishedEntry,
  Quota,
  QuotaItem,
  ReviewStep,
} from '@/api/honours'
import { DEFAULT_HONOURS } from '@/api/honours'
import { todayBeijing } from '@/api/hometown'
import type { SessionGrant } from '@/api/types'

/** "赞成 9 / 12": the branch meeting's vote. */
export function votesText(n: Pick<Nomination, 'votes_for' | 'votes_total'>): string {
  return `赞成 ${n.votes_for} / ${n.votes_total}`
}

/** "已用 3 / 8" of a quota. */
export function quotaText(q: Pick<Quota, 'used' | 'quota'>): string {
  return `已用 ${q.used} / ${q.quota}`
}

/** How full a quota is, 0–100, and its colour: full is success, over (a quota lowered later) an exception. */
export function quotaProgress(q: Pick<Quota, 'used' | 'quota'>): { percent: number; status: '' | 'success' | 'exception' } {
  if (q.quota <= 0) return { percent: q.used > 0 ? 100 : 0, status: q.used > 0 ? 'exception' : '' }
  const percent = Math.min(100, Math.round((q.used / q.quota) * 100))
  return { percent, status: q.used > q.quota ? 'exception' : q.used === q.quota ? 'success' : '' }
}

/** "2026-12-05 至 2026-12-11", or null before the notice. */
export function noticePeriod(c: Pick<HonourCampaign, 'notice_from' | 'notice_until'>): string | null {
  if (!c.notice_until) return null
  return `${c.notice_from ?? ''} 至 ${c.notice_until}`.trim()
}

/** Where a campaign on notice stands: still shown in public, or the notice is over (the award may follow). */
export function noticeLine(c: Pick<HonourCampaign, 'status' | 'notice_until'>, today: string = todayBeijing()): { text: string; over: boolean } | null {
  if (c.status !== 'notice' || !c.notice_until) return null
  return today <= c.notice_until ? { text: `公示中，至 ${c.notice_until}`, over: false } : { text: '公示期满，可以表彰', over: true }
}

/** One line under the status in the campaign list: the notice, the award, or the nominations' deadline. */
export function stageLine(c: HonourCampaign, today: string = todayBeijing()): string {
  if (c.status === 'awarded') return `${c.awarded_on ?? ''} 表彰`
  const n = noticeLine(c, today)
  if (n) return n.text
  if (c.nominate_until) return today <= c.nominate_until ? `推荐截止 ${c.nominate_until}` : `推荐已于 ${c.nominate_until} 截止`
  return '接受推荐中'
}

/** 公示名单 while on notice, 表彰名单 after; nothing is published before the notice. */
export function listTitle(status: HonourCampaign['status']): string {
  return status === 'awarded' ? '表彰名单' : '公示名单'
}

/** "5 名党员、2 个党组织": how many entries, by who the honour is for. */
export function countText(c: Pick<HonourCampaign, 'honours'>, entries: Pick<PublishedEntry, 'honour'>[]): string {
  const members = entries.filter((e) => subjectOf(c, e.honour) === 'member').length
  const orgs = entries.length - members
  return [members ? `${members} 名党员` : '', orgs ? `${orgs} 个党组织` : ''].filter(Boolean).join('、') || '0 名'
}

/** The line over the published list: its period or award day, how many, how many withdrawn since. */
export function publishedSummary(c: Pick<HonourCampaign, 'honours' | 'status' | 'notice_from' | 'notice_until' | 'awarded_on'>, entries: PublishedEntry[]): string {
  const withdrawn = entries.filter((e) => e.status === 'withdrawn')
  const head = c.status === 'awarded' ? `${c.awarded_on ?? ''} 表彰` : `公示期 ${noticePeriod(c) ?? '—'}`
  return `${head}，共 ${countText(c, entries)}${withdrawn.length ? `，其中 ${withdrawn.length} 项已撤销` : ''}`
}

/** The rows an honour's cell spans in a list sorted by honour: the first row of a run spans it, the others 0. */
export function honourSpans(entries: Pick<PublishedEntry, 'honour'>[]): number[] {
  const out = entries.map(() => 0)
  let start = 0
  entries.forEach((e, i) => {
    if (i > 0 && e.honour === entries[start].honour) out[start]++
    else {
      start = i
      out[i] = 1
    }
  })
  return out
}

/** The manager's steps the campaign allows now (the server checks them again). */
export function managerSteps(c: Pick<HonourCampaign, 'can_manage' | 'status'>) {
  const m = c.can_manage
  return {
    quotas: m && c.status === 'nominating',
    notice: m && c.status === 'nominating',
    award: m && c.status === 'notice',
    /** The published list downloads for every reader once it is published. */
    export: c.status !== 'nominating',
  }
}

/** What is still open before the notice can start, said before asking the server. */
export function noticeBlockers(d: Pick<CampaignDetail, 'nominations'>): string | null {
  const waiting = d.nominations.filter((n) => n.status === 'reviewing').length
  if (waiting) return `还有 ${waiting} 条推荐尚在逐级审核，审核完毕后才能公示`
  if (!d.nominations.some((n) => n.status === 'recommended')) return '没有审核通过的推荐，无需公示'
  return null
}

/** The earliest day of the award: the day after the notice ends. */
export function awardFrom(notice_until: string | null | undefined): string | null {
  if (!notice_until) return null
  const d = new Date(`${notice_until}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

/** A review is dated from the step before (the last review, or the meeting) to today. */
export function reviewFrom(n: Pick<Nomination, 'discussed_on'>, steps: Pick<ReviewStep, 'on'>[]): string {
  return steps.reduce((on, s) => (s.on > on ? s.on : on), n.discussed_on)
}

/** "撤销荣誉" for an award, "撤回推荐" for a nomination still on its way. */
export function withdrawLabel(status: Nomination['status']): string {
  return status === 'awarded' ? '撤销荣誉' : '撤回推荐'
}

/** The line under a nomination's status: the level it waits at, or why it was withdrawn. */
export function waitingLine(n: Pick<Nomination, 'status' | 'at_org' | 'withdrawn_on' | 'withdraw_reason'>): string {
  if (n.status === 'reviewing' && n.at_org) return `待${n.at_org.name}审核`
  if (n.status === 'withdrawn') return `${n.withdrawn_on ?? ''} 撤销${n.withdraw_reason ? `：${n.withdraw_reason}` : ''}`
  return ''
}

export interface TimelineItem {
  key: string
  title: string
  on: string | null
  lines: string[]
  color: string
  pending?: boolean
}

const GREY = '#909399'
const BLUE = '#409eff'
const GOLD = '#e6a23c'
const RED = '#c8161d'

/**
 * A nomination's way so far: the meeting's vote, each level's review, the public notice with its
 * objections, the award — or where it stopped (not passed, an objection upheld, withdrawn).
 */
export function nominationTimeline(
  n: Nomination,
  steps: ReviewStep[],
  objections: Objection[],
  c: Pick<HonourCampaign, 'notice_from' | 'notice_until'> | null,
  today: string = todayBeijing(),
): TimelineItem[] {
  const out: TimelineItem[] = [
    { key: 'nominated', title: `${n.org.name}推荐`, on: n.discussed_on, lines: [`党员大会讨论表决：${votesText(n)}`], color: GREY },
  ]
  steps.forEach((s, i) => {
    out.push({
      key: `step-${i}`,
      title: `${s.org.name}审核：${s.pass ? '通过' : '不通过'}`,
      on: s.on,
      lines: [s.note, s.by_name ? `经办：${s.by_name}` : ''].filter(Boolean),
      color: s.pass ? BLUE : RED,
    })
  })
  if (n.status === 'reviewing' && n.at_org) {
    out.push({ key: 'waiting', title: `待${n.at_org.name}审核`, on: null, lines: [], color: GREY, pending: true })
  }
  const published = n.status === 'notice' || n.status === 'awarded' || (n.status === 'withdrawn' && !!n.awarded_on) || objections.length > 0
  if (published && c?.notice_until) {
    const running = n.status === 'notice' && today <= c.notice_until
    const lines = [`${c.notice_from ? `${c.notice_from} 起` : ''}公示至 ${c.notice_until}${running ? '，公示中' : '，公示期满'}`]
    const open = objections.filter((o) => o.upheld == null).length
    if (objections.length) lines.push(`收到异议 ${objections.length} 条${open ? `，${open} 条待处理` : ''}`)
    out.push({ key: 'notice', title: '公示', on: c.notice_from ?? null, lines, color: GOLD, pending: running })
  }
  const upheld = objections.find((o) => o.upheld === true)
  if (upheld) out.push({ key: 'upheld', title: '异议成立，不予表彰', on: upheld.handled_on ?? null, lines: [upheld.handling], color: RED })
  if (n.awarded_on) out.push({ key: 'awarded', title: `授予“${n.honour}”称号`, on: n.awarded_on, lines: [], color: RED })
  if (n.withdrawn_on) {
    out.push({ key: 'withdrawn', title: n.awarded_on ? '撤销荣誉' : '撤回推荐', on: n.withdrawn_on, lines: n.withdraw_reason ? [n.withdraw_reason] : [], color: GREY })
  }
  return out
}

// ------------------------------------------------------------------ forms

export interface HonourRow {
  name: string
  subject: HonourSubject
}

export interface CampaignForm {
  org_id: number | null
  year: number
  title: string
  honours: HonourRow[]
  nominate_until: string
}

export function thisYear(today: string = todayBeijing()): number {
  return Number(today.slice(0, 4))
}

/** The title a new campaign starts with (follows the year while it is not edited). */
export function defaultTitle(year: number): string {
  return `${year}年度“两优一先”评选表彰`
}

export function blankCampaign(org_id: number | null, today: string = todayBeijing()): CampaignForm {
  const year = thisYear(today)
  return { org_id, year, title: defaultTitle(year), honours: DEFAULT_HONOURS.map((h) => ({ ...h })), nominate_until: '' }
}

export function campaignBody(f: CampaignForm): CampaignInput {
  return {
    org_id: f.org_id ?? 0,
    year: f.year,
    title: f.title.trim(),
    honours: f.honours.map((h) => ({ name: h.name.trim(), subject: h.subject })).filter((h) => h.name),
    nominate_until: f.nominate_until || null,
  }
}

/** Local checks worded like the server's (it checks everything again). */
export function checkCampaign(f: CampaignForm): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.org_id == null) out.org_id = '请选择发起表彰的党组织'
  if (!f.title.trim()) out.title = '请填写表彰名称'
  const names = f.honours.map((h) => h.name.trim()).filter(Boolean)
  if (!names.length) out.honours = '至少设一个荣誉称号'
  const twice = names.find((n, i) => names.indexOf(n) !== i)
  if (twice) out.honours = `荣誉称号“${twice}”重复`
  return out
}

/**
 * The organisation a campaign starts from: the user's own top organisation — a county admin's
 * county, else the one organisation the user works for (null when there are several to choose from).
 */
export function topOrg(grants: Pick<SessionGrant, 'role' | 'org_id'>[]): number | null {
  const county = grants.find((g) => g.role === 'county_admin' && g.org_id != null)
  if (county) return county.org_id ?? null
  const orgs = [...new Set(grants.map((g) => g.org_id).filter((id): id is number => id != null))]
  return orgs.length === 1 ? orgs[0] : null
}

export interface QuotaRow {
  honour: string
  org_id: number | null
  org_name: string
  quota: number
}

export function quotaRows(quotas: Quota[]): QuotaRow[] {
  return quotas.map((q) => ({ honour: q.honour, org_id: q.org.id, org_name: q.org.name, quota: q.quota }))
}

/** The rows with an organisation chosen; a row without one is a local error. */
export function quotaItems(rows: QuotaRow[]): { items: QuotaItem[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const items: QuotaItem[] = []
  rows.forEach((r, i) => {
    if (r.org_id == null) errors[`items[${i}]`] = '请选择分配名额的党组织'
    else if (!r.honour) errors[`items[${i}]`] = '请选择荣誉称号'
    else items.push({ honour: r.honour, org_id: r.org_id, quota: r.quota })
  })
  return { items, errors }
}

export interface NominationForm {
  honour: string
  org_id: number | null
  member_id: number | null
  nominee_org_id: number | null
  deeds: string
  discussed_on: string
  votes_for: number | null
  votes_total: number | null
}

export function blankNomination(c: Pick<HonourCampaign, 'honours'>, org_id: number | null): NominationForm {
  const first = c.honours[0]
  return {
    honour: first?.name ?? '',
    org_id,
    member_id: null,
    nominee_org_id: org_id,
    deeds: '',
    discussed_on: '',
    votes_for: null,
    votes_total: null,
  }
}

export function subjectOf(c: Pick<HonourCampaign, 'honours'>, honour: string): HonourSubject {
  return c.honours.find((h) => h.name === honour)?.subject ?? 'member'
}

/** The meeting's vote as the server judges it: someone voted, no more in favour than voted, more than half. */
export function checkVote(votes_for: number | null, votes_total: number | null): string | null {
  if (!votes_total) return '请填写参加表决的人数'
  if (votes_for == null) return '请填写赞成票数'
  if (votes_for > votes_total) return `赞成票 ${votes_for} 不能多于参加表决的 ${votes_total} 人`
  if (votes_for * 2 <= votes_total) return `赞成票 ${votes_for} 未超过参加表决的 ${votes_total} 人的半数，不能推荐`
  return null
}

export function checkNomination(f: NominationForm, subject: HonourSubject): Record<string, string> {
  const out: Record<string, string> = {}
  if (!f.honour) out.honour = '请选择荣誉称号'
  if (f.org_id == null) out.org_id = '请选择推荐的党组织'
  if (subject === 'member' && f.member_id == null) out.member_id = '请选择被推荐的党员'
  if (subject === 'org' && f.nominee_org_id == null) out.nominee_org_id = '请选择被推荐的党组织'
  if (!f.deeds.trim()) out.deeds = '请填写主要事迹'
  if (!f.discussed_on) out.discussed_on = '请选择党员大会讨论表决的日期'
  const vote = checkVote(f.votes_for, f.votes_total)
  if (vote) out.votes_for = vote
  return out
}

/** The body of a nomination: a member for an honour for members, an organisation for one for organisations. */
export function nominationBody(campaign_id: number, f: NominationForm, subject: HonourSubject): NominationInput {
  return {
    campaign_id,
    honour: f.honour,
    org_id: f.org_id ?? 0,
    member_id: subject === 'member' ? f.member_id : null,
    nominee_org_id: subject === 'org' ? f.nominee_org_id : null,
    deeds: f.deeds.trim(),
    discussed_on: f.discussed_on,
    votes_for: f.votes_for ?? 0,
    votes_total: f.votes_total ?? 0,
  }
}

export const NOMINATION_FIELDS = ['honour', 'org_id', 'member_id', 'nominee_org_id', 'deeds', 'discussed_on', 'votes_for', 'votes_total']
