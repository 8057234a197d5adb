import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, json, problem } from '@/test-utils'
import { cleanCode, svgDataUrl, useSecondFactor } from './useSecondFactor'

afterEach(() => vi.unstubAllGlobals())

const status = (over: Record<string, unknown> = {}) => ({ enabled: false, pending: false, required: false, available: true, confirmed_at: null, ...over })

describe('useSecondFactor', () => {
  it('starts, shows the QR code as an image, confirms with a code', async () => {
    const { calls } = fakeFetch({
      'GET /api/v1/me/second-factor': () => json(200, status()),
      'POST /api/v1/me/second-factor': () =>
        json(200, { otpauth_uri: 'otpauth://totp/x', secret: 'ABCD EFGH', qr_svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', issuer: '红链', account: 'x', digits: 6, period_secs: 30 }),
      'POST /api/v1/me/second-factor/confirm': (req) =>
        (req.body as { code: string }).code === '123456'
          ? json(200, status({ enabled: true, confirmed_at: '2026-01-01T00:00:00Z' }))
          : problem(422, { title: '提交的信息有误', errors: { code: ['动态口令不正确'] } }),
    })
    const sf = useSecondFactor()
    await sf.load()
    await sf.start()
    expect(sf.qrSrc.value.startsWith('data:image/svg+xml;charset=utf-8,%3Csvg')).toBe(true)
    sf.confirmCode.value = '000000'
    expect(await sf.confirm()).toBe(false)
    expect(sf.confirmError.value).toBe('动态口令不正确')
    sf.confirmCode.value = '123 456'
    expect(await sf.confirm()).toBe(true)
    expect(sf.status.value?.enabled).toBe(true)
    expect(sf.enrolment.value).toBeNull()
    expect(calls.at(-1)?.body).toEqual({ code: '123456' })
  })

  it('switching off needs the password and a code, and shows the server\'s field errors', async () => {
    fakeFetch({ 'POST /api/v1/me/second-factor/disable': () => problem(422, { title: '提交的信息有误', errors: { password: ['密码不正确'] } }) })
    const sf = useSecondFactor()
    sf.openDisable()
    expect(await sf.disable()).toBe(false)
    expect(sf.disableErrors.password).toBe('请输入当前密码')
    sf.disableForm.password = 'x'
    sf.disableForm.code = '123456'
    expect(await sf.disable()).toBe(false)
    expect(sf.disableErrors.password).toBe('密码不正确')
    expect(cleanCode(' 1 2 ')).toBe('12')
    expect(svgDataUrl('<svg/>')).toBe('data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E')
  })
})
