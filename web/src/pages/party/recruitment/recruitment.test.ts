import { describe, expect, it } from 'vitest'
import type { NextStep, RecruitSummary } from '@/api/recruitment'
import {
  STAGES,
  STEP_GUIDE,
  STEP_NAMES,
  addDays,
  bareCode,
  blankFilters,
  blankStep,
  branchChart,
  checkStep,
  codeFromHash,
  codeGroups,
  deadlineOf,
  dueTone,
  filtersFromQuery,
  filtersToQuery,
  isEarly,
  isLate,
  isPastLatest,
  names,
  peopleError,
  peopleSpec,
  progressLink,
  recruitBody,
  blankRecruit,
  stageOfStep,
  stageTotals,
  stepBody,
  stepChart,
  stepState,
  stepsByStage,
  windowLines,
} from './recruitment'

const next = (over: Partial<NextStep> = {}): NextStep => ({
  no: 7,
  name: '确定发展对象',
  stage: 'target',
  by_higher: false,
  earliest: '2026-11-07',
  earliest_rule: '入党积极分子须经过一年以上培养教育和考察，方可确定为发展对象（细则第十三条）',
  due: null,
  due_rule: null,
  latest: null,
  latest_rule: null,
  can_record: true,
  ...over,
})

describe('the five stages and twenty-five steps', () => {
  it('covers every step once, in order, with a guide for each', () => {
    const covered = STAGES.flatMap((s) => Array.from({ length: s.steps[1] - s.steps[0] + 1 }, (_, i) => s.steps[0] + i))
    expect(covered).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
    expect(STEP_NAMES).toHaveLength(25)
    for (let no = 1; no <= 25; no++) expect(STEP_GUIDE[no]?.what.length).toBeGreaterThan(10)
    expect(stageOfStep(1).value).toBe('application')
    expect(stageOfStep(7).value).toBe('target')
    expect(stageOfStep(17).value).toBe('admission')
    expect(stageOfStep(25).value).toBe('probation')
  })

  it('labels the people of each step as the rules name them', () => {
    expect(peopleSpec(2).label).toBe('谈话人')
    expect(peopleSpec(16).label).toBe('谈话人')
    expect(peopleSpec(5)).toMatchObject({ label: '培养联系人', min: 1, max: 2 })
    expect(peopleSpec(9)).toMatchObject({ label: '入党介绍人', min: 2, max: 2 })
    expect(peopleSpec(15).label).toBe('参加人员')
    expect(peopleSpec(9).rule).toContain('细则第十五条')
  })

  it('counts the people as the server does', () => {
    expect(peopleError(5, [])).toContain('一至两名')
    expect(peopleError(5, ['王芳'])).toBeUndefined()
    expect(peopleError(5, ['王芳', '李明', '陈刚'])).toContain('一至两名')
    expect(peopleError(9, ['王芳'])).toContain('两名正式党员')
    expect(peopleError(9, ['王芳', ' '])).toContain('两名正式党员')
    expect(peopleError(9, ['王芳', '李明'])).toBeUndefined()
    expect(peopleError(15, [])).toBeUndefined()
    expect(names([' 王芳 ', '', '王芳', '李明'])).toEqual(['王芳', '李明'])
  })

  it('groups the steps under their stages and tells done, next and to come', () => {
    const steps = Array.from({ length: 25 }, (_, i) => ({ no: i + 1, done_on: i < 6 ? '2026-01-01' : null }))
    const groups = stepsByStage(steps)
    expect(groups.map((g) => g.steps.length)).toEqual([2, 4, 5, 7, 7])
    expect(groups.map((g) => g.done)).toEqual([2, 4, 0, 0, 0])
    const r = { next: next(), status: 'active' as const }
    expect(stepState(steps[5], r)).toBe('done')
    expect(stepState(steps[6], r)).toBe('next')
    expect(stepState(steps[7], r)).toBe('todo')
    expect(stepState(steps[7], { next: null, status: 'stopped' })).toBe('stopped')
  })
})

describe('days and deadlines', () => {
  it('moves days across months and years', () => {
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })

  it('colours a deadline: red once past, yellow within two weeks', () => {
    const today = '2026-12-07'
    expect(dueTone('2026-12-06', today)).toBe('over')
    expect(dueTone('2026-12-07', today)).toBe('soon')
    expect(dueTone('2026-12-21', today)).toBe('soon')
    expect(dueTone('2026-12-22', today)).toBe('ok')
    expect(dueTone(null, today)).toBe('none')
  })

  it('takes the due day, else the hard limit, else the reminder day', () => {
    expect(deadlineOf({ next: next({ due: '2027-01-01', due_rule: '三个月内', latest: '2027-04-01' }), next_due_on: '2027-01-01' })).toEqual({
      day: '2027-01-01',
      rule: '三个月内',
      kind: 'due',
    })
    expect(deadlineOf({ next: next({ latest: '2027-04-01', latest_rule: '六个月' }), next_due_on: null })?.kind).toBe('latest')
    expect(deadlineOf({ next: next({ no: 23, earliest: '2027-06-01', earliest_rule: '预备期满' }), next_due_on: '2027-06-01' })).toEqual({
      day: '2027-06-01',
      rule: '预备期满',
      kind: 'reminder',
    })
    expect(deadlineOf({ next: next(), next_due_on: null })).toBeNull()
    expect(deadlineOf({ next: null, next_due_on: null })).toBeNull()
  })

  it('tells early, late and too late days', () => {
    const n = next({ due: '2026-12-01', latest: '2027-03-01' })
    expect(isEarly('2026-11-06', n)).toBe(true)
    expect(isEarly('2026-11-07', n)).toBe(false)
    expect(isLate('2026-12-01', n)).toBe(false)
    expect(isLate('2026-12-02', n)).toBe(true)
    expect(isLate('2026-12-02', next())).toBe(false)
    expect(isPastLatest('2027-03-02', n)).toBe(true)
    expect(windowLines(n).map((l) => l.key)).toEqual(['earliest', 'due', 'latest'])
    expect(windowLines(next({ earliest: null })).length).toBe(0)
  })
})

describe('the step form', () => {
  const today = '2026-12-07'

  it('sends the training only for step 11, the notice only for 13, the reason only when late', () => {
    const f = { ...blankStep(today), people: ['王芳 ', '李明'], training_days: 3, notice_from: '2026-11-20', notice_to: '2026-11-26', reason: '外出务工' }
    expect(stepBody(9, f, next({ no: 9 }))).toEqual({
      step: 9,
      done_on: today,
      people: ['王芳', '李明'],
      documents: [],
      note: null,
      reason: null,
      training_days: null,
      class_hours: null,
      notice_from: null,
      notice_to: null,
    })
    expect(stepBody(11, f, null)).toMatchObject({ training_days: 3, notice_from: null })
    expect(stepBody(13, f, null)).toMatchObject({ training_days: null, notice_from: '2026-11-20', notice_to: '2026-11-26' })
    expect(stepBody(17, f, next({ due: '2026-12-01' })).reason).toBe('外出务工')
  })

  it('checks what the server would refuse first, leaving the window to the server', () => {
    expect(checkStep(7, blankStep(today), next(), today)).toEqual({ people: undefined })
    expect(checkStep(7, blankStep('2026-12-08'), next(), today).done_on).toBe('日期不能晚于今天')
    expect(checkStep(9, { ...blankStep(today), people: ['王芳'] }, null, today).people).toContain('两名')
    expect(checkStep(11, { ...blankStep(today), class_hours: 24 }, null, today).training_days).toBeUndefined()
    expect(checkStep(11, { ...blankStep(today), training_days: 2 }, null, today).training_days).toContain('不少于 3 天')
    expect(checkStep(13, blankStep(today), null, today).notice_from).toContain('公示起止日期')
    expect(checkStep(13, { ...blankStep(today), notice_from: '2026-12-01', notice_to: '2026-11-30' }, null, today).notice_to).toContain('不能早于')
    expect(checkStep(13, { ...blankStep('2026-12-03'), notice_from: '2026-11-27', notice_to: '2026-12-04' }, null, today).notice_to).toContain('公示期满后')
    expect(checkStep(17, blankStep(today), next({ due: '2026-12-01' }), today).reason).toContain('请说明原因')
    expect(checkStep(17, { ...blankStep(today), reason: '党委换届' }, next({ due: '2026-12-01' }), today).reason).toBeUndefined()
  })

  it('files an applicant with the ID in upper case and blanks as null', () => {
    const f = { ...blankRecruit(3, today), name: ' 陈晓 ', id_number: '44088119950301002x', documents: ['入党申请书', ''] }
    expect(recruitBody(f)).toEqual({
      org_id: 3,
      name: '陈晓',
      id_number: '44088119950301002X',
      phone: null,
      education: null,
      occupation: null,
      employer: null,
      applied_on: today,
      documents: ['入党申请书'],
      note: null,
    })
  })
})

describe('the board’s filters in the address', () => {
  it('reads the workbench’s link and ignores what it does not know', () => {
    expect(filtersFromQuery({ due: 'true' })).toEqual({ ...blankFilters(), due: true })
    expect(filtersFromQuery({ stage: 'target', status: 'stopped', org: '3', q: '李', page: '2' })).toEqual({
      stage: 'target',
      status: 'stopped',
      org: 3,
      q: '李',
      due: false,
      page: 2,
    })
    expect(filtersFromQuery({ stage: 'nope', status: 'x', org: '-1', page: '0' })).toEqual(blankFilters())
  })

  it('writes only what is set', () => {
    expect(filtersToQuery(blankFilters())).toEqual({})
    expect(filtersToQuery({ ...blankFilters(), due: true, stage: 'activist', q: ' 李 ' })).toEqual({ due: 'true', stage: 'activist', q: '李' })
  })
})

describe('the roll-up', () => {
  const summary: RecruitSummary = {
    stages: STAGES.map((s) => s.label),
    rows: [
      { org: { id: 3, name: '广州吴川商会党支部' }, by_stage: [2, 3, 1, 1, 2], total: 9 },
      { org: { id: 4, name: '深圳吴川商会党支部' }, by_stage: [1, 0, 0, 0, 0], total: 1 },
      { org: { id: 5, name: '机关联合党支部' }, by_stage: [0, 0, 0, 0, 0], total: 0 },
    ],
    by_step: [2, 1, 0, 2, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0],
    total: 10,
    due_soon: 2,
  }

  it('stacks each branch’s people by stage', () => {
    const o = branchChart(summary)
    expect(o.xAxis.data).toEqual(['广州吴川商会', '深圳吴川商会'])
    expect(o.series.map((s) => s.name)).toEqual(STAGES.map((s) => s.short))
    expect(o.series[0].data).toEqual([2, 1])
    expect(o.series[1].data).toEqual([3, 0])
    const tip = o.tooltip.formatter([{ dataIndex: 0 }])
    expect(tip).toContain('广州吴川商会党支部（共 9 人）')
    expect(tip).toContain('积极分子培养 3 人')
  })

  it('puts each step’s people in its stage’s colour', () => {
    const o = stepChart(summary)
    expect(o.xAxis.data).toHaveLength(25)
    expect(o.series[0].data.slice(0, 3)).toEqual([2, 1, null])
    expect(o.series[1].data.slice(2, 6)).toEqual([0, 2, 0, 1])
    expect(o.tooltip.formatter([{ dataIndex: 6 }])).toContain('第 7 步 确定发展对象')
    expect(stageTotals(summary)).toEqual([3, 3, 1, 1, 2])
  })
})

describe('the applicant’s progress code', () => {
  it('is read bare, upper case, without separators or letters outside its alphabet', () => {
    expect(bareCode('k7qf-2mxp 9chr')).toBe('K7QF2MXP9CHR')
    expect(bareCode(' K7QF—2MXP－9CHR ')).toBe('K7QF2MXP9CHR')
  })

  it('is shown in groups of four', () => {
    expect(codeGroups('K7QF-2MXP-9CHR')).toEqual(['K7QF', '2MXP', '9CHR'])
    expect(codeGroups('K7QF2MXP9CHR')).toEqual(['K7QF', '2MXP', '9CHR'])
    expect(codeGroups('')).toEqual([])
  })

  it('makes the full link of the server’s path', () => {
    expect(progressLink('https://hl.example.cn', '/m/progress#code=K7QF-2MXP-9CHR')).toBe('https://hl.example.cn/m/progress#code=K7QF-2MXP-9CHR')
    expect(progressLink('https://hl.example.cn/', 'm/progress#code=X')).toBe('https://hl.example.cn/m/progress#code=X')
  })

  it('is read from the address’s fragment', () => {
    expect(codeFromHash('#code=K7QF-2MXP-9CHR')).toBe('K7QF-2MXP-9CHR')
    expect(codeFromHash('#from=qr&code=K7QF%202MXP')).toBe('K7QF 2MXP')
    expect(codeFromHash('#code=%E0%A4')).toBe('%E0%A4')
    expect(codeFromHash('#encode=X')).toBe('')
    expect(codeFromHash('')).toBe('')
  })
})
