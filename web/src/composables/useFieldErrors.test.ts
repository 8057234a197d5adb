import { describe, expect, it } from 'vitest'
import { useFieldErrors } from './useFieldErrors'
import { ApiError } from '@/api/errors'

describe('useFieldErrors', () => {
  it('puts server field errors on their fields', () => {
    const e = useFieldErrors()
    e.apply(
      new ApiError(422, { title: '提交的信息有误', errors: { id_number: ['校验码错误：应为 X'], phone: ['手机号应为 11 位数字', '不能为空'] } }),
      ['id_number', 'phone'],
    )
    expect(e.fields.id_number).toBe('校验码错误：应为 X')
    expect(e.fields.phone).toBe('手机号应为 11 位数字；不能为空')
    expect(e.general.value).toBe('')
  })

  it('shows errors without a matching field, and plain errors, above the form', () => {
    const e = useFieldErrors()
    e.apply(new ApiError(422, { title: '提交的信息有误', errors: { reason: ['请填写事由'] } }), ['name'])
    expect(e.general.value).toBe('提交的信息有误：请填写事由')
    e.apply(new ApiError(409, { title: '身份证号已存在', errors: { id_number: ['该身份证号已登记'] } }), ['id_number'])
    expect(e.general.value).toBe('')
    expect(e.fields.id_number).toBe('该身份证号已登记')
    e.apply(new ApiError(403, { title: '没有执行此操作的权限' }), ['name'])
    expect(e.fields.id_number).toBeUndefined()
    expect(e.general.value).toBe('没有执行此操作的权限')
  })
})
