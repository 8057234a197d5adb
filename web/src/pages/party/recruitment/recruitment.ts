/**
 * 发展党员 on the pages: the five stages and the twenty-five steps explained for someone doing it the
 * first time, what each step's form asks (the people and their label, training, the public notice),
 * the colour of a deadline, the filters kept in the address, the request bodies and the roll-up's
 * charts. The server decides every rule (honglian_domain::party_affairs::recruitment) and says why it
 * refuses; these only prepare the forms and show its answers.
 */
import type { LocationQuery } from 'vue-router'
import type {
  NextStep,
  PipelineStatus,
  Recruit,
  RecruitInput,
  RecruitStage,
  RecruitStep,
  RecruitStepInput,
  RecruitSummary,
} from '@/api/recruitment'
import { shortOrg } from '@/pages/party/dues/dues'

// ------------------------------------------------------------------ stages and steps

export interface StageInfo {
  value: RecruitStage
  /** As 细则 names the chapter. */
  label: string
  /** For a tab or a legend: what is being done in the stage (the board files people by their next step's stage). */
  short: string
  /** Steps from–to. */
  steps: [number, number]
  color: string
}

/** The five stages in order (细则 chapters 2–6). */
export const STAGES: StageInfo[] = [
  { value: 'application', label: '申请入党', short: '申请入党', steps: [1, 2], color: '#e6a23c' },
  { value: 'activist', label: '入党积极分子的确定和培养教育', short: '积极分子培养', steps: [3, 6], color: '#f07c3a' },
  { value: 'target', label: '发展对象的确定和考察', short: '发展对象考察', steps: [7, 11], color: '#dd4b39' },
  { value: 'admission', label: '预备党员的接收', short: '接收预备党员', steps: [12, 18], color: '#c8161d' },
  { value: 'probation', label: '预备党员的教育考察和转正', short: '预备期考察转正', steps: [19, 25], color: '#8f0f14' },
]

export function stageInfo(s: RecruitStage | string): StageInfo | undefined {
  return STAGES.find((x) => x.value === s)
}

/** The stage step `no` belongs to. */
export function stageOfStep(no: number): StageInfo {
  return STAGES.find((s) => no >= s.steps[0] && no <= s.steps[1]) ?? STAGES[0]
}

/** The steps' names as the server words them (for the chart's axis before a person is opened). */
export const STEP_NAMES = [
  '递交入党申请书',
  '党组织派人谈话',
  '推荐和确定入党积极分子',
  '上级党委备案',
  '指定培养联系人',
  '培养教育考察',
  '确定发展对象',
  '报上级党委备案',
  '确定入党介绍人',
  '进行政治审查',
  '开展集中培训',
  '支部委员会审查',
  '上级党委预审',
  '填写入党志愿书',
  '支部大会讨论',
  '上级党委派人谈话',
  '上级党委审批',
  '再上一级党委组织部门备案',
  '编入党支部和党小组',
  '入党宣誓',
  '继续教育考察',
  '提出转正申请',
  '支部大会讨论',
  '上级党委审批',
  '材料归档',
] as const

export const STEP_COUNT = 25

/**
 * What happens at each step, in the words of 细则 (shortened), for a newcomer; and the documents a
 * step usually produces (offered in the form, never required).
 */
export const STEP_GUIDE: Record<number, { what: string; documents: string[] }> = {
  1: { what: '年满十八岁的申请人向工作、学习所在单位的党组织递交书面入党申请书。', documents: ['入党申请书'] },
  2: { what: '党组织收到入党申请书后，在规定时限内派党员同申请人谈话，了解基本情况，介绍党的基本知识。', documents: ['谈话记录'] },
  3: {
    what: '通过党员推荐、群团组织推优等方式产生人选，由支部委员会（不设支委会的由支部大会）研究决定，确定为入党积极分子。',
    documents: ['党员推荐意见', '支部委员会会议记录'],
  },
  4: { what: '确定入党积极分子后，报上级党委备案。由上级党委办理。', documents: ['入党积极分子备案表'] },
  5: { what: '党组织指定一至两名正式党员作入党积极分子的培养联系人。', documents: ['培养联系人名单'] },
  6: {
    what: '吸收入党积极分子听党课、参加党内有关活动，分配一定的社会工作；党支部每半年进行一次考察。',
    documents: ['思想汇报', '培养教育考察登记簿'],
  },
  7: {
    what: '经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，听取党小组、培养联系人、党员和群众意见后，经支部委员会讨论同意，列为发展对象。',
    documents: ['支部委员会会议记录', '征求意见材料'],
  },
  8: { what: '确定的发展对象报上级党委备案。由上级党委办理。', documents: ['发展对象备案表'] },
  9: { what: '发展对象应当有两名正式党员作入党介绍人，一般由培养联系人担任。', documents: [] },
  10: { what: '对发展对象进行政治审查：本人的政治觉悟、政治历史和在重大政治斗争中的表现，以及直系亲属和主要社会关系的政治情况。', documents: ['政治审查报告'] },
  11: { what: '对发展对象进行短期集中培训，时间一般不少于三天（或不少于二十四个学时）。', documents: ['培训结业证书'] },
  12: { what: '支部委员会对发展对象进行严格审查，经集体讨论认为合格后，报具有审批权限的基层党委预审。', documents: ['支部委员会审查意见'] },
  13: {
    what: '基层党委对发展对象的条件、培养教育等情况进行审查；预审前对发展对象进行公示。审查合格的，发给《中国共产党入党志愿书》。由上级党委办理。',
    documents: ['公示材料', '预审意见'],
  },
  14: { what: '发展对象在入党介绍人指导下，按要求如实填写入党志愿书。', documents: ['入党志愿书'] },
  15: {
    what: '召开支部大会讨论接收预备党员：有表决权的到会人数须超过应到会有表决权人数的半数，赞成人数超过应到会有表决权人数的半数方能通过。',
    documents: ['支部大会会议记录', '支部大会决议'],
  },
  16: { what: '基层党委审批前，指派党委委员或组织员同发展对象谈话，作进一步了解。由上级党委办理。', documents: ['谈话记录'] },
  17: {
    what: '基层党委集体讨论审批，一般在支部大会通过后三个月内，最长不超过六个月。审批通过即为预备党员，系统据此建立其党员档案。由上级党委办理。',
    documents: ['党委审批意见'],
  },
  18: { what: '基层党委审批后，报再上一级党委组织部门备案。由上级党委办理。', documents: ['备案报告'] },
  19: { what: '党组织及时将预备党员编入党支部和党小组。', documents: [] },
  20: { what: '预备党员面向党旗进行入党宣誓，一般由基层党委或党支部组织。', documents: ['入党宣誓记录'] },
  21: { what: '通过党的组织生活、听取本人汇报、个别谈心、集中培训、实践锻炼等方式，对预备党员继续进行教育和考察。', documents: ['思想汇报', '考察材料'] },
  22: { what: '预备期满前，预备党员主动向党组织提出书面转正申请。', documents: ['转正申请书'] },
  23: {
    what: '预备期满后，支部大会讨论能否转为正式党员；需要继续考察和教育的，可以延长预备期（只能一次，最少半年，最长不超过一年）。',
    documents: ['支部大会会议记录'],
  },
  24: {
    what: '基层党委在支部大会讨论后三个月内审批转正，最长不超过六个月。党龄从预备期满转为正式党员之日算起。由上级党委办理。',
    documents: ['党委审批意见'],
  },
  25: { what: '入党志愿书、入党申请书、政治审查材料、转正申请书和培养教育考察等材料存入党员档案。', documents: ['档案材料清单'] },
}

/** The people a step records: how the form labels them, how many the rules want, and a hint. */
export interface PeopleSpec {
  label: string
  min: number
  max: number
  placeholder: string
  /** The rule, shown under the field; empty when there is none. */
  rule: string
}

/** How many names a list may hold (the server's limit). */
export const MAX_NAMES = 10

export function peopleSpec(no: number): PeopleSpec {
  switch (no) {
    case 2:
    case 16:
      return { label: '谈话人', min: 0, max: MAX_NAMES, placeholder: '输入谈话人姓名后回车', rule: '' }
    case 5:
      return { label: '培养联系人', min: 1, max: 2, placeholder: '输入培养联系人姓名后回车', rule: '一至两名正式党员（细则第十一条）' }
    case 9:
      return { label: '入党介绍人', min: 2, max: 2, placeholder: '输入入党介绍人姓名后回车', rule: '两名正式党员（细则第十五条）' }
    case 10:
      return { label: '审查人', min: 0, max: MAX_NAMES, placeholder: '输入经办审查的人员后回车', rule: '' }
    default:
      return { label: '参加人员', min: 0, max: MAX_NAMES, placeholder: '输入姓名后回车，可填多人', rule: '' }
  }
}

/** The people's message when their number is wrong, worded as the server words it. */
export function peopleError(no: number, people: string[]): string | undefined {
  const n = people.filter((p) => p.trim()).length
  if (no === 5 && (n < 1 || n > 2)) return '应指定一至两名正式党员作培养联系人（细则第十一条）'
  if (no === 9 && n !== 2) return '发展对象应有两名正式党员作入党介绍人（细则第十五条）'
  if (n > MAX_NAMES) return `最多 ${MAX_NAMES} 人`
  return undefined
}

// ------------------------------------------------------------------ days

/** Reminders come this many days before a step's due day (the server's REMIND_DAYS). */
export const REMIND_DAYS = 14

/** `YYYY-MM-DD` moved by `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}

export type DueTone = 'over' | 'soon' | 'ok' | 'none'

/** Red when the day has passed, yellow within two weeks (the reminder's window), plain otherwise. */
export function dueTone(day: string | null | undefined, today: string): DueTone {
  if (!day) return 'none'
  if (day < today) return 'over'
  if (day <= addDays(today, REMIND_DAYS)) return 'soon'
  return 'ok'
}

export interface Deadline {
  day: string
  rule: string
  /** After a hard limit the step is refused; after a soft one it needs a reason. */
  kind: 'due' | 'latest' | 'reminder'
}

/**
 * The day a person's next step is due: its soft limit (after it only with a reason), else its hard
 * one, else the day the reminder is about (the probation's end, for the conversion).
 */
export function deadlineOf(r: Pick<Recruit, 'next' | 'next_due_on'>): Deadline | null {
  const n = r.next
  if (!n) return null
  if (n.due) return { day: n.due, rule: n.due_rule ?? '', kind: 'due' }
  if (n.latest) return { day: n.latest, rule: n.latest_rule ?? '', kind: 'latest' }
  if (r.next_due_on) return { day: r.next_due_on, rule: n.earliest_rule ?? '', kind: 'reminder' }
  return null
}

/** The chosen day is past the step's due day: the form asks why. */
export function isLate(doneOn: string | null | undefined, next: Pick<NextStep, 'due'> | null | undefined): boolean {
  return !!doneOn && !!next?.due && doneOn > next.due
}

/** The chosen day is before the step may be done (the server will refuse it, saying why). */
export function isEarly(doneOn: string | null | undefined, next: Pick<NextStep, 'earliest'> | null | undefined): boolean {
  return !!doneOn && !!next?.earliest && doneOn < next.earliest
}

/** The chosen day is past the hard limit (refused). */
export function isPastLatest(doneOn: string | null | undefined, next: Pick<NextStep, 'latest'> | null | undefined): boolean {
  return !!doneOn && !!next?.latest && doneOn > next.latest
}

/** The window's lines as the page shows them. */
export function windowLines(next: NextStep): { key: 'earliest' | 'due' | 'latest'; label: string; day: string; rule: string }[] {
  const out: { key: 'earliest' | 'due' | 'latest'; label: string; day: string; rule: string }[] = []
  if (next.earliest) out.push({ key: 'earliest', label: '最早', day: next.earliest, rule: next.earliest_rule ?? '' })
  if (next.due) out.push({ key: 'due', label: '到期', day: next.due, rule: next.due_rule ?? '' })
  if (next.latest) out.push({ key: 'latest', label: '最迟', day: next.latest, rule: next.latest_rule ?? '' })
  return out
}

// ------------------------------------------------------------------ the timeline

export type StepState = 'done' | 'next' | 'todo' | 'stopped'

export function stepState(step: Pick<RecruitStep, 'no' | 'done_on'>, r: Pick<Recruit, 'next' | 'status'>): StepState {
  if (step.done_on) return 'done'
  if (r.next?.no === step.no) return 'next'
  return r.status === 'stopped' ? 'stopped' : 'todo'
}

/** The twenty-five steps under their five stages, with how many of each are done. */
export function stepsByStage<T extends Pick<RecruitStep, 'no' | 'done_on'>>(steps: T[]): { stage: StageInfo; steps: T[]; done: number }[] {
  return STAGES.map((stage) => {
    const own = steps.filter((s) => s.no >= stage.steps[0] && s.no <= stage.steps[1]).sort((a, b) => a.no - b.no)
    return { stage, steps: own, done: own.filter((s) => !!s.done_on).length }
  })
}

// ------------------------------------------------------------------ the board's filters

export type StatusFilter = PipelineStatus

export const STATUSES: { value: StatusFilter; label: string }[] = [
  { value: 'active', label: '培养中' },
  { value: 'done', label: '已完成' },
  { value: 'stopped', label: '已终止' },
]

export interface BoardFilters {
  stage: RecruitStage | ''
  status: StatusFilter
  org: number | null
  q: string
  due: boolean
  page: number
}

export function blankFilters(): BoardFilters {
  return { stage: '', status: 'active', org: null, q: '', due: false, page: 1 }
}

function one(v: LocationQuery[string] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? ''
}

function positive(v: string): number | null {
  const n = Number(v)
  return Number.isSafeInteger(n) && n > 0 ? n : null
}

/** The filters an address asks for (`/party/recruitment?due=true&stage=target`); unknown values are ignored. */
export function filtersFromQuery(q: LocationQuery): BoardFilters {
  const stage = one(q.stage)
  const status = one(q.status)
  return {
    stage: stageInfo(stage) ? (stage as RecruitStage) : '',
    status: STATUSES.some((s) => s.value === status) ? (status as StatusFilter) : 'active',
    org: positive(one(q.org)),
    q: one(q.q).slice(0, 50),
    due: one(q.due) === 'true' || one(q.due) === '1',
    page: positive(one(q.page)) ?? 1,
  }
}

/** The address of the filters: only what is set (active and page 1 left out). */
export function filtersToQuery(f: BoardFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.stage) out.stage = f.stage
  if (f.status !== 'active') out.status = f.status
  if (f.org != null) out.org = String(f.org)
  if (f.q.trim()) out.q = f.q.trim()
  if (f.due) out.due = 'true'
  if (f.page > 1) out.page = String(f.page)
  return out
}

// ------------------------------------------------------------------ forms

export interface RecruitForm {
  org_id: number | null
  name: string
  id_number: string
  phone: string
  education: string
  occupation: string
  employer: string
  applied_on: string
  documents: string[]
  note: string
}

export function blankRecruit(org: number | null, today: string): RecruitForm {
  return { org_id: org, name: '', id_number: '', phone: '', education: '', occupation: '', employer: '', applied_on: today, documents: ['入党申请书'], note: '' }
}

const blank = (s: string) => s.trim() || null

export function recruitBody(f: RecruitForm): RecruitInput {
  return {
    org_id: f.org_id as number,
    name: f.name.trim(),
    id_number: f.id_number.trim().toUpperCase(),
    phone: blank(f.phone),
    education: f.education || null,
    occupation: blank(f.occupation),
    employer: blank(f.employer),
    applied_on: f.applied_on,
    documents: names(f.documents),
    note: blank(f.note),
  }
}

export interface StepForm {
  done_on: string
  people: string[]
  documents: string[]
  note: string
  reason: string
  training_days: number | null
  class_hours: number | null
  notice_from: string | null
  notice_to: string | null
}

export function blankStep(today: string, documents: string[] = []): StepForm {
  return { done_on: today, people: [], documents: [...documents], note: '', reason: '', training_days: null, class_hours: null, notice_from: null, notice_to: null }
}

/** Names typed in a list: trimmed, blanks and repeats dropped. */
export function names(list: string[]): string[] {
  return [...new Set(list.map((s) => s.trim()).filter(Boolean))]
}

/** The body of step `no`: the training only for step 11, the notice only for step 13, the reason only when late. */
export function stepBody(no: number, f: StepForm, next: Pick<NextStep, 'due'> | null): RecruitStepInput {
  return {
    step: no,
    done_on: f.done_on,
    people: names(f.people),
    documents: names(f.documents),
    note: blank(f.note),
    reason: isLate(f.done_on, next) ? blank(f.reason) : null,
    training_days: no === 11 ? f.training_days : null,
    class_hours: no === 11 ? f.class_hours : null,
    notice_from: no === 13 ? f.notice_from : null,
    notice_to: no === 13 ? f.notice_to : null,
  }
}

/**
 * First checks before the request, worded like the server's: a day, not in the future; the people the
 * step needs; the training; the notice's days; a reason when late. The day's window is left to the
 * server, which names the rule.
 */
export function checkStep(no: number, f: StepForm, next: Pick<NextStep, 'due'> | null, today: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  if (!f.done_on) out.done_on = '请选择日期'
  else if (f.done_on > today) out.done_on = '日期不能晚于今天'
  out.people = peopleError(no, f.people)
  if (no === 11 && (f.training_days ?? 0) < 3 && (f.class_hours ?? 0) < 24) {
    out.training_days = '集中培训时间一般不少于 3 天（或不少于 24 个学时）（细则第十七条）'
  }
  if (no === 13) {
    if (!f.notice_from || !f.notice_to) out.notice_from = '请填写对发展对象的公示起止日期'
    else if (f.notice_to < f.notice_from) out.notice_to = '公示结束日期不能早于开始日期'
    else if (f.done_on && f.notice_to > f.done_on) out.notice_to = '预审应在公示期满后进行'
  }
  if (isLate(f.done_on, next) && !f.reason.trim()) out.reason = `已超过 ${next?.due}，请说明原因`
  return out
}

// ------------------------------------------------------------------ the roll-up's charts

type Tip = { dataIndex: number; seriesIndex?: number }

/** People by branch, stacked by stage (a branch's bar is its people in the pipeline). */
export function branchChart(s: RecruitSummary, visible = 12) {
  const rows = s.rows.filter((r) => r.total > 0)
  const many = rows.length > visible
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: Tip[]) => {
        const r = rows[ps[0]?.dataIndex ?? 0]
        if (!r) return ''
        const lines = STAGES.map((st, i) => (r.by_stage[i] ? `${st.short} ${r.by_stage[i]} 人` : '')).filter(Boolean)
        return `${r.org.name}（共 ${r.total} 人）<br/>${lines.join('<br/>')}`
      },
    },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: many ? 40 : 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: rows.map((r) => shortOrg(r.org.name)),
      axisTick: { show: false },
      axisLabel: { interval: 0, width: 84, overflow: 'break', lineHeight: 14 },
    },
    yAxis: { type: 'value', name: '人', minInterval: 1 },
    dataZoom: many ? [{ type: 'slider', xAxisIndex: 0, startValue: 0, endValue: visible - 1, height: 16, bottom: 8, brushSelect: false }] : [],
    series: STAGES.map((st, i) => ({
      name: st.short,
      type: 'bar',
      stack: 'people',
      barMaxWidth: 36,
      data: rows.map((r) => r.by_stage[i] ?? 0),
      itemStyle: { color: st.color },
    })),
  }
}

/** People by the step they are to do next (1–25), coloured by stage. */
export function stepChart(s: RecruitSummary) {
  const counts = Array.from({ length: STEP_COUNT }, (_, i) => s.by_step[i] ?? 0)
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: Tip[]) => {
        const i = ps[0]?.dataIndex ?? 0
        return `下一步：第 ${i + 1} 步 ${STEP_NAMES[i]}<br/>${stageOfStep(i + 1).short}：${counts[i]} 人`
      },
    },
    legend: { top: 0, data: STAGES.map((st) => st.short) },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: counts.map((_, i) => String(i + 1)), axisTick: { show: false }, name: '步骤', nameGap: 6 },
    yAxis: { type: 'value', name: '人', minInterval: 1 },
    // One series per stage (so the legend names the stages); each fills only its own steps.
    series: STAGES.map((st) => ({
      name: st.short,
      type: 'bar',
      stack: 'step',
      barMaxWidth: 22,
      data: counts.map((n, i) => (i + 1 >= st.steps[0] && i + 1 <= st.steps[1] ? n : null)),
      itemStyle: { color: st.color },
    })),
  }
}

/** People at each stage across the scope (the figures above the board). */
export function stageTotals(s: RecruitSummary): number[] {
  return STAGES.map((_, i) => s.rows.reduce((n, r) => n + (r.by_stage[i] ?? 0), 0))
}

// ------------------------------------------------------------------ the applicant's progress code

/** The letters a code may hold (the server's alphabet: no 0/O, 1/I/L). */
const CODE_LETTERS = /[^23456789ABCDEFGHJKMNPQRSTUVWXYZ]/g

/** A code as typed or printed, in its bare form: upper case, nothing but its letters ("k7qf-2mxp 9chr" → "K7QF2MXP9CHR"). */
export function bareCode(code: string): string {
  return code.toUpperCase().replace(CODE_LETTERS, '')
}

/** A code in groups of four for reading off paper: "K7QF2MXP9CHR" → ["K7QF", "2MXP", "9CHR"]. */
export function codeGroups(code: string): string[] {
  return bareCode(code).match(/.{1,4}/g) ?? []
}

/** The full link of a code's phone page (the server gives the path: /m/progress#code=…). */
export function progressLink(origin: string, path: string): string {
  return `${origin.replace(/\/$/, '')}${path.startsWith('/') ? path : `/${path}`}`
}

/** The code in an address's fragment ("#code=K7QF-2MXP-9CHR"), or "" (a fragment never reaches a server log). */
export function codeFromHash(hash: string): string {
  const m = /(?:^#?|[#&])code=([^&]*)/.exec(hash)
  if (!m) return ''
  try {
    return decodeURIComponent(m[1]).trim()
  } catch {
    return m[1].trim()
  }
}
