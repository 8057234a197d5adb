import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, json, problem } from '@/test-utils'
import { NO_ROBOTS, WEBHOOKS_OFF, outcomeOf, robotChoice, robotLabel, robotSentLine, useInvitations } from './useInvitations'

afterEach(() => vi.unstubAllGlobals())

const robot = (id: number, enabled = true) => ({
  id,
  name: `新华社区党员群${id}`,
  org: { id: 21, name: '梅菉街道新华社区第一党支部' },
  kind: 'wecom' as const,
  kind_label: '企业微信群机器人',
  enabled,
  host: 'qyapi.weixin.qq.com',
  signed: false,
  created_at: '2026-11-01T00:00:00Z',
  created_by_name: '王书记',
  sent_7d: 0,
  queued_7d: 0,
  dead_7d: 0,
})
const robots = (items: ReturnType<typeof robot>[], webhooks_enabled = true) => ({ items, webhooks_enabled, webhook_hosts: ['qyapi.weixin.qq.com'] })
const invitation = (id: number, code: string | null) => ({
  id,
  member_id: 100 + id,
  member_name: `党员${id}`,
  org_id: 21,
  org_name: '梅菉街道新华社区第一党支部',
  status: 'pending' as const,
  status_label: '待开通',
  expires_at: '2026-12-31T00:00:00Z',
  created_at: '2026-12-01T00:00:00Z',
  created_by_name: '王书记',
  code,
})

describe('发放方式', () => {
  it('offers the robots switched on, or says why it cannot', () => {
    expect(robotChoice(null)).toBeNull()
    expect(robotChoice(robots([robot(1), robot(2, false)]))).toEqual({ robots: [robot(1)], disabled: '' })
    expect(robotChoice(robots([robot(1)], false))?.disabled).toBe(WEBHOOKS_OFF)
    expect(robotChoice(robots([robot(2, false)]))?.disabled).toBe(NO_ROBOTS)
    expect(robotLabel(robot(1))).toBe('新华社区党员群1（梅菉街道新华社区第一党支部 · 企业微信群机器人）')
  })

  it('tells printed sheets from messages queued for a group', () => {
    expect(outcomeOf({ items: [], skipped: 2, messages: 0 })).toEqual({ kind: 'none', skipped: 2 })
    expect(outcomeOf({ items: [invitation(1, 'ABCD-EFGH-JKLM')], skipped: 0, messages: 0 }).kind).toBe('print')
    const sent = outcomeOf({ items: [invitation(1, null), invitation(2, null)], skipped: 1, messages: 1, robot_name: '新华社区党员群' })
    expect(sent).toEqual({ kind: 'robot', robot: '新华社区党员群', messages: 1, count: 2, skipped: 1 })
    expect(robotSentLine({ robot: '新华社区党员群', messages: 1 })).toBe('已排队发往“新华社区党员群”，共 1 条消息，每位党员在群里找到自己的链接')
  })

  it('only prints for a caller who may not see the robots (403), and asks no one without the permission', async () => {
    const { calls } = fakeFetch({ 'GET /api/v1/notify/robots': () => problem(403, { title: '无权执行此操作' }) })
    const inv = useInvitations()
    await inv.loadRobots(false)
    expect(calls).toHaveLength(0)
    expect(inv.robots.value).toBeNull()
    await inv.loadRobots(true)
    expect(inv.robots.value).toBeNull()
    expect(inv.delivery.mode).toBe('print')
  })

  it('sends to the chosen robot and shows a refusal on robot_id', async () => {
    let refuse = true
    const { calls } = fakeFetch({
      'GET /api/v1/notify/robots': () => json(200, robots([robot(5)])),
      'POST /api/v1/invitations': () =>
        refuse
          ? problem(422, { title: '提交的内容有误', errors: { robot_id: ['群机器人属于梅菉街道新华社区第一党支部，不能发给其他组织的党员'] } })
          : json(201, { items: [invitation(1, null)], skipped: 0, messages: 1, robot_name: '新华社区党员群5' }),
    })
    const inv = useInvitations()
    await inv.loadRobots(true)
    expect(inv.robotOptions.value.map((r) => r.id)).toEqual([5])
    expect(inv.delivery.robot_id).toBe(5) // the only one, chosen already
    inv.delivery.mode = 'robot'
    inv.delivery.robot_id = null
    expect(await inv.invite({ org_id: 21 })).toBeNull()
    expect(inv.errors.fields.robot_id).toBe('请选择群机器人')
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)
    inv.delivery.robot_id = 5
    expect(await inv.invite({ org_id: 21 })).toBeNull()
    expect(inv.errors.fields.robot_id).toContain('不能发给其他组织的党员')
    expect(inv.errors.general.value).toBe('')
    refuse = false
    const r = await inv.invite({ member_ids: [101] })
    expect(r).toEqual({ kind: 'robot', robot: '新华社区党员群5', messages: 1, count: 1, skipped: 0 })
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { org_id: 21, robot_id: 5 },
      { member_ids: [101], robot_id: 5 },
    ])
    expect(inv.errors.fields.robot_id).toBeUndefined()
  })

  it('prints (no robot_id) by default, and falls back to printing when robots are off', async () => {
    const { calls } = fakeFetch({
      'GET /api/v1/notify/robots': () => json(200, robots([robot(5)], false)),
      'POST /api/v1/invitations': () => json(201, { items: [invitation(1, 'ABCD-EFGH-JKLM')], skipped: 0, messages: 0 }),
    })
    const inv = useInvitations()
    inv.delivery.mode = 'robot'
    await inv.loadRobots(true)
    expect(inv.robots.value?.disabled).toBe(WEBHOOKS_OFF)
    expect(inv.delivery.mode).toBe('print')
    const r = await inv.invite({ org_id: 21, outflow_only: true })
    expect(r?.kind).toBe('print')
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ org_id: 21, outflow_only: true, robot_id: null })
  })
})
