import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { fakeFetch, json, problem } from '@/test-utils'

const route = { params: {} as Record<string, string>, query: {} as Record<string, string> }
const replace = vi.fn()
vi.mock('vue-router', () => ({ useRoute: () => route, useRouter: () => ({ push: replace, replace }) }))

const { useLogin, normaliseOtp } = await import('./useLogin')

const info = (over: Record<string, unknown> = {}) => ({
  user: { id: 9, username: 'secadmin', display_name: '安全管理员', must_change_password: false, must_set_up_second_factor: false, member_id: null, ...over },
  permissions: ['user.read', 'user.write'],
  grants: [],
  csrf_token: 'csrf-1',
})

beforeEach(() => {
  setActivePinia(createPinia())
  replace.mockClear()
})
afterEach(() => vi.unstubAllGlobals())

describe('useLogin with a second factor', () => {
  it('asks for the 动态口令 after the password, then sends it with the password', async () => {
    const { calls } = fakeFetch({
      'POST /api/v1/session': (req) => {
        const body = req.body as { otp?: string }
        if (!body.otp) return problem(401, { code: 'second_factor_required', title: '请输入动态口令' })
        if (body.otp !== '123456') return problem(401, { code: 'second_factor_invalid', title: '动态口令错误或已使用，请输入验证器上新的动态口令' })
        return json(200, info())
      },
    })
    const l = useLogin()
    l.form.username = 'secadmin'
    l.form.password = 'Demo@2026!'
    await l.submit()
    expect(l.otpStep.value).toBe(true)
    expect(l.error.value).toBe('') // the first ask is not an error
    expect(calls[0].body).toEqual({ username: 'secadmin', password: 'Demo@2026!' })

    l.form.otp = '12'
    await l.submit()
    expect(l.error.value).toContain('6 位动态口令')
    expect(calls).toHaveLength(1) // not sent

    l.form.otp = '654 321'
    await l.submit()
    expect(l.error.value).toContain('动态口令错误')
    expect(l.otpStep.value).toBe(true)
    expect(calls[1].body).toEqual({ username: 'secadmin', password: 'Demo@2026!', otp: '654321' })

    l.form.otp = '123456'
    await l.submit()
    expect(l.error.value).toBe('')
    expect(replace).toHaveBeenCalled()
  })

  it('sends a session that must set up a second factor to the enrolment page', async () => {
    fakeFetch({ 'POST /api/v1/session': () => json(200, info({ must_set_up_second_factor: true })) })
    const l = useLogin()
    l.form.username = 'sysadmin'
    l.form.password = 'Demo@2026!'
    await l.submit()
    expect(replace).toHaveBeenCalledWith({ name: 'second-factor-setup' })
  })

  it('another username starts again from the password', async () => {
    fakeFetch({ 'POST /api/v1/session': () => problem(401, { code: 'second_factor_required', title: '请输入动态口令' }) })
    const l = useLogin()
    l.form.username = 'secadmin'
    l.form.password = 'x'
    await l.submit()
    expect(l.otpStep.value).toBe(true)
    l.form.username = 'gz_branch'
    await nextTick()
    expect(l.otpStep.value).toBe(false)
    expect(normaliseOtp(' 12 34 56 ')).toBe('123456')
  })
})
