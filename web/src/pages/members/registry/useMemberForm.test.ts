import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { fakeFetch, json } from '@/test-utils'

const route = { params: { id: '41' } as Record<string, string>, query: {} as Record<string, string> }
const push = vi.fn()
vi.mock('vue-router', () => ({ useRoute: () => route, useRouter: () => ({ push, replace: push }) }))
vi.mock('element-plus', () => ({ ElMessage: { success: vi.fn(), info: vi.fn() } }))

const { useMemberForm } = await import('./useMemberForm')

const stored = {
  id: 41,
  org_id: 7,
  org_name: '广州吴川商会党支部',
  name: '林志远',
  gender: 'male',
  ethnicity: '汉族',
  birth_date: '1990-01-01',
  id_number: '440***********1236',
  phone: '100****5678',
  address: '广东省湛江****',
  education: 'college',
  occupation: '建筑工人',
  employer: '广州某建材有限公司',
  joined_on: '2015-07-01',
  category: 'full',
  full_on: '2016-07-01',
  tags: ['新就业群体'],
  status: 'normal',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
}

beforeEach(() => {
  setActivePinia(createPinia())
  push.mockClear()
})
afterEach(() => vi.unstubAllGlobals())

describe('useMemberForm (edit)', () => {
  it('sends only changed fields, "" to clear text, and masked fields only when retyped', async () => {
    const { calls } = fakeFetch({
      'GET /api/v1/members/41': () => json(200, stored),
      'PATCH /api/v1/members/41': () => json(200, stored),
    })
    const f = useMemberForm()
    await f.init()
    expect(f.form.id_number).toBe('') // masked values are never put into inputs
    f.form.occupation = '工程师'
    f.form.employer = ''
    f.form.tags.push('先锋岗')
    await f.submit()
    const patch = calls.find((c) => c.method === 'PATCH')!
    expect(patch.body).toEqual({ occupation: '工程师', employer: '', tags: ['新就业群体', '先锋岗'] })
    expect(push).toHaveBeenCalledWith('/members/41')
  })

  it('puts server field errors on the fields and clears one when it is edited', async () => {
    fakeFetch({
      'GET /api/v1/members/41': () => json(200, stored),
      'PATCH /api/v1/members/41': () =>
        json(422, { title: '提交的信息有误', status: 422, code: 'validation', errors: { phone: ['手机号应为 11 位数字，实际为 5 位'] } }, 'application/problem+json'),
    })
    const f = useMemberForm()
    await f.init()
    f.form.phone = '13800'
    await f.submit()
    expect(f.errors.fields.phone).toBe('手机号应为 11 位数字，实际为 5 位')
    expect(f.errors.general.value).toBe('')
    f.form.phone = '13800138000'
    await nextTick()
    expect(f.errors.fields.phone).toBeUndefined()
  })
})
