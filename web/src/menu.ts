/** The sidebar: each entry is shown only to holders of its permission; a group only when it has a visible entry. */
import type { Component } from 'vue'
import {
  HomeFilled,
  DataAnalysis,
  Share,
  User,
  Key,
  Document,
  Setting,
  Van,
  ChatLineSquare,
  Present,
  Tickets,
  Warning,
  Checked,
  Upload,
  PieChart,
  Calendar,
  Flag,
  DataBoard,
  List,
  Operation,
  Postcard,
  Bell,
  Aim,
  TrendCharts,
  Connection,
  OfficeBuilding,
  Guide,
  Promotion,
  Medal,
  Trophy,
  Money,
  Shop,
  Location,
  Notification,
  Reading,
  Sunny,
  Message,
  House,
  Suitcase,
  Microphone,
  Histogram,
  School,
  Coin,
  Wallet,
  WalletFilled,
  Stamp,
  Switch,
} from '@element-plus/icons-vue'
import type { Permission } from './stores/session'

export interface MenuEntry {
  path: string
  title: string
  icon: Component
  /** Shown to holders of the permission, or of any one of the list. */
  perm: Permission | Permission[] | null
  /** A group (el-sub-menu): `path` is only its key. */
  children?: MenuEntry[]
}

export const MENU: MenuEntry[] = [
  { path: '/workbench', title: '工作台', icon: HomeFilled, perm: null },
  { path: '/overview', title: '统计概览', icon: DataAnalysis, perm: 'org.read' },
  { path: '/orgs', title: '组织架构', icon: Share, perm: 'org.read' },
  { path: '/members', title: '党员', icon: User, perm: 'member.read' },
  {
    path: '/mobility',
    title: '流动党员',
    icon: Van,
    perm: 'member.read',
    children: [
      { path: '/mobility/ledgers', title: '流动台账', icon: Tickets, perm: 'member.read' },
      { path: '/mobility/reports', title: '外出报备', icon: Promotion, perm: 'member.write' },
      { path: '/portal/invitations', title: '开通邀请', icon: Postcard, perm: 'member.invite' },
      { path: '/portal/greetings', title: '节日问候', icon: Sunny, perm: 'greeting.send' },
      { path: '/mobility/lost', title: '失联党员', icon: Warning, perm: 'member.read' },
      { path: '/mobility/censuses', title: '摸排', icon: Checked, perm: 'member.read' },
      { path: '/mobility/stats', title: '流动党员统计', icon: PieChart, perm: 'member.read' },
      { path: '/mobility/import', title: '导入党员', icon: Upload, perm: 'member.write' },
    ],
  },
  {
    path: '/orglife',
    title: '组织生活',
    icon: Flag,
    perm: 'org.read',
    children: [
      { path: '/activities', title: '活动日历', icon: Calendar, perm: 'org.read' },
      { path: '/duties/board', title: '组织生活考核', icon: DataBoard, perm: 'org.read' },
      { path: '/duties', title: '我组织的任务', icon: List, perm: 'org.read' },
      { path: '/duty-rules', title: '考核规则', icon: Operation, perm: 'settings.business' },
      { path: '/portal/learning', title: '学习场馆', icon: Reading, perm: 'settings.business' },
    ],
  },
  { path: '/party/dues', title: '党费', icon: WalletFilled, perm: 'member.read' },
  { path: '/party/recruitment', title: '发展党员', icon: Stamp, perm: 'member.read' },
  { path: '/party/transfers', title: '组织关系转接', icon: Switch, perm: 'member.read' },
  { path: '/bulletins', title: '通知公告', icon: Notification, perm: 'bulletin.write' },
  { path: '/delivery', title: '消息推送', icon: Message, perm: 'notify.manage' },
  {
    path: '/goals',
    title: '党建共同体与目标',
    icon: Aim,
    perm: 'org.read',
    children: [
      { path: '/goals/tasks', title: '重点任务', icon: Promotion, perm: 'org.read' },
      { path: '/goals/board', title: '目标看板', icon: TrendCharts, perm: 'org.read' },
      { path: '/communities', title: '党建联盟', icon: Connection, perm: 'org.read' },
      { path: '/coverage', title: '两个覆盖', icon: OfficeBuilding, perm: 'org.read' },
      { path: '/instructors', title: '党建指导', icon: Guide, perm: 'org.read' },
      { path: '/brands', title: '党建品牌', icon: Medal, perm: 'org.read' },
      { path: '/evaluations', title: '评比与述职', icon: Trophy, perm: 'evaluation.write' },
      { path: '/grants', title: '以奖代补', icon: Money, perm: 'grant.write' },
    ],
  },
  {
    path: '/services',
    title: '服务',
    icon: Shop,
    perm: ['org.read', 'request.handle'],
    children: [
      { path: '/services/places', title: '服务阵地', icon: Location, perm: 'org.read' },
      { path: '/services/policies', title: '惠企政策', icon: Tickets, perm: ['org.read', 'request.handle'] },
      { path: '/services/requests', title: '红链直通车', icon: Van, perm: ['request.submit', 'request.handle', 'request.oversee'] },
      { path: '/services/needs', title: '诉求与建议', icon: ChatLineSquare, perm: 'need.write' },
      { path: '/services/outreach', title: '送政策送服务送温暖', icon: Present, perm: 'outreach.write' },
    ],
  },
  {
    path: '/hometown',
    title: '回乡工程',
    icon: House,
    perm: 'org.read',
    children: [
      { path: '/hometown/leads', title: '项目线索', icon: Suitcase, perm: 'org.read' },
      { path: '/hometown/drives', title: '招商推介会', icon: Microphone, perm: 'org.read' },
      { path: '/hometown/figures', title: '招商统计', icon: Histogram, perm: 'org.read' },
      { path: '/hometown/care/aids', title: '助学申请', icon: School, perm: 'org.read' },
      { path: '/hometown/care/donations', title: '捐赠登记', icon: Coin, perm: 'org.read' },
      { path: '/hometown/care/fund', title: '基金收支', icon: Wallet, perm: 'org.read' },
      { path: '/hometown/honours', title: '先锋工程', icon: Medal, perm: 'org.read' },
    ],
  },
  { path: '/my/activities', title: '我的活动', icon: Postcard, perm: 'member.self' },
  { path: '/users', title: '用户与授权', icon: Key, perm: 'user.read' },
  { path: '/audit', title: '审计日志', icon: Document, perm: 'audit.read' },
  { path: '/account', title: '我的账户', icon: Setting, perm: null },
  { path: '/notifications', title: '消息通知', icon: Bell, perm: null },
]

export function visibleMenu(can: (p: string) => boolean, entries: MenuEntry[] = MENU): MenuEntry[] {
  const out: MenuEntry[] = []
  for (const m of entries) {
    if (m.perm !== null && !(Array.isArray(m.perm) ? m.perm.some(can) : can(m.perm))) continue
    if (m.children) {
      const children = visibleMenu(can, m.children)
      if (children.length) out.push({ ...m, children })
    } else {
      out.push(m)
    }
  }
  return out
}

/** The pages of a (visible) menu, groups flattened. */
export function menuPages(entries: MenuEntry[]): MenuEntry[] {
  return entries.flatMap((m) => (m.children ? menuPages(m.children) : [m]))
}

/** Where to land after signing in: the first page the user may open. */
export function homePath(can: (p: string) => boolean): string {
  return menuPages(visibleMenu(can))[0]?.path ?? '/account'
}
