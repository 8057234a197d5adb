/**
 * The compliance board (组织生活考核): organisations × 12 months of lights for
 * a subtree and year, and the drawer behind a cell, which lists that
 * organisation's duties whose period ends in that month (missing ones first).
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { Board, BoardRow, DutyItem, Light, LightCounts } from '@/api/activities'
import { usePagedList } from '@/composables/usePagedList'
import { cellDuties, isLight, monthTotals } from './lights'

export interface BoardFilters {
  org: number | null
  year: number
  light: Light | ''
}

export interface OpenCell {
  orgId: number
  orgName: string
  month: number
}

/** Loads /duties for one organisation and year, remembering answers per (org, year). */
export function createDutyCache(fetcher: (org: number, year: number) => Promise<DutyItem[]>) {
  const cache = new Map<string, Promise<DutyItem[]>>()
  return {
    get(org: number, year: number): Promise<DutyItem[]> {
      const key = `${org}:${year}`
      let p = cache.get(key)
      if (!p) {
        p = fetcher(org, year)
        cache.set(key, p)
        // A failure is not remembered: the next click tries again.
        p.catch(() => cache.delete(key))
      }
      return p
    },
    clear() {
      cache.clear()
    },
  }
}

export async function fetchDuties(org: number | null, year: number, light?: string): Promise<DutyItem[]> {
  const res = await unwrap(api.GET('/duties', { params: { query: cleanQuery({ org: org ?? undefined, year, light }) } }))
  return res.items
}

export function yearOptions(now: Date = new Date(), back = 4): number[] {
  const y = now.getFullYear()
  return Array.from({ length: back + 1 }, (_, i) => y - i)
}

export function useDutyBoard() {
  const route = useRoute()
  const now = new Date()
  const filters = reactive<BoardFilters>({
    org: Number(route.query.org) || null,
    year: Number(route.query.year) || now.getFullYear(),
    light: isLight(route.query.light) ? route.query.light : '',
  })
  const summary = shallowRef<Pick<Board, 'year' | 'counts' | 'orgs_by_light' | 'total'> | null>(null)

  const list = usePagedList<BoardRow, BoardFilters>(
    async (f, page) => {
      const board = await unwrap(
        api.GET('/duties/board', {
          params: { query: cleanQuery({ org: f.org ?? undefined, year: f.year, light: f.light, ...page }) },
        }),
      )
      summary.value = { year: board.year, counts: board.counts, orgs_by_light: board.orgs_by_light, total: board.total }
      return { items: board.items, total: board.total }
    },
    filters,
    { perPage: 20 },
  )

  const chart = computed<LightCounts[]>(() => monthTotals(list.items.value))
  /** The chart covers the rows shown when the board has more organisations than one page. */
  const chartPartial = computed(() => list.total.value > list.items.value.length)

  // The drawer.
  const cache = createDutyCache((org, year) => fetchDuties(org, year))
  const cell = shallowRef<OpenCell | null>(null)
  const drawerOpen = ref(false)
  const drawerLoading = ref(false)
  const drawerError = ref('')
  const orgDuties = shallowRef<DutyItem[]>([])
  const drawerItems = computed(() => (cell.value ? cellDuties(orgDuties.value, cell.value.orgId, cell.value.month) : []))
  const missing = computed(() => drawerItems.value.filter((d) => d.status !== 'done'))

  let seq = 0
  async function openCell(row: Pick<BoardRow, 'org_id' | 'org_name'>, month: number) {
    const mine = ++seq
    cell.value = { orgId: row.org_id, orgName: row.org_name, month }
    drawerOpen.value = true
    drawerLoading.value = true
    drawerError.value = ''
    orgDuties.value = []
    try {
      const items = await cache.get(row.org_id, filters.year)
      if (mine === seq) orgDuties.value = items
    } catch (e) {
      if (mine === seq) drawerError.value = errorMessage(e)
    } finally {
      if (mine === seq) drawerLoading.value = false
    }
  }

  function search() {
    cache.clear()
    return list.search()
  }

  return { filters, list, summary, chart, chartPartial, cell, drawerOpen, drawerLoading, drawerError, drawerItems, missing, openCell, search }
}
