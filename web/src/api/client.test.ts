import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApiClient, unwrap, cleanQuery } from './client'
import { ApiError, lockoutMessage } from './errors'
import { fakeFetch, json, problem } from '@/test-utils'

afterEach(() => vi.unstubAllGlobals())

function client() {
  const hooks = {
    csrfToken: vi.fn(() => 'tok-123'),
    onUnauthorized: vi.fn(),
    onPasswordChangeRequired: vi.fn(),
  }
  return { hooks, api: createApiClient(hooks) }
}

describe('api client', () => {
  it('sends the CSRF token on unsafe methods only, with same-origin credentials', async () => {
    const { calls } = fakeFetch({
      'GET /api/v1/orgs/roots': () => json(200, { items: [], total: 0 }),
      'POST /api/v1/orgs/7/dissolve': () => json(200, { id: 7 }),
    })
    const { api } = client()
    await unwrap(api.GET('/orgs/roots'))
    await unwrap(api.POST('/orgs/{id}/dissolve', { params: { path: { id: 7 } } }))
    expect(calls[0]!.headers.get('X-CSRF-Token')).toBeNull()
    expect(calls[1]!.headers.get('X-CSRF-Token')).toBe('tok-123')
  })

  it('maps problem+json to an ApiError with status, title, code and field errors', async () => {
    fakeFetch({
      'POST /api/v1/members': () =>
        problem(422, {
          title: '提交的内容有误',
          code: 'validation',
          errors: { id_number: ['校验码错误：应为 X'], name: ['不能为空'] },
        }),
    })
    const { api } = client()
    const err = await unwrap(
      api.POST('/members', { body: { org_id: 1, name: '', gender: 'male', id_number: '1', category: 'full' } }),
    ).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(422)
    expect(err.title).toBe('提交的内容有误')
    expect(err.code).toBe('validation')
    expect(err.fieldError('id_number')).toBe('校验码错误：应为 X')
    expect(err.errors.name).toEqual(['不能为空'])
  })

  it('gives a readable title when the error body is not problem+json', async () => {
    fakeFetch({ 'GET /api/v1/meta': () => new Response('Bad Gateway', { status: 502 }) })
    const { api } = client()
    const err = await unwrap(api.GET('/meta')).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(502)
    expect(err.title).toBe('服务器内部错误，请稍后重试')
    expect(err.errors).toEqual({})
  })

  it('turns a network failure into an ApiError with status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const { api } = client()
    const err = await unwrap(api.GET('/meta')).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(0)
    expect(err.title).toContain('网络错误')
  })

  it('reports an expired session on 401, except from the session endpoint itself', async () => {
    fakeFetch({
      'GET /api/v1/members': () => problem(401, { title: '未登录' }),
      'POST /api/v1/session': () => problem(401, { title: '用户名或密码错误' }),
    })
    const { api, hooks } = client()
    await unwrap(api.GET('/members')).catch(() => {})
    expect(hooks.onUnauthorized).toHaveBeenCalledTimes(1)
    const err = await unwrap(api.POST('/session', { body: { username: 'a', password: 'b' } })).catch((e) => e)
    expect(err.title).toBe('用户名或密码错误')
    expect(hooks.onUnauthorized).toHaveBeenCalledTimes(1)
  })

  it('asks for a password change on 403 password_change_required only', async () => {
    fakeFetch({
      'GET /api/v1/members': () => problem(403, { title: '请先修改密码', code: 'password_change_required' }),
      'GET /api/v1/users': () => problem(403, { title: '无权访问', code: 'forbidden' }),
    })
    const { api, hooks } = client()
    const err = await unwrap(api.GET('/members')).catch((e) => e)
    expect(err.code).toBe('password_change_required')
    expect(hooks.onPasswordChangeRequired).toHaveBeenCalledTimes(1)
    await unwrap(api.GET('/users')).catch(() => {})
    expect(hooks.onPasswordChangeRequired).toHaveBeenCalledTimes(1)
  })

  it('resolves 204 answers to undefined', async () => {
    fakeFetch({ 'DELETE /api/v1/me/sessions': () => new Response(null, { status: 204 }) })
    const { api } = client()
    await expect(unwrap(api.DELETE('/me/sessions'))).resolves.toBeUndefined()
  })
})

describe('helpers', () => {
  it('lockoutMessage rounds up to whole minutes', () => {
    expect(lockoutMessage(new ApiError(423, { retry_after_secs: 61 }))).toBe('账号已锁定，请 2 分钟后再试')
    expect(lockoutMessage(new ApiError(423, { retry_after_secs: 5 }))).toBe('账号已锁定，请 1 分钟后再试')
    expect(lockoutMessage(new ApiError(423, {}))).toBe('账号已锁定，请稍后再试')
  })

  it('cleanQuery drops empty filters', () => {
    expect(cleanQuery({ q: '', org: 3, tag: null, status: undefined, tags: [], kind: 'branch' })).toEqual({
      org: 3,
      kind: 'branch',
    })
  })
})
