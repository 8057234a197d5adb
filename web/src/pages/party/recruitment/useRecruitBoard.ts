/**
 * The 发展党员 page's data: the roll-up (GET /recruitment/summary) and the board (GET /recruits) with
 * its filters kept in the address (the workbench links `?due=true`).
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import { errorMessage } from '@/api/errors'
import { fetchRecruitmentSummary, fetchRecruits, type RecruitPage, type RecruitSummary } from '@/api/recruitment'
import { blankFilters, filtersFromQuery, filtersToQuery, type BoardFilters } from './recruitment'

export const PER_PAGE = 20

function one(v: LocationQuery[string]): string {
  return (Array.isArray(v) ? v[0] : v) ?? ''
}

function sameQuery(a: Record<string, string>, b: LocationQuery): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const k of keys) if ((a[k] ?? '') !== one(b[k])) return false
  return true
}

export function useRecruitBoard() {
  const route = useRoute()
  const router = useRouter()
  const filters = reactive<BoardFilters>(filtersFromQuery(route.query))
  const page = shallowRef<RecruitPage | null>(null)
  const summary = shallowRef<RecruitSummary | null>(null)
  const loading = ref(false)
  const summaryLoading = ref(false)
  const error = ref('')

  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await fetchRecruits({ ...filters, per_page: PER_PAGE })
      if (mine === seq) page.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  let sseq = 0
  async function loadSummary() {
    const mine = ++sseq
    summaryLoading.value = true
    try {
      const s = await fetchRecruitmentSummary(filters.org)
      if (mine === sseq) summary.value = s
    } catch (e) {
      if (mine === sseq) error.value = errorMessage(e)
    } finally {
      if (mine === sseq) summaryLoading.value = false
    }
  }

  // A filter changed: back to page 1 (which loads), else load now.
  watch(
    () => [filters.stage, filters.status, filters.org, filters.q, filters.due],
    () => (filters.page === 1 ? load() : (filters.page = 1)),
  )
  watch(() => filters.page, load)
  watch(() => filters.org, loadSummary)
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
      if (route.name !== 'recruitment' || sameQuery(filtersToQuery(filters), q)) return
      Object.assign(filters, filtersFromQuery(q))
    },
  )

  function reset() {
    Object.assign(filters, blankFilters())
  }

  function reload() {
    void load()
    void loadSummary()
  }

  return { filters, page, summary, loading, summaryLoading, error, load, loadSummary, reload, reset }
}
