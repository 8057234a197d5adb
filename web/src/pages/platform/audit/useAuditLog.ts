import { reactive } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import type { AuditEvent } from '@/api/types'
import { usePagedList } from '@/composables/usePagedList'

/** Action codes the server records (crates/app: audit::Event) and their Chinese names. */
export const ACTION_LABELS: Record<string, string> = {
  'session.login': '登录',
  'session.logout': '退出登录',
  'session.end_others': '退出其他设备',
  'user.change_password': '修改密码',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.reset_password': '重置密码',
  'grant.add': '授权',
  'grant.remove': '撤销授权',
  'member.create': '新增党员',
  'member.update': '修改党员',
  'member.transfer': '组织关系转接',
  'member.unmask': '查看敏感信息',
  'org.create': '新建组织',
  'org.update': '修改组织',
  'org.move': '移动组织',
  'org.dissolve': '撤销组织',
  'settings.member_tags': '修改党员标签',
  'demo.load': '载入演示数据',
}

export const OBJECT_TYPES: Record<string, string> = {
  member: '党员',
  org: '党组织',
  user: '用户',
  session: '会话',
  settings: '设置',
  system: '系统',
}

export const RESULT_LABELS: Record<string, { label: string; type: 'success' | 'warning' | 'danger' }> = {
  ok: { label: '成功', type: 'success' },
  denied: { label: '拒绝', type: 'warning' },
  failed: { label: '失败', type: 'danger' },
}

export interface AuditFilters {
  actor: string
  action: string
  object_type: string
  object_id: string
  result: string
  range: [string, string] | null
}

export function useAuditLog() {
  const filters = reactive<AuditFilters>({ actor: '', action: '', object_type: '', object_id: '', result: '', range: null })
  const list = usePagedList<AuditEvent, AuditFilters>(
    (f, page) =>
      unwrap(
        api.GET('/audit-events', {
          params: {
            query: cleanQuery({
              actor: f.actor.trim(),
              action: f.action,
              object_type: f.object_type,
              object_id: f.object_id.trim(),
              result: f.result,
              from: f.range?.[0],
              to: f.range?.[1],
              ...page,
            }),
          },
        }),
      ),
    filters,
    { perPage: 50 },
  )
  return { filters, list }
}
