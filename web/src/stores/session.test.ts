import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useSessionStore, SESSION_EXPIRED } from './session'
import { api, setClientHooks } from '@/api/client'
import { fakeFetch, json, problem } from '@/test-utils'

const info = (over: Record<string, unknown> = {}) => ({
  user: { id: 5, username: 'gz_branch', display_name: '广州商会支部管理员', must_change_password: false, member_id: null },
  permissions: ['org.read', 'member.read', 'member.write'],
  grants: [{ id: 1, role: 'org_admin', role_name: '组织管理员', org_id: 12, org_name: '吴川市广州商会党支部' }],
  csrf_token: 'csrf-abc',
  ...over,
})

beforeEach(() => {
  setActivePinia(createPinia())
  const s = useSessionStore()
  setClientHooks({ csrfToken: () => s.csrfToken, onUnauthorized: () => s.expire() })
})
afterEach(() => vi.unstubAllGlobals())

describe('session store', () => {
  it('logs in, exposes permissions, and sends the CSRF token afterwards', async () => {
    const { calls } = fakeFetch({
      'POST /api/v1/session': () => json(200, info()),
      'DELETE /api/v1/session': () => new Response(null, { status: 204 }),
    })
    const s = useSessionStore()
    await s.login('gz_branch', 'Demo@2026!')
    expect(calls[0]!.body).toEqual({ username: 'gz_branch', password: 'Demo@2026!' })
    expect(s.loggedIn).toBe(true)
    expect(s.displayName).toBe('广州商会支部管理员')
    expect(s.can('member.read')).toBe(true)
    expect(s.can('audit.read')).toBe(false)
    await s.logout()
    expect(calls[1]!.headers.get('X-CSRF-Token')).toBe('csrf-abc')
    expect(s.loggedIn).toBe(false)
    expect(s.can('member.read')).toBe(false)
  })

  it('reports a wrong password with the server title', async () => {
    fakeFetch({ 'POST /api/v1/session': () => problem(401, { title: '用户名或密码错误' }) })
    const s = useSessionStore()
    await expect(s.login('x', 'y')).rejects.toMatchObject({ status: 401, title: '用户名或密码错误' })
    expect(s.loggedIn).toBe(false)
  })

  it('reports a lockout with the minutes left', async () => {
    fakeFetch({ 'POST /api/v1/session': () => problem(423, { title: '账号已锁定', retry_after_secs: 840 }) })
    const s = useSessionStore()
    await expect(s.login('x', 'y')).rejects.toMatchObject({ status: 423, title: '账号已锁定，请 14 分钟后再试' })
  })

  it('treats 401 from GET /session as "not signed in", once', async () => {
    const { fn } = fakeFetch({ 'GET /api/v1/session': () => problem(401, { title: '未登录' }) })
    const s = useSessionStore()
    const [a, b] = await Promise.all([s.ensureLoaded(), s.ensureLoaded()])
    expect(a).toBe(false)
    expect(b).toBe(false)
    expect(await s.ensureLoaded()).toBe(false)
    expect(fn).toHaveBeenCalledTimes(1)
    expect(s.loaded).toBe(true)
  })

  it('flags a forced password change and clears it after changing', async () => {
    let must = true
    fakeFetch({
      'GET /api/v1/session': () => json(200, info({ user: { ...info().user, must_change_password: must } })),
      'POST /api/v1/me/password': () => {
        must = false
        return new Response(null, { status: 204 })
      },
    })
    const s = useSessionStore()
    await s.ensureLoaded()
    expect(s.mustChangePassword).toBe(true)
    await s.changePassword('Demo@2026!', 'N3w-Passw0rd!')
    expect(s.mustChangePassword).toBe(false)
  })

  it('passes field errors of a rejected new password through', async () => {
    fakeFetch({
      'POST /api/v1/me/password': () =>
        problem(422, { title: '提交的内容有误', errors: { new_password: ['至少 10 位'] } }),
    })
    const s = useSessionStore()
    await expect(s.changePassword('a', 'b')).rejects.toMatchObject({ errors: { new_password: ['至少 10 位'] } })
  })

  it('expires the session when another call answers 401, leaving a notice for the login page', async () => {
    fakeFetch({
      'POST /api/v1/session': () => json(200, info()),
      'GET /api/v1/members': () => problem(401, { title: '未登录' }),
    })
    const s = useSessionStore()
    await s.login('gz_branch', 'pw')
    await api.GET('/members')
    expect(s.loggedIn).toBe(false)
    expect(s.takeNotice()).toBe(SESSION_EXPIRED)
    expect(s.takeNotice()).toBeNull()
  })
})
