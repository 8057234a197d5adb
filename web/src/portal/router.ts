import { createRouter, createWebHistory } from 'vue-router'
import { useSessionStore } from '@/stores/session'

export const router = createRouter({
  history: createWebHistory('/m/'),
  // A page opened from further down 我的 starts at its top; back returns to where one was.
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  routes: [
    { path: '/', redirect: '/life' },
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
    { path: '/activate', name: 'activate', component: () => import('./pages/ActivatePage.vue'), meta: { public: true, title: '开通党员之家' } },
    // 个人信息处理规则: anyone may read it, signed in or not.
    { path: '/privacy', name: 'privacy', component: () => import('./pages/PrivacyPage.vue'), meta: { public: true, title: '个人信息处理规则' } },
    // An applicant (no account) follows their own steps with the branch's code.
    { path: '/progress', name: 'progress', component: () => import('./pages/ProgressPage.vue'), meta: { public: true, title: '入党进程查询' } },
    { path: '/me', name: 'me', component: () => import('./pages/MePage.vue'), meta: { title: '我的' } },
    { path: '/life', name: 'life', component: () => import('./pages/LifePage.vue'), meta: { title: '组织生活', member: true } },
    { path: '/services', name: 'services', component: () => import('./pages/ServicesPage.vue'), meta: { title: '服务' } },
    { path: '/learning', name: 'learning', component: () => import('./pages/LearningPage.vue'), meta: { title: '学习', member: true } },
    { path: '/hometown', name: 'hometown', component: () => import('./pages/HometownPage.vue'), meta: { title: '回乡工程', member: true } },
    { path: '/dues', name: 'dues', component: () => import('./pages/DuesPage.vue'), meta: { title: '我的党费', member: true } },
    { path: '/honours', name: 'honours', component: () => import('./pages/HonoursPage.vue'), meta: { title: '我的荣誉', member: true } },
    { path: '/recruitment', name: 'recruitment', component: () => import('./pages/RecruitmentPage.vue'), meta: { title: '我的入党进程', member: true } },
    { path: '/needs', name: 'needs', component: () => import('./pages/NeedsPage.vue'), meta: { title: '诉求与建议' } },
    { path: '/bulletins', name: 'bulletins', component: () => import('./pages/BulletinsPage.vue'), meta: { title: '通知公告', member: true } },
    {
      path: '/bulletins/:id(\\d+)',
      name: 'bulletin',
      component: () => import('./pages/BulletinDetailPage.vue'),
      meta: { title: '通知详情', member: true },
    },
    { path: '/notify-settings', name: 'notify-settings', component: () => import('./pages/NotifySettingsPage.vue'), meta: { title: '消息设置' } },
    { path: '/report', name: 'report', component: () => import('./pages/ReportPage.vue'), meta: { title: '外出报备', member: true } },
    { path: '/:rest(.*)*', redirect: '/life' },
  ],
})

router.beforeEach(async (to) => {
  const session = useSessionStore()
  const signedIn = await session.ensureLoaded().catch(() => false)
  if (to.meta.public) return true
  if (!signedIn || session.mustChangePassword) return { name: 'login', query: to.fullPath === '/life' ? {} : { redirect: to.fullPath } }
  // An enterprise's contact (no member record) starts at services.
  if (to.meta.member && !session.can('member.self')) return { name: 'services', query: { tab: 'requests' } }
  return true
})

router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? '党员之家'} · 红链`
})
