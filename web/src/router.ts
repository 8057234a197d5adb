import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore, type Permission } from './stores/session'
import { homePath } from './menu'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    /** Needs the permission, or any one of the list. */
    perm?: Permission | Permission[]
    title?: string
  }
}

const routes: RouteRecordRaw[] = [
  // The login page with its footer link to 个人信息处理规则.
  { path: '/login', name: 'login', component: () => import('./pages/platform/privacy/LoginWithNotice.vue'), meta: { public: true, title: '登录' } },
  // 个人信息处理规则 (PIPL): anyone may read it, signed in or not.
  { path: '/privacy', name: 'privacy', component: () => import('./pages/platform/privacy/PrivacyNoticePage.vue'), meta: { public: true, title: '个人信息处理规则' } },
  {
    path: '/change-password',
    name: 'change-password',
    component: () => import('./pages/platform/login/ChangePasswordPage.vue'),
    meta: { title: '修改密码' },
  },
  // A session that the security policy asks for a second factor it has not set up (两步验证).
  {
    path: '/second-factor-setup',
    name: 'second-factor-setup',
    component: () => import('./pages/platform/login/SecondFactorSetupPage.vue'),
    meta: { title: '开启两步验证' },
  },
  // Shown on the meeting room's screen: no sidebar, no header.
  {
    path: '/activities/:id(\\d+)/checkin-screen',
    name: 'checkin-screen',
    component: () => import('./pages/org_life/activities/CheckinScreen.vue'),
    meta: { perm: 'activity.write', title: '签到码' },
  },
  {
    path: '/',
    component: () => import('./layouts/AppLayout.vue'),
    children: [
      { path: '', name: 'home', redirect: () => homePath(useSessionStore().can) },
      { path: 'workbench', name: 'workbench', component: () => import('./pages/platform/workbench/WorkbenchPage.vue'), meta: { title: '工作台' } },
      { path: 'overview', name: 'overview', component: () => import('./pages/overview/OverviewPage.vue'), meta: { perm: 'org.read', title: '统计概览' } },
      { path: 'orgs', name: 'orgs', component: () => import('./pages/organisations/orgs/OrgTreePage.vue'), meta: { perm: 'org.read', title: '组织架构' } },
      { path: 'members', name: 'members', component: () => import('./pages/members/registry/MemberList.vue'), meta: { perm: 'member.read', title: '党员' } },
      { path: 'members/new', name: 'member-new', component: () => import('./pages/members/registry/MemberForm.vue'), meta: { perm: 'member.write', title: '新增党员' } },
      { path: 'members/:id(\\d+)', name: 'member', component: () => import('./pages/members/registry/MemberDetail.vue'), meta: { perm: 'member.read', title: '党员详情' } },
      { path: 'members/:id(\\d+)/edit', name: 'member-edit', component: () => import('./pages/members/registry/MemberForm.vue'), meta: { perm: 'member.write', title: '编辑党员' } },
      { path: 'mobility', redirect: '/mobility/ledgers/outflow' },
      { path: 'mobility/ledgers', redirect: '/mobility/ledgers/outflow' },
      {
        path: 'mobility/ledgers/:kind(outflow|return|inflow)',
        name: 'ledgers',
        component: () => import('./pages/members/mobility/ledgers/LedgerPage.vue'),
        meta: { perm: 'member.read', title: '流动台账' },
      },
      { path: 'mobility/reports', name: 'outflow-reports', component: () => import('./pages/members/mobility/reports/OutflowReports.vue'), meta: { perm: 'member.write', title: '外出报备' } },
      { path: 'portal/learning', name: 'learning-venues', component: () => import('./pages/portal/learning/LearningVenuesPage.vue'), meta: { perm: 'settings.business', title: '学习场馆' } },
      { path: 'portal/greetings', name: 'greetings', component: () => import('./pages/portal/greetings/GreetingsPage.vue'), meta: { perm: 'greeting.send', title: '节日问候' } },
      { path: 'portal/invitations', name: 'invitations', component: () => import('./pages/portal/invitations/InvitationsPage.vue'), meta: { perm: 'member.invite', title: '开通邀请' } },
      { path: 'mobility/lost', name: 'lost', component: () => import('./pages/members/mobility/lost/LostContacts.vue'), meta: { perm: 'member.read', title: '失联党员' } },
      { path: 'mobility/censuses', name: 'censuses', component: () => import('./pages/members/mobility/census/CensusList.vue'), meta: { perm: 'member.read', title: '摸排' } },
      {
        path: 'mobility/censuses/:id(\\d+)',
        name: 'census',
        component: () => import('./pages/members/mobility/census/CensusDetail.vue'),
        meta: { perm: 'member.read', title: '摸排详情' },
      },
      // The map's GeoJSON comes with this page's chunk only.
      { path: 'mobility/stats', name: 'mobility-stats', component: () => import('./pages/members/mobility/stats/MobilityStats.vue'), meta: { perm: 'member.read', title: '流动党员统计' } },
      { path: 'mobility/import', name: 'member-import', component: () => import('./pages/members/mobility/import/MemberImport.vue'), meta: { perm: 'member.write', title: '导入党员' } },
      { path: 'users', name: 'users', component: () => import('./pages/platform/users/UserList.vue'), meta: { perm: 'user.read', title: '用户与授权' } },
      { path: 'users/:id(\\d+)', name: 'user', component: () => import('./pages/platform/users/UserDetail.vue'), meta: { perm: 'user.read', title: '用户详情' } },
      { path: 'audit', name: 'audit', component: () => import('./pages/platform/audit/AuditLog.vue'), meta: { perm: 'audit.read', title: '审计日志' } },
      { path: 'account', name: 'account', component: () => import('./pages/platform/account/MyAccount.vue'), meta: { title: '我的账户' } },
      // 组织生活: calendar, activities, check-in, duties (三会一课 compliance), notifications.
      { path: 'activities', name: 'activities', component: () => import('./pages/org_life/activities/ActivityCalendar.vue'), meta: { perm: 'org.read', title: '组织生活' } },
      { path: 'activities/new', name: 'activity-new', component: () => import('./pages/org_life/activities/ActivityForm.vue'), meta: { perm: 'activity.write', title: '新建活动' } },
      { path: 'activities/:id(\\d+)', name: 'activity', component: () => import('./pages/org_life/activities/ActivityDetail.vue'), meta: { perm: 'org.read', title: '活动详情' } },
      {
        path: 'activities/:id(\\d+)/edit',
        name: 'activity-edit',
        component: () => import('./pages/org_life/activities/ActivityForm.vue'),
        meta: { perm: 'activity.write', title: '编辑活动' },
      },
      { path: 'duties', name: 'duties', component: () => import('./pages/org_life/duties/MyDuties.vue'), meta: { perm: 'org.read', title: '我组织的任务' } },
      { path: 'duties/board', name: 'duty-board', component: () => import('./pages/org_life/duties/DutyBoard.vue'), meta: { perm: 'org.read', title: '组织生活考核' } },
      // 党费: the summary by branch (a member's dues are on their page).
      { path: 'party/dues', name: 'dues', component: () => import('./pages/party/dues/DuesSummaryPage.vue'), meta: { perm: 'member.read', title: '党费' } },
      // 发展党员: the roll-up and the board of people in the pipeline; one person's twenty-five steps.
      { path: 'party/recruitment', name: 'recruitment', component: () => import('./pages/party/recruitment/RecruitmentPage.vue'), meta: { perm: 'member.read', title: '发展党员' } },
      {
        path: 'party/recruitment/:id(\\d+)',
        name: 'recruit',
        component: () => import('./pages/party/recruitment/RecruitDetailPage.vue'),
        meta: { perm: 'member.read', title: '发展党员详情' },
      },
      // 组织关系转接: requests inside the deployment, introduction letters out, letters in.
      { path: 'party/transfers', name: 'transfers', component: () => import('./pages/party/transfers/TransfersPage.vue'), meta: { perm: 'member.read', title: '组织关系转接' } },
      { path: 'duty-rules', name: 'duty-rules', component: () => import('./pages/org_life/duties/DutyRules.vue'), meta: { perm: 'settings.business', title: '考核规则' } },
      // 党建共同体与目标: key tasks, the goals board, communities (党建联盟), coverage, instructors,
      // brand projects (党建品牌), evaluations and reviews (评比与述职), incentive grants (以奖代补).
      { path: 'goals/tasks', name: 'tasks', component: () => import('./pages/goals/tasks/TasksPage.vue'), meta: { perm: 'org.read', title: '重点任务' } },
      { path: 'goals/board', name: 'goals-board', component: () => import('./pages/goals/tasks/GoalsBoard.vue'), meta: { perm: 'org.read', title: '目标看板' } },
      { path: 'communities', name: 'communities', component: () => import('./pages/communities/registry/CommunityList.vue'), meta: { perm: 'org.read', title: '党建联盟' } },
      {
        path: 'communities/:id(\\d+)',
        name: 'community',
        component: () => import('./pages/communities/registry/CommunityDetail.vue'),
        meta: { perm: 'org.read', title: '党建联盟详情' },
      },
      { path: 'coverage', name: 'coverage', component: () => import('./pages/organisations/coverage/CoveragePage.vue'), meta: { perm: 'org.read', title: '两个覆盖' } },
      { path: 'instructors', name: 'instructors', component: () => import('./pages/communities/instructors/InstructorsPage.vue'), meta: { perm: 'org.read', title: '党建指导' } },
      { path: 'brands', name: 'brands', component: () => import('./pages/goals/brands/BrandsPage.vue'), meta: { perm: 'org.read', title: '党建品牌' } },
      { path: 'evaluations', name: 'evaluations', component: () => import('./pages/goals/evaluations/EvaluationsPage.vue'), meta: { perm: 'evaluation.write', title: '评比与述职' } },
      {
        path: 'evaluations/:id(\\d+)',
        name: 'evaluation',
        component: () => import('./pages/goals/evaluations/EvaluationDetail.vue'),
        meta: { perm: 'evaluation.write', title: '评比详情' },
      },
      // 通知公告: bulletins to the members of a subtree, read on the phone.
      { path: 'bulletins', name: 'bulletins', component: () => import('./pages/portal/bulletins/BulletinsPage.vue'), meta: { perm: 'bulletin.write', title: '通知公告' } },
      // 消息推送: group robots and the outbox's deliveries.
      { path: 'delivery', name: 'delivery', component: () => import('./pages/platform/delivery/DeliveryPage.vue'), meta: { perm: 'notify.manage', title: '消息推送' } },
      // 服务: service places (服务阵地) and the policy library (惠企政策).
      { path: 'services/places', name: 'service-places', component: () => import('./pages/services/places/ServicePlacesPage.vue'), meta: { perm: 'org.read', title: '服务阵地' } },
      {
        path: 'services/requests',
        name: 'service-requests',
        component: () => import('./pages/services/requests/RequestsPage.vue'),
        meta: { perm: ['request.submit', 'request.handle', 'request.oversee'], title: '红链直通车' },
      },
      { path: 'services/outreach', name: 'outreach', component: () => import('./pages/services/outreach/OutreachPage.vue'), meta: { perm: 'outreach.write', title: '送政策送服务送温暖' } },
      { path: 'services/needs', name: 'needs', component: () => import('./pages/services/needs/NeedsPage.vue'), meta: { perm: 'need.write', title: '诉求与建议' } },
      { path: 'services/policies', name: 'policies', component: () => import('./pages/services/policies/PoliciesPage.vue'), meta: { perm: ['org.read', 'request.handle'], title: '惠企政策' } },
      // 回乡工程: project leads and their pipeline, investment drives (招商推介会), the figures.
      { path: 'hometown', redirect: '/hometown/leads' },
      { path: 'hometown/leads', name: 'hometown-leads', component: () => import('./pages/hometown/leads/LeadsPage.vue'), meta: { perm: 'org.read', title: '项目线索' } },
      { path: 'hometown/drives', name: 'hometown-drives', component: () => import('./pages/hometown/drives/DrivesPage.vue'), meta: { perm: 'org.read', title: '招商推介会' } },
      { path: 'hometown/figures', name: 'hometown-figures', component: () => import('./pages/hometown/figures/FiguresPage.vue'), meta: { perm: 'org.read', title: '招商统计' } },
      // 关爱工程: the care fund's students (助学申请), donations (捐赠登记) and ledger (基金收支).
      { path: 'hometown/care', redirect: '/hometown/care/aids' },
      { path: 'hometown/care/aids', name: 'care-aids', component: () => import('./pages/hometown/care/aids/AidsPage.vue'), meta: { perm: 'org.read', title: '助学申请' } },
      {
        path: 'hometown/care/donations',
        name: 'care-donations',
        component: () => import('./pages/hometown/care/donations/DonationsPage.vue'),
        meta: { perm: 'org.read', title: '捐赠登记' },
      },
      { path: 'hometown/care/fund', name: 'care-fund', component: () => import('./pages/hometown/care/fund/FundPage.vue'), meta: { perm: 'org.read', title: '基金收支' } },
      // 先锋工程: honours campaigns (评选表彰) with their nominations, notice and award.
      { path: 'hometown/honours', name: 'honours', component: () => import('./pages/hometown/honours/CampaignsPage.vue'), meta: { perm: 'org.read', title: '评选表彰' } },
      {
        path: 'hometown/honours/:id(\\d+)',
        name: 'honour-campaign',
        component: () => import('./pages/hometown/honours/CampaignPage.vue'),
        meta: { perm: 'org.read', title: '评选表彰详情' },
      },
      { path: 'grants', name: 'grants', component: () => import('./pages/goals/grants/GrantsPage.vue'), meta: { perm: 'grant.write', title: '以奖代补' } },
      { path: 'my/activities', name: 'my-activities', component: () => import('./pages/org_life/checkin/MyActivities.vue'), meta: { perm: 'member.self', title: '我的活动' } },
      // Reached from the QR code; the page itself explains when the account has no member record.
      { path: 'checkin/:id(\\d+)', name: 'checkin', component: () => import('./pages/org_life/checkin/CheckinPage.vue'), meta: { title: '活动签到' } },
      { path: 'notifications', name: 'notifications', component: () => import('./pages/platform/notifications/NotificationList.vue'), meta: { title: '消息通知' } },
      { path: 'forbidden', name: 'forbidden', component: () => import('./pages/ErrorPage.vue'), props: { kind: 'forbidden' }, meta: { title: '无权访问' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./pages/ErrorPage.vue'), props: { kind: 'not-found' }, meta: { title: '页面不存在' } },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
})

router.beforeEach(async (to) => {
  const session = useSessionStore()
  let signedIn = false
  try {
    signedIn = await session.ensureLoaded()
  } catch {
    signedIn = false
  }
  if (to.meta.public) {
    return signedIn && to.name === 'login' ? homePath(session.can) : true
  }
  if (!signedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  if (session.mustChangePassword) {
    return to.name === 'change-password' ? true : { name: 'change-password' }
  }
  if (to.name === 'change-password') return homePath(session.can)
  if (session.user?.must_set_up_second_factor) {
    return to.name === 'second-factor-setup' ? true : { name: 'second-factor-setup' }
  }
  if (to.name === 'second-factor-setup') return { name: 'account' }
  const perm = to.meta.perm
  if (perm && !(Array.isArray(perm) ? perm.some((p) => session.can(p)) : session.can(perm))) return { name: 'forbidden' }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 红链` : '红链 · 党建管理平台'
})
