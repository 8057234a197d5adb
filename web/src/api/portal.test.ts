import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, json } from '@/test-utils'
import { readLine, removeBulletinFile } from './portal'

afterEach(() => vi.unstubAllGlobals())

describe('a bulletin’s read count', () => {
  it('counts who has read it once it reaches three accounts or more', () => {
    expect(readLine({ read: 1, reached: 12 })).toBe('已读 1 / 应读 12')
    expect(readLine({ read: 0, reached: 3 })).toBe('已读 0 / 应读 3')
  })

  it('says why there is no count while it reaches fewer than three (one or two would say who)', () => {
    expect(readLine({ read: null, reached: 2 })).toBe('应读 2 人（不足 3 人，不显示已读数）')
    expect(readLine({ read: null, reached: 1 })).toBe('应读 1 人（不足 3 人，不显示已读数）')
    expect(readLine({ reached: 0 })).toBe('应读 0 人（尚无开通账号的党员）')
  })
})

describe('a bulletin’s attachments', () => {
  it('removes one with DELETE and returns the bulletin as it is now', async () => {
    const { calls } = fakeFetch({
      'DELETE /api/v1/bulletins/7/attachments/31': () => json(200, { id: 7, attachments: [] }),
    })
    const b = await removeBulletinFile(7, 31)
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual(['DELETE /api/v1/bulletins/7/attachments/31'])
    expect(b.attachments).toEqual([])
  })
})
