import { describe, expect, it } from 'vitest'
import { checkDigit, idFacts } from './idNumber'

describe('idNumber', () => {
  it('computes the GB 11643 check digit', () => {
    expect(checkDigit('11010519491231002')).toBe('X')
    expect(checkDigit('44088319900101123')).toBe('6')
  })
  it('derives birth date and gender only from valid numbers', () => {
    expect(idFacts('11010519491231002x')).toEqual({ birthDate: '1949-12-31', gender: 'female' })
    expect(idFacts('440883199001011236')).toEqual({ birthDate: '1990-01-01', gender: 'male' })
    expect(idFacts('440883199001011237')).toBeNull()
    expect(idFacts('440883199002301236')).toBeNull()
    expect(idFacts('44088319900101123')).toBeNull()
  })
})
