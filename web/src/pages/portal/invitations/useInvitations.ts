/**
 * 开通邀请: the invitations of the caller's organisations, with counts; making them for a whole
 * organisation, its outflow ledger or chosen members; a new one in place of a lost one; voiding.
 * Codes come back only in the answer that made them (they are not stored): the page prints them then.
 * Or they go to a group robot (发到工作群): the codes are made when the messages leave, each member
 * finds their own link in the group chat, and the answer holds none.
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { ApiError, api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { Robot, RobotList } from '@/api/notify'
import type { components } from '@/api/schema'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { usePagedList } from '@/composables/usePagedList'

export type Invitation = components['schemas']['InvitationView']
export type InvitationCounts = components['schemas']['InvitationCounts']
export type InvitationBatch = components['schemas']['InvitationBatch']
export type NewInvitations = components['schemas']['NewInvitations']
type Status = NonNullable<components['schemas']['InvitationStatus']>

/** 发放方式: printed sheets with QR codes, or links sent to a group chat by its robot. */
export type DeliveryMode = 'print' | 'robot'

export const WEBHOOKS_OFF = '本系统未开启群机器人推送（需系统管理员在配置中开启），请打印二维码'
export const NO_ROBOTS = '还没有可用的群机器人：可在“消息推送”中为党组织添加企业微信或钉钉群机器人'

/**
 * What 发到工作群 offers, from `GET /notify/robots`: the robots switched on, and why the option is
 * disabled ('' when it is not). No list (the caller may not manage robots): `null`, print only.
 */
export function robotChoice(list: RobotList | null): { robots: Robot[]; disabled: string } | null {
  if (!list) return null
  const robots = list.items.filter((r) => r.enabled)
  if (!list.webhooks_enabled) return { robots, disabled: WEBHOOKS_OFF }
  if (!robots.length) return { robots, disabled: NO_ROBOTS }
  return { robots, disabled: '' }
}

/** How a robot is named in the picker: "新华社区党群群（梅菉街道新华社区第一党支部 · 企业微信群机器人）". */
export function robotLabel(r: Pick<Robot, 'name' | 'org' | 'kind_label'>): string {
  return `${r.name}（${r.org.name} · ${r.kind_label}）`
}

/** What came of 邀请: nothing new, sheets to print, or messages queued for a group robot. */
export type InviteOutcome =
  | { kind: 'none'; skipped: number }
  | { kind: 'print'; items: Invitation[]; skipped: number }
  | { kind: 'robot'; robot: string; messages: number; count: number; skipped: number }

export function outcomeOf(r: InvitationBatch): InviteOutcome {
  if (!r.items.length) return { kind: 'none', skipped: r.skipped }
  if (r.robot_name != null) return { kind: 'robot', robot: r.robot_name, messages: r.messages, count: r.items.length, skipped: r.skipped }
  return { kind: 'print', items: r.items, skipped: r.skipped }
}

/** "已排队发往“新华社区党群群”，共 1 条消息，每位党员在群里找到自己的链接" */
export function robotSentLine(o: { robot: string; messages: number }): string {
  return `已排队发往“${o.robot}”，共 ${o.messages} 条消息，每位党员在群里找到自己的链接`
}

export interface InvitationFilters {
  org_id: number | null
  status: '' | Status
}

/** Where a phone opens an invitation: the code in the fragment, which no server or proxy log sees. */
export function activationUrl(origin: string, code: string): string {
  return `${origin}/m/activate#code=${encodeURIComponent(code)}`
}

export function useInvitations() {
  const filters = reactive<InvitationFilters>({ org_id: null, status: '' })
  const counts = ref<InvitationCounts | null>(null)
  const members = ref({ total: 0, withAccount: 0 })
  const list = usePagedList<Invitation, InvitationFilters>(async (f, page) => {
    const r = await unwrap(
      api.GET('/invitations', {
        params: { query: { ...cleanQuery({ org_id: f.org_id ?? undefined, status: f.status || undefined }), ...page } },
      }),
    )
    counts.value = r.counts
    members.value = { total: r.members, withAccount: r.members_with_account }
    return { items: r.items, total: r.total }
  }, filters)

  // 发放方式 and the robots it may use.
  const delivery = reactive<{ mode: DeliveryMode; robot_id: number | null }>({ mode: 'print', robot_id: null })
  const robots = shallowRef<{ robots: Robot[]; disabled: string } | null>(null)
  const robotOptions = computed(() => robots.value?.robots ?? [])
  const errors = useFieldErrors()

  /** The group robots (only for who may manage them: without `notify.manage` the server answers 403, and only printing is offered). */
  async function loadRobots(allowed = true) {
    if (!allowed) {
      robots.value = null
      return
    }
    try {
      robots.value = robotChoice(await unwrap(api.GET('/notify/robots')))
    } catch (e) {
      robots.value = e instanceof ApiError && e.status === 403 ? null : { robots: [], disabled: `群机器人列表加载失败：${errorMessage(e)}` }
    }
    if (robots.value?.disabled) delivery.mode = 'print'
    if (delivery.robot_id != null && !robotOptions.value.some((r) => r.id === delivery.robot_id)) delivery.robot_id = null
    if (delivery.robot_id == null && robotOptions.value.length === 1) delivery.robot_id = robotOptions.value[0].id
  }

  /**
   * Makes invitations the chosen way. A refusal is spread over the form (`robot_id`, e.g. a robot of
   * an organisation that does not cover everyone invited) and `general`; then the answer is null.
   */
  async function invite(body: NewInvitations): Promise<InviteOutcome | null> {
    errors.clear()
    const toRobot = delivery.mode === 'robot'
    if (toRobot && delivery.robot_id == null) {
      errors.fields.robot_id = '请选择群机器人'
      return null
    }
    try {
      const r = await unwrap(api.POST('/invitations', { body: { ...body, robot_id: toRobot ? delivery.robot_id : null } }))
      return outcomeOf(r)
    } catch (e) {
      errors.apply(e, ['robot_id'])
      return null
    }
  }

  async function renew(i: Invitation) {
    return unwrap(api.POST('/invitations/{id}/renew', { params: { path: { id: i.id } } }))
  }

  async function revoke(i: Invitation) {
    return unwrap(api.POST('/invitations/{id}/revoke', { params: { path: { id: i.id } } }))
  }

  return { filters, list, counts, members, delivery, robots, robotOptions, errors, loadRobots, invite, renew, revoke }
}
