import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { useOrgScope } from './useOrgScope'

describe('useOrgScope', () => {
  it('asks once per organisation and reads 404 as outside the scope', async () => {
    const fetch = vi.fn(async (id: number) => {
      if (id === 2) throw new ApiError(404, {})
      if (id === 3) throw new ApiError(403, {})
      return { id }
    })
    const s = useOrgScope(fetch)
    expect(s.inScope(1)).toBeUndefined()
    await s.check([1, 2, 2, 3, null, undefined])
    await s.check([1, 2])
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(s.inScope(1)).toBe(true)
    expect(s.inScope(2)).toBe(false)
    // Not allowed to look: not ours to decide, the server will.
    expect(s.inScope(3)).toBe(true)
    expect(s.inScope(null)).toBeUndefined()
  })
})
