/**
 * 节日问候 and 消息推送: short names for the generated types, the code lists the pages offer, and the
 * pure helpers behind the figures (what the greeting's bar shows, the reach line, the settings' body).
 */
import type { components } from './schema'

type S = components['schemas']

export type Greeting = S['GreetingView']
export type GreetingPage = S['GreetingPage']
export type GreetingInput = S['GreetingInput']
export type GreetingReach = S['GreetingReach']
export type ChannelFigures = S['ChannelFigures']
export type Robot = S['RobotView']
export type RobotKind = S['RobotKind']
export type RobotList = S['RobotList']
export type RobotInput = S['RobotInput']
export type OutboxItem = S['OutboxItem']
export type OutboxPage = S['OutboxPage']
export type OutboxStatus = S['OutboxStatus']
export type Channel = S['Channel']
export type NotifyPrefs = S['NotifyPrefsView']
export type NotifyPrefsInput = S['NotifyPrefsInput']
export type Notification = S['NotificationView']

/** The occasions offered when writing a greeting (any other may be typed). */
export const OCCASIONS = ['春节', '元宵节', '清明节', '七一', '中秋节', '国庆节', '重阳节'] as const

export const ROBOT_KINDS: { value: RobotKind; label: string }[] = [
  { value: 'wecom', label: '企业微信群机器人' },
  { value: 'dingtalk', label: '钉钉群机器人' },
]

export const CHANNELS: { value: Channel; label: string }[] = [
  { value: 'in_app', label: '站内消息' },
  { value: 'email', label: '电子邮件' },
  { value: 'wecom', label: '企业微信' },
  { value: 'dingtalk', label: '钉钉' },
]

export const OUTBOX_STATUSES: { value: OutboxStatus; label: string; tag: 'warning' | 'success' | 'danger' }[] = [
  { value: 'queued', label: '待发送', tag: 'warning' },
  { value: 'sent', label: '已送达', tag: 'success' },
  { value: 'dead', label: '投递失败', tag: 'danger' },
]

export function statusTag(s: OutboxStatus): 'warning' | 'success' | 'danger' {
  return OUTBOX_STATUSES.find((x) => x.value === s)?.tag ?? 'warning'
}

/** Labels of in-app notification kinds the member portal shows as a tag. */
export const NOTIFICATION_KINDS: Record<string, string> = {
  greeting: '节日问候',
  duty: '任务提醒',
  duty_rollup: '汇总提醒',
  approval: '补录审批',
}

/**
 * Labels of what a delivery of the outbox carries (消息推送 → 投递记录): the in-app kinds, a robot's
 * test message, invitations sent to a group, the announcement of a new bulletin.
 */
export const OUTBOX_KINDS: Record<string, string> = {
  ...NOTIFICATION_KINDS,
  robot_test: '测试消息',
  invitation: '开通邀请',
  bulletin: '通知公告',
}

/** The label of an outbox row's kind; an unknown kind gets none (the title says enough). */
export function outboxKindLabel(kind: string): string | undefined {
  return OUTBOX_KINDS[kind]
}

/** One piece of a greeting's bar: whom it reached, and how far. */
export interface Segment {
  key: 'read' | 'unread' | 'queued' | 'dead' | 'no_account'
  label: string
  value: number
  color: string
}

/**
 * The open outflow members a greeting was for, split by how far it got: opened in the app, delivered
 * but not opened, still on its way, given up, no account (the branch telephones them). Counts only.
 * Empty pieces are left out, except that a greeting for nobody yet still has its "no account" piece.
 */
export function greetingSegments(g: Pick<Greeting, 'targeted' | 'no_account' | 'in_app' | 'read'>): Segment[] {
  // With fewer than three delivered the server keeps the read count to itself (it would say who).
  const read = g.read == null ? 0 : Math.min(g.read, g.in_app.sent)
  const all: Segment[] = [
    { key: 'read', label: '已读', value: read, color: '#c8161d' },
    { key: 'unread', label: g.read == null ? '已送达' : '已送达未读', value: g.in_app.sent - read, color: '#f08c8f' },
    { key: 'queued', label: '待送达', value: g.in_app.queued, color: '#e6a23c' },
    { key: 'dead', label: '投递失败', value: g.in_app.dead, color: '#909399' },
    { key: 'no_account', label: '未开通账号', value: g.no_account, color: '#dcdfe6' },
  ]
  return all.filter((s) => s.value > 0)
}

/** A horizontal stacked bar of the segments (vue-echarts option), small enough for a card. */
export function segmentsChart(segments: Segment[]) {
  return {
    aria: { enabled: true },
    animation: false,
    tooltip: { trigger: 'item', formatter: '{a}：{c} 人' },
    grid: { left: 0, right: 0, top: 0, bottom: 0 },
    xAxis: { type: 'value', show: false, max: Math.max(1, segments.reduce((n, s) => n + s.value, 0)) },
    yAxis: { type: 'category', show: false, data: ['外出党员'] },
    series: segments.map((s) => ({
      name: s.label,
      type: 'bar',
      stack: 'all',
      barWidth: 18,
      data: [s.value],
      itemStyle: { color: s.color },
    })),
  }
}

/** "将发给 N 名外出党员（其中 M 名已开通账号，可收到站内消息；其余请电话问候）" and the robots. */
export function reachLine(r: GreetingReach): string {
  if (r.targeted === 0) return '该组织目前没有外出党员，无需发送。'
  const rest = r.targeted - r.with_account
  const accounts =
    rest === 0
      ? `全部已开通账号，可收到站内消息`
      : r.with_account === 0
        ? '均未开通账号，请电话问候'
        : `其中 ${count(r.with_account)} 名已开通账号，可收到站内消息；其余请电话问候`
  const robots = r.robots ? `，并推送到 ${r.robots} 个群机器人` : ''
  return `将发给 ${count(r.targeted)} 名外出党员（${accounts}）${robots}。`
}

/** "1,234" */
/** A figure with thousands separators; a figure the server withholds shows as a dash. */
export function count(n: number | null | undefined): string {
  return n == null ? '—' : n.toLocaleString('en-US')
}

/** What the message settings form holds. `email` is a new address to save; empty keeps the saved one. */
export interface PrefsForm {
  email: string
  removeEmail: boolean
  email_on: boolean
  quiet: boolean
  quiet_start: string
  quiet_end: string
}

export function prefsForm(p: NotifyPrefs): PrefsForm {
  return {
    email: '',
    removeEmail: false,
    email_on: p.email_on,
    quiet: !!(p.quiet_start && p.quiet_end),
    quiet_start: p.quiet_start ?? '22:00',
    quiet_end: p.quiet_end ?? '07:00',
  }
}

/** The PUT body: an address only when typed ("" removes it), quiet hours both or neither. */
export function prefsBody(f: PrefsForm): NotifyPrefsInput {
  const body: NotifyPrefsInput = { email_on: f.removeEmail && !f.email.trim() ? false : f.email_on }
  if (f.email.trim()) body.email = f.email.trim()
  else if (f.removeEmail) body.email = ''
  if (f.quiet) {
    body.quiet_start = f.quiet_start
    body.quiet_end = f.quiet_end
  }
  return body
}

/** "22:00 至次日 07:00", "12:00 至 14:00", or "未设置". */
export function quietLabel(start: string | null | undefined, end: string | null | undefined): string {
  if (!start || !end) return '未设置'
  return end <= start ? `${start} 至次日 ${end}` : `${start} 至 ${end}`
}

export const PREFS_NOTE = '站内消息随时送达，不受免打扰影响；邮件在免打扰时段结束后发出。'
export const NO_MAIL_SERVER = '本系统尚未配置邮件服务器'
