/**
 * 目标看板: task lights of a year, their roll-up per owner and per community, the communities'
 * own rhythm this year (周例会、月督导、季评比、年述职, how the 五共 mechanism is carried out), and the two coverage rates.
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { errorMessage } from '@/api/errors'
import type { LightCounts } from '@/api/activities'
import { fetchCommunities, fetchCoverageStats, fetchRollup, type Community, type CoverageRow, type CoverageStats, type RollupRow, type TaskRollup } from '@/api/goals'

export interface BoardFilters {
  org: number | null
  year: number
}

/** Rows with at least one task, worst first (most red, then yellow), at most `limit`. */
export function worstRows(rows: RollupRow[], limit = 12): RollupRow[] {
  return rows
    .filter((r) => r.total > 0)
    .sort((a, b) => b.counts.red - a.counts.red || b.counts.yellow - a.counts.yellow || b.total - a.total || a.org_name.localeCompare(b.org_name, 'zh-CN'))
    .slice(0, limit)
}

export function totalOf(c: LightCounts): number {
  return c.blue + c.yellow + c.red
}

/** Coverage rows that have hosts, by number of hosts. */
export function coverageRows(rows: CoverageRow[], limit = 12): CoverageRow[] {
  return rows.filter((r) => r.hosts > 0).sort((a, b) => b.hosts - a.hosts || a.label.localeCompare(b.label, 'zh-CN')).slice(0, limit)
}

/** Communities as rows of their rhythm lights (周例会、月督导、季评比、年述职), worst first; those with nothing due yet are left out. */
export function rhythmRows(items: Community[]): RollupRow[] {
  const rows = items.map((c) => ({ org_id: c.id, org_name: c.name, total: totalOf(c.rhythm), done: c.rhythm.blue, counts: c.rhythm }))
  return worstRows(rows, rows.length)
}

export function useGoalsBoard() {
  const route = useRoute()
  const filters = reactive<BoardFilters>({
    org: Number(route.query.org) || null,
    year: Number(route.query.year) || new Date().getFullYear(),
  })
  const rollup = shallowRef<TaskRollup | null>(null)
  const coverage = shallowRef<CoverageStats | null>(null)
  const loading = ref(false)
  const rollupError = ref('')
  const coverageError = ref('')
  const rhythm = shallowRef<RollupRow[]>([])
  const rhythmError = ref('')

  const owners = computed(() => worstRows(rollup.value?.owners ?? []))
  const communities = computed(() => worstRows(rollup.value?.communities ?? []))
  const taskTotal = computed(() => (rollup.value ? totalOf(rollup.value.counts) : 0))

  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    rollupError.value = ''
    coverageError.value = ''
    rhythmError.value = ''
    const [r, c, m] = await Promise.allSettled([fetchRollup(filters), fetchCoverageStats(filters.org), fetchCommunities()])
    if (mine !== seq) return
    if (m.status === 'fulfilled') rhythm.value = rhythmRows(m.value.items)
    else {
      rhythm.value = []
      rhythmError.value = errorMessage(m.reason)
    }
    if (r.status === 'fulfilled') rollup.value = r.value
    else {
      rollup.value = null
      rollupError.value = errorMessage(r.reason)
    }
    if (c.status === 'fulfilled') coverage.value = c.value
    else {
      coverage.value = null
      coverageError.value = errorMessage(c.reason)
    }
    loading.value = false
  }

  return { filters, rollup, coverage, loading, rollupError, coverageError, rhythm, rhythmError, owners, communities, taskTotal, load }
}
