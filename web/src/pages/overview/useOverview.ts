import { computed, ref, shallowRef, watch } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchRoots } from '@/api/orgs'
import type { Org, StatsOverview } from '@/api/types'

const PALETTE = ['#c8161d', '#f0a020', '#2f6fdf', '#18a058', '#8a4baf', '#e8684a', '#00a2ae', '#7f8c8d', '#d4a017', '#5470c6']

export function useOverview() {
  const scope = ref<number | null>(null)
  const roots = ref<Org[]>([])
  const stats = shallowRef<StatsOverview | null>(null)
  const loading = ref(false)
  const error = ref('')

  async function init() {
    try {
      roots.value = (await fetchRoots()).items
      scope.value = roots.value[0]?.id ?? null
      if (scope.value == null) await load()
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  async function load() {
    loading.value = true
    error.value = ''
    try {
      stats.value = await unwrap(api.GET('/stats/overview', { params: { query: cleanQuery({ org: scope.value ?? undefined }) } }))
    } catch (e) {
      stats.value = null
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  watch(scope, () => void load())

  const kindChart = computed(() => {
    const rows = (stats.value?.orgs_by_kind ?? []).filter((r) => r.count > 0)
    return {
      color: PALETTE,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => r.label), inverse: true, axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          name: '组织数',
          data: rows.map((r) => r.count),
          barMaxWidth: 22,
          itemStyle: { color: '#c8161d', borderRadius: [0, 4, 4, 0] },
          label: { show: true, position: 'right' },
        },
      ],
    }
  })

  function pie(all: { label: string; count: number }[], name: string) {
    const rows = all.filter((r) => r.count > 0)
    return {
      color: PALETTE,
      animationDuration: 500,
      tooltip: { trigger: 'item', formatter: '{b}：{c} 人（{d}%）' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          name,
          radius: ['42%', '70%'],
          center: ['50%', '44%'],
          // Counts inside the ring; slivers get none (the tooltip and legend have them).
          label: {
            show: true,
            position: 'inside',
            formatter: (p: { percent?: number; value?: unknown }) => ((p.percent ?? 0) >= 8 ? String(p.value) : ''),
            color: '#fff',
            fontWeight: 600,
          },
          labelLine: { show: false },
          data: rows.map((r) => ({ name: r.label, value: r.count })),
        },
      ],
    }
  }

  const categoryChart = computed(() => pie(stats.value?.members_by_category ?? [], '党员类别'))
  const statusChart = computed(() => pie(stats.value?.members_by_status ?? [], '党员状态'))
  const kindCount = computed(() => (stats.value?.orgs_by_kind ?? []).filter((r) => r.count > 0).length)
  const kindChartHeight = computed(() => Math.max(300, kindCount.value * 34 + 40))

  return { scope, roots, stats, loading, error, init, load, kindChart, categoryChart, statusChart, kindChartHeight }
}
