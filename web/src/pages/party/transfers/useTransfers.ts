/**
 * The 组织关系转接 page's data: the tab counts (GET /transfers/summary) and the list of one side
 * (GET /transfers?direction=in|out) with its filters kept in the address (a link can open
 * `?direction=out&overdue=true`).
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import { errorMessage } from '@/api/errors'
import { fetchTransferSummary, fetchTransfers, type TransferPage, type TransferSummary } from '@/api/transfers'
import { blankFilters, filtersFromQuery, filtersToQuery, statusesFor, type Filters } from './transfers'

export const PER_PAGE = 20

function one(v: LocationQuery[string]): string {
  return (Array.isArray(v) ? v[0] : v) ?? ''
}

function sameQuery(a: Record<string, string>, b: LocationQuery): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const k of keys) if ((a[k] ?? '') !== one(b[k])) return false
  return true
}

export function useTransfers() {
  const route = useRoute()
  const router = useRouter()
  const filters = reactive<Filters>(filtersFromQuery(route.query))
  const page = shallowRef<TransferPage | null>(null)
  const summary = shallowRef<TransferSummary | null>(null)
  const loading = ref(false)
  const error = ref('')

  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await fetchTransfers({
        direction: filters.direction,
        status: filters.status,
        overdue: filters.direction === 'out' && filters.overdue,
        page: filters.page,
        per_page: PER_PAGE,
      })
      if (mine === seq) page.value = r
    } catch (e) {
      if (mine === seq) {
        page.value = null
        error.value = errorMessage(e)
      }
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  let sseq = 0
  async function loadSummary() {
    const mine = ++sseq
    try {
      const s = await fetchTransferSummary()
      if (mine === sseq) summary.value = s
    } catch (e) {
      if (mine === sseq) error.value = errorMessage(e)
    }
  }

  // Another tab: its own statuses (a 待回执 filter means nothing on 转入), no overdue filter on 转入.
  watch(
    () => filters.direction,
    (d) => {
      if (filters.status && !statusesFor(d).some((s) => s.value === filters.status)) filters.status = ''
      if (d === 'in') filters.overdue = false
    },
  )
  // A filter changed: back to page 1 (which loads), else load now.
  watch(
    () => [filters.direction, filters.status, filters.overdue],
    () => (filters.page === 1 ? load() : (filters.page = 1)),
  )
  watch(() => filters.page, load)
  // The address follows the filters, and the filters the address (a link, back and forward).
  watch(
    () => filtersToQuery(filters),
    (q) => {
      if (!sameQuery(q, route.query)) void router.replace({ query: q })
    },
  )
  watch(
    () => route.query,
    (q) => {
      if (route.name !== 'transfers' || sameQuery(filtersToQuery(filters), q)) return
      Object.assign(filters, filtersFromQuery(q))
    },
  )

  function reset() {
    Object.assign(filters, blankFilters(filters.direction))
  }

  /** After an action: the list and the counts. */
  function reload() {
    void load()
    void loadSummary()
  }

  return { filters, page, summary, loading, error, load, loadSummary, reload, reset }
}
