import { describe, expect, it } from 'vitest'
import type { Task } from '@/api/goals'
import { deadlineHint, evenWeights, formatRate, milestoneProblems, weightSum } from './labels'
import { byUrgency, countLights, replaceTask } from './useTasks'
import { newestReportId } from './useTaskDetail'
import { rhythmRows, worstRows } from './useGoalsBoard'
import { groupMembers, isCurrent } from '@/pages/communities/registry/useCommunity'
import { roleLabelProblem } from '@/pages/communities/registry/useRoleLabels'
import { candidateOptions, groupSizeProblem } from '@/pages/communities/instructors/useInstructors'
import type { Community } from '@/api/goals'
import { regionPathOf } from '@/pages/organisations/coverage/labels'

function task(id: number, light: string, deadline: string, title = `任务${id}`): Task {
  return {
    id, list_id: 1, list_title: '清单', year: 2026, title, owner: { id: 1, name: '两新工委' }, co_orgs: [], deadline, milestones: [],
    status: 'on_plan', status_label: '按计划推进', light, planned_percent: 0, actual_percent: 0, can_report: true, can_edit: true,
  }
}

describe('task display rules', () => {
  it('writes rates in hundredths of a percent, and — when there is nothing to cover', () => {
    expect(formatRate(8571)).toBe('85.71%')
    expect(formatRate(8750)).toBe('87.5%')
    expect(formatRate(10000)).toBe('100%')
    expect(formatRate(0)).toBe('0%')
    expect(formatRate(null)).toBe('—')
  })

  it('checks milestones with the server wording', () => {
    const ms = [
      { title: '方案', planned_on: '2026-03-01', weight: 100 },
      { title: '', planned_on: '2027-01-01', weight: 30 },
    ]
    expect(weightSum(ms)).toBe(130)
    expect(milestoneProblems(ms, '2026-12-31')).toEqual(['请填写第 2 个节点的名称', '第 2 个节点的计划完成日期不能晚于截止日期', '各节点权重之和须为 100，现为 130'])
    expect(milestoneProblems([], '2026-12-31')).toEqual([])
    expect(evenWeights(3)).toEqual([34, 33, 33])
    expect(weightSum(evenWeights(7).map((weight) => ({ weight })))).toBe(100)
  })

  it('sorts red first, then by deadline, and counts lights', () => {
    const items = [task(1, 'blue', '2026-06-01'), task(2, 'red', '2026-12-01'), task(3, 'yellow', '2026-05-01'), task(4, 'red', '2026-03-01')]
    expect([...items].sort(byUrgency).map((t) => t.id)).toEqual([4, 2, 3, 1])
    expect(countLights(items)).toEqual({ blue: 1, yellow: 1, red: 2 })
  })

  it('replaces a reported task in the table without its reports', () => {
    const items = [task(1, 'yellow', '2026-06-01'), task(2, 'red', '2026-12-01')]
    const detail = { ...task(1, 'blue', '2026-06-01'), status: 'done', reports: [] }
    const out = replaceTask(items, detail)
    expect(out[0].light).toBe('blue')
    expect('reports' in out[0]).toBe(false)
    expect(out[1]).toBe(items[1])
    expect(newestReportId({ reports: [{ id: 3 }, { id: 9 }, { id: 5 }] as never })).toBe(9)
  })

  it('says how far the deadline is', () => {
    const now = new Date(2026, 10, 28, 15)
    expect(deadlineHint('2026-12-08', false, now)).toBe('剩 10 天')
    expect(deadlineHint('2026-11-28', false, now)).toBe('今天截止')
    expect(deadlineHint('2026-10-29', false, now)).toBe('逾期 30 天')
    expect(deadlineHint('2026-10-29', true, now)).toBe('')
  })
})

describe('board, communities, coverage', () => {
  it('puts the organisations with most red lights first and drops those without tasks', () => {
    const row = (org_id: number, blue: number, yellow: number, red: number) => ({ org_id, org_name: `组织${org_id}`, total: blue + yellow + red, done: 0, counts: { blue, yellow, red } })
    expect(worstRows([row(1, 3, 0, 0), row(2, 0, 1, 1), row(3, 0, 0, 0), row(4, 1, 2, 1)]).map((r) => r.org_id)).toEqual([4, 2, 1])
  })

  it('groups members by the configured role labels', () => {
    const m = (org_id: number, role: string) => ({ org_id, org_name: `单位${org_id}`, kind_label: '党支部', role, role_label: role })
    const groups = groupMembers([m(1, 'member'), m(2, 'lead'), m(3, 'member')], [
      { role: 'lead', label: '牵头单位' },
      { role: 'coordinator', label: '协调部门' },
      { role: 'member', label: '成员单位' },
    ])
    expect(groups.map((g) => [g.label, g.members.map((x) => x.org_id)])).toEqual([
      ['牵头单位', [2]],
      ['协调部门', []],
      ['成员单位', [1, 3]],
    ])
    expect(isCurrent({ start: '2026-11-01', end: '2026-12-31' }, '2026-11-28')).toBe(true)
    expect(isCurrent({ start: '2027-01-01', end: '2027-02-28' }, '2026-11-28')).toBe(false)
  })

  it('turns a region code into its cascader path', () => {
    expect(regionPathOf('370828')).toEqual(['370000', '370800', '370828'])
    expect(regionPathOf('370800')).toEqual(['370000', '370800'])
    expect(regionPathOf('')).toEqual([])
  })

  it('orders communities by their rhythm lights, worst first, leaving out those with nothing due', () => {
    const c = (id: number, blue: number, yellow: number, red: number): Community => ({
      id, name: `联盟${id}`, kind: 'chain_alliance', kind_label: '产业链党建联盟', member_count: 0, can_edit: false, rhythm: { blue, yellow, red },
    })
    const rows = rhythmRows([c(1, 54, 1, 9), c(2, 2, 2, 60), c(3, 0, 0, 0), c(4, 58, 1, 5)])
    expect(rows.map((r) => [r.org_id, r.total])).toEqual([[2, 64], [1, 64], [4, 64]])
    expect(rows[0].counts).toEqual({ blue: 2, yellow: 2, red: 60 })
  })

  it('checks role labels with the server wording', () => {
    expect(roleLabelProblem([{ label: '牵头单位' }, { label: '协调部门' }])).toBeUndefined()
    expect(roleLabelProblem([{ label: '牵头单位' }, { label: '  ' }])).toBe('角色名称不能为空')
    expect(roleLabelProblem([{ label: '一'.repeat(21) }])).toBe('角色名称不能超过 20 个字')
    expect(roleLabelProblem([{ label: '一'.repeat(20) }])).toBeUndefined()
  })
})

describe('instructor groups', () => {
  it('needs 3 to 5 instructors, worded like the server', () => {
    expect(groupSizeProblem(2)).toBe('每个指导组须有 3–5 名指导员，现为 2 名')
    expect(groupSizeProblem(0)).toBe('每个指导组须有 3–5 名指导员，现为 0 名')
    expect(groupSizeProblem(3)).toBeUndefined()
    expect(groupSizeProblem(5)).toBeUndefined()
    expect(groupSizeProblem(6)).toBe('每个指导组须有 3–5 名指导员，现为 6 名')
  })

  it('keeps the picked instructors first, in the order picked, whatever the search answers', () => {
    const u = (user_id: number) => ({ user_id, username: `u${user_id}`, name: `指导员${user_id}` })
    const known = new Map([1, 2, 3, 4].map((id) => [id, u(id)]))
    const opts = candidateOptions([3, 1], known, [u(1), u(2), u(4)])
    expect(opts.map((c) => c.user_id)).toEqual([3, 1, 2, 4])
    expect(candidateOptions([], known, [u(2)]).map((c) => c.user_id)).toEqual([2])
  })
})
