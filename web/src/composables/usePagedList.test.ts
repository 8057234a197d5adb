import { describe, expect, it, vi } from 'vitest'
import { reactive } from 'vue'
import { ApiError } from '@/api/errors'
import { usePagedList, type PageQuery } from './usePagedList'

interface Row {
  id: number
}

function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('usePagedList', () => {
  it('shows the server\'s own message when it refuses a filter', async () => {
    const fetcher = vi.fn(async () => {
      throw new ApiError(422, { title: '提交的信息有误', errors: { id_number: ['身份证号校验码错误：最后一位应为 6'] } })
    })
    const list = usePagedList<Row, { id_number: string }>(fetcher, reactive({ id_number: '44088319850312123X' }))
    await list.load()
    expect(list.errorText.value).toBe('身份证号校验码错误：最后一位应为 6')
    expect(list.items.value).toEqual([])
  })

  it('loads the first page with the filters and paging', async () => {
    const fetcher = vi.fn(async (_f: { q: string }, p: PageQuery) => ({
      items: [{ id: p.page }],
      total: 45,
    }))
    const list = usePagedList<Row, { q: string }>(fetcher, reactive({ q: '' }), { perPage: 20 })
    await list.load()
    expect(fetcher).toHaveBeenLastCalledWith({ q: '' }, { page: 1, per_page: 20 })
    expect(list.items.value).toEqual([{ id: 1 }])
    expect(list.total.value).toBe(45)
    expect(list.loading.value).toBe(false)
  })

  it('search() goes back to page 1 with the new filters; setPage keeps them', async () => {
    const fetcher = vi.fn(async () => ({ items: [{ id: 1 }], total: 100 }))
    const filters = reactive({ q: '', status: '' })
    const list = usePagedList<Row, typeof filters>(fetcher, filters)
    await list.setPage(3)
    expect(fetcher).toHaveBeenLastCalledWith({ q: '', status: '' }, { page: 3, per_page: 20 })
    filters.q = '张'
    await list.search()
    expect(fetcher).toHaveBeenLastCalledWith({ q: '张', status: '' }, { page: 1, per_page: 20 })
    await list.setPage(2)
    expect(fetcher).toHaveBeenLastCalledWith({ q: '张', status: '' }, { page: 2, per_page: 20 })
    await list.setPerPage(50)
    expect(fetcher).toHaveBeenLastCalledWith({ q: '张', status: '' }, { page: 1, per_page: 50 })
  })

  it('reset() restores the initial filters', async () => {
    const fetcher = vi.fn(async () => ({ items: [], total: 0 }))
    const filters = reactive({ q: '', status: 'normal', tags: [] as string[] })
    const list = usePagedList<Row, typeof filters>(fetcher, filters)
    filters.q = '李'
    filters.status = ''
    filters.tags.push('流动党员')
    await list.setPage(4)
    await list.reset()
    expect(filters).toEqual({ q: '', status: 'normal', tags: [] })
    expect(list.page.value).toBe(1)
    expect(fetcher).toHaveBeenLastCalledWith({ q: '', status: 'normal', tags: [] }, { page: 1, per_page: 20 })
  })

  it('ignores an answer that arrives after a newer request', async () => {
    const slow = deferred<{ items: Row[]; total: number }>()
    const fast = deferred<{ items: Row[]; total: number }>()
    const fetcher = vi.fn().mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise)
    const list = usePagedList<Row, object>(fetcher, reactive({}))
    const first = list.load()
    const second = list.search()
    fast.resolve({ items: [{ id: 2 }], total: 1 })
    await second
    slow.resolve({ items: [{ id: 1 }], total: 1 })
    await first
    expect(list.items.value).toEqual([{ id: 2 }])
    expect(list.loading.value).toBe(false)
  })

  it('keeps the error and empties the rows when the fetch fails', async () => {
    const fetcher = vi.fn().mockResolvedValueOnce({ items: [{ id: 1 }], total: 1 }).mockRejectedValueOnce(new Error('坏了'))
    const list = usePagedList<Row, object>(fetcher, reactive({}))
    await list.load()
    await list.load()
    expect(list.items.value).toEqual([])
    expect(list.errorText.value).toBe('坏了')
    expect(list.loading.value).toBe(false)
  })

  it('steps back when the current page is past the end', async () => {
    const fetcher = vi.fn(async (_f: object, p: PageQuery) =>
      p.page > 2 ? { items: [], total: 40 } : { items: [{ id: p.page }], total: 40 },
    )
    const list = usePagedList<Row, object>(fetcher, reactive({}))
    await list.setPage(5)
    expect(list.page.value).toBe(2)
    expect(list.items.value).toEqual([{ id: 2 }])
  })
})
