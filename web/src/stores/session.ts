/** Who is signed in, what they may do, and the CSRF token for unsafe requests. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, unwrap } from '@/api/client'
import { ApiError, lockoutMessage } from '@/api/errors'
import type { SessionGrant, SessionInfo, User } from '@/api/types'

export const SESSION_EXPIRED = '会话已过期，请重新登录'

export type Permission =
  | 'org.read'
  | 'org.write'
  | 'member.read'
  | 'member.write'
  | 'member.unmask'
  | 'user.read'
  | 'user.write'
  | 'audit.read'
  | 'system.settings'
  | 'member.self'
  | 'member.invite'
  | 'settings.business'
  | 'activity.write'
  | 'activity.approve'
  | 'community.write'
  | 'task.write'
  | 'task.report'
  | 'instructor.write'
  | 'visit.write'
  | 'host.write'
  | 'brand.write'
  | 'evaluation.write'
  | 'grant.write'
  | 'place.write'
  | 'policy.write'
  | 'request.submit'
  | 'request.handle'
  | 'request.oversee'
  | 'enterprise.self'
  | 'outreach.write'
  | 'need.write'
  | 'investment.write'
  | 'care.write'
  | 'honour.write'
  | 'bulletin.write'
  | 'greeting.send'
  | 'notify.manage'

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null)
  const permissions = ref<string[]>([])
  const grants = ref<SessionGrant[]>([])
  const csrfToken = ref<string | null>(null)
  /** True once we asked the server whether a session exists. */
  const loaded = ref(false)
  /** One-shot message for the login page (e.g. "会话已过期，请重新登录"). */
  const notice = ref<string | null>(null)

  const loggedIn = computed(() => user.value !== null)
  const mustChangePassword = computed(() => user.value?.must_change_password === true)
  const displayName = computed(() => user.value?.display_name || user.value?.username || '')

  function can(perm: Permission | string): boolean {
    return permissions.value.includes(perm)
  }

  function apply(info: SessionInfo) {
    user.value = info.user
    permissions.value = info.permissions
    grants.value = info.grants
    csrfToken.value = info.csrf_token
    loaded.value = true
  }

  function clear() {
    user.value = null
    permissions.value = []
    grants.value = []
    csrfToken.value = null
    loaded.value = true
  }

  /** Asks the server for the current session; resolves to whether one exists. */
  async function refresh(): Promise<boolean> {
    try {
      apply(await unwrap(api.GET('/session')))
      return true
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        clear()
        return false
      }
      throw e
    }
  }

  let pending: Promise<boolean> | null = null
  /** Loads the session once; later calls reuse the answer. */
  function ensureLoaded(): Promise<boolean> {
    if (loaded.value) return Promise.resolve(loggedIn.value)
    pending ??= refresh().finally(() => {
      pending = null
    })
    return pending
  }

  /**
   * Signs in. Throws an ApiError whose `title` is ready to show; a lockout (423)
   * gets the "请 N 分钟后再试" title computed from `retry_after_secs`.
   */
  async function login(username: string, password: string): Promise<void> {
    try {
      apply(await unwrap(api.POST('/session', { body: { username, password } })))
      notice.value = null
    } catch (e) {
      if (e instanceof ApiError && e.status === 423) {
        throw new ApiError(423, { ...e.problem, title: lockoutMessage(e) })
      }
      if (e instanceof ApiError && e.status === 401) {
        throw new ApiError(401, { ...e.problem, title: e.problem.title || '用户名或密码错误' })
      }
      throw e
    }
  }

  /** Opens a portal invitation: makes the member's account and signs them in. */
  async function activate(body: { code: string; id_tail: string; username: string; password: string }): Promise<void> {
    apply(await unwrap(api.POST('/invitations/activate', { body })))
    notice.value = null
  }

  async function logout(): Promise<void> {
    try {
      await unwrap(api.DELETE('/session'))
    } catch (e) {
      // Already gone on the server: signing out locally is all that is left.
      if (!(e instanceof ApiError && e.status === 401)) throw e
    } finally {
      clear()
    }
  }

  /** Called when any API call answered 401: drop the session and explain why. */
  function expire() {
    if (loggedIn.value) notice.value = SESSION_EXPIRED
    clear()
  }

  async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
    await unwrap(api.POST('/me/password', { body: { old_password: oldPassword, new_password: newPassword } }))
    // The server may rotate the session (and its CSRF token) on a password change.
    try {
      await refresh()
    } catch {
      if (user.value) user.value = { ...user.value, must_change_password: false }
    }
  }

  function takeNotice(): string | null {
    const n = notice.value
    notice.value = null
    return n
  }

  return {
    user,
    permissions,
    grants,
    csrfToken,
    loaded,
    notice,
    loggedIn,
    mustChangePassword,
    displayName,
    can,
    apply,
    clear,
    refresh,
    ensureLoaded,
    login,
    activate,
    logout,
    expire,
    changePassword,
    takeNotice,
  }
})
