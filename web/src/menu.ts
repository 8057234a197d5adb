/** The sidebar: each entry is shown only to holders of its permission. */
import type { Component } from 'vue'
import { DataAnalysis, Share, User, Key, Document, Setting } from '@element-plus/icons-vue'
import type { Permission } from './stores/session'

export interface MenuEntry {
  path: string
  title: string
  icon: Component
  perm: Permission | null
}

export const MENU: MenuEntry[] = [
  { path: '/overview', title: '概览', icon: DataAnalysis, perm: 'org.read' },
  { path: '/orgs', title: '组织架构', icon: Share, perm: 'org.read' },
  { path: '/members', title: '党员', icon: User, perm: 'member.read' },
  { path: '/users', title: '用户与授权', icon: Key, perm: 'user.read' },
  { path: '/audit', title: '审计日志', icon: Document, perm: 'audit.read' },
  { path: '/account', title: '我的账户', icon: Setting, perm: null },
]

export function visibleMenu(can: (p: string) => boolean): MenuEntry[] {
  return MENU.filter((m) => m.perm === null || can(m.perm))
}

/** Where to land after signing in: the first page the user may open. */
export function homePath(can: (p: string) => boolean): string {
  return visibleMenu(can)[0]?.path ?? '/account'
}
