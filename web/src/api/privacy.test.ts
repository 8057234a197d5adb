import { describe, expect, it } from 'vitest'
import { isDeparted, retentionLine } from './privacy'

describe('privacy helpers', () => {
  it('knows who has left', () => {
    expect(isDeparted('left')).toBe(true)
    expect(isDeparted('transferred_out')).toBe(true)
    expect(isDeparted('normal')).toBe(false)
    expect(isDeparted('suspended')).toBe(false)
  })

  it('says when the personal fields were or will be erased, in China time', () => {
    expect(retentionLine({ personal_erased_at: '2026-03-01T17:30:00Z' })).toBe('个人信息已于 2026-03-02 删除')
    expect(retentionLine({ personal_erase_due: '2029-05-10' })).toBe('个人信息将于 2029-05-10 自动删除')
    expect(retentionLine({})).toBe('')
  })
})
