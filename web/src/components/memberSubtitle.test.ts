import { describe, expect, it } from 'vitest'
import { memberSubtitle } from './memberSubtitle'

describe('member picker', () => {
  it('tells namesakes apart by organisation and birth year, without an ID number', () => {
    expect(memberSubtitle({ org_name: '梅菉街道梅岭村党支部', birth_year: 1986 })).toBe('梅菉街道梅岭村党支部 · 1986 年生')
  })
})
