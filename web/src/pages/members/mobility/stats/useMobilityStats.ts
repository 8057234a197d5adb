/** 流动党员统计: where a scope's mobile members are (GET /stats/outflow), as chart options. */
import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchRoots } from '@/api/orgs'
import type { OutflowStats, RegionCount } from '@/api/types'
import { percent } from '../labels'

export const PALETTE = ['#c8161d', '#f0a020', '#2f6fdf', '#18a058', '#8a4baf', '#e8684a', '#00a2ae', '#7f8c8d', '#d4a017', '#5470c6']

export interface MapDatum {
  /** The map's region name ("广东"). */
  name: string
  value: number
  /** The full name from the server ("广东省"). */
  full: string
}

/** Province counts → map series data, matched by GB/T 2260 code (the map's names are short forms). */
export function provinceData(rows: RegionCount[], mapNames: Map<string, string>): MapDatum[] {
  return rows.flatMap((r) => {
    const name = mapNames.get(r.code)
    return name ? [{ name, value: r.count, full: r.name }] : []
  })
}

/** Colour steps for the province map: 1–9, 10–99, 100–999, 1000+ (only the steps the data reaches). */
export function mapPieces(max: number) {
  const colors = ['#f9cbc6', '#ee8a80', '#d9362e', '#8f0f14']
  const bounds = [1, 10, 100, 1000]
  return bounds
    .map((min, i) => {
      const next = bounds[i + 1]
      return next ? { min, max: next - 1, label: `${min}–${next - 1} 人`, color: colors[i] } : { min, label: `${min} 人以上`, color: colors[i] }
    })
    .filter((p) => p.min <= Math.max(1, max))
}

/** The `n` largest, the rest summed up as "其他". */
export function topWithOthers<T extends { count: number }>(rows: T[], n: number, label: (r: T) => string): { name: string; value: number }[] {
  const sorted = [...rows].sort((a, b) => b.count - a.count)
  const head = sorted.slice(0, n).map((r) => ({ name: label(r), value: r.count }))
  const rest = sorted.slice(n).reduce((s, r) => s + r.count, 0)
  return rest > 0 ? [...head, { name: `其他（${sorted.length - n} 个）`, value: rest }] : head
}

/** The census to show on the card: the newest one under way, else the newest. */
export function currentCensus(stats: OutflowStats | null) {
  const list = stats?.census ?? []
  return list.find((c) => c.status === 'open') ?? list[0] ?? null
}

/** `narrow`: a phone-sized screen (legends below, shorter labels). */
export function useMobilityStats(mapNames: () => Map<string, string>, narrow: Ref<boolean> = ref(false)) {
  const scope = ref<number | null>(null)
  const stats = shallowRef<OutflowStats | null>(null)
  const loading = ref(false)
  const error = ref('')

  async function init() {
    try {
      const roots = (await fetchRoots()).items
      scope.value = roots[0]?.id ?? null
      if (scope.value == null) await load()
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  async function load() {
    loading.value = true
    error.value = ''
    try {
      stats.value = await unwrap(api.GET('/stats/outflow', { params: { query: cleanQuery({ org: scope.value ?? undefined }) } }))
    } catch (e) {
      stats.value = null
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }
  watch(scope, () => void load())

  const census = computed(() => currentCensus(stats.value))

  const mapChart = computed(() => {
    const data = provinceData(stats.value?.by_province ?? [], mapNames())
    const max = Math.max(0, ...data.map((d) => d.value))
    return {
      aria: { enabled: true, data: { maxCount: 40 } },
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value?: number; data?: MapDatum }) =>
          p.data ? `${p.data.full}：${p.data.value} 人` : `${p.name}：无外出党员`,
      },
      // Counts are very uneven (most members work in one or two provinces): steps, not a gradient.
      visualMap: {
        type: 'piecewise',
        left: narrow.value ? 'center' : 8,
        bottom: narrow.value ? 0 : 8,
        orient: narrow.value ? 'horizontal' : 'vertical',
        itemGap: narrow.value ? 6 : 10,
        itemWidth: 14,
        itemHeight: 10,
        textStyle: { fontSize: 11 },
        pieces: mapPieces(max),
        outOfRange: { color: '#f5f5f5' },
      },
      series: [
        {
          type: 'map',
          map: 'china',
          name: '外出党员',
          roam: false,
          // The map is about as tall as it is wide; the card is wider, so fit by height.
          layoutCenter: narrow.value ? ['50%', '44%'] : ['54%', '52%'],
          layoutSize: narrow.value ? '100%' : '96%',
          showLegendSymbol: false,
          label: { show: false },
          emphasis: { label: { show: true, fontSize: 12 }, itemStyle: { areaColor: '#ffd666' } },
          itemStyle: { areaColor: '#f5f5f5', borderColor: '#bbb', borderWidth: 0.6 },
          data,
        },
      ],
    }
  })

  const cityRows = computed(() => [...(stats.value?.by_city ?? [])].sort((a, b) => b.count - a.count).slice(0, 15))
  const cityChart = computed(() => ({
    color: PALETTE,
    aria: { enabled: true, data: { maxCount: 50 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: '{b}：{c} 人' },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitNumber: narrow.value ? 3 : 5 },
    yAxis: { type: 'category', inverse: true, data: cityRows.value.map((r) => r.name), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        name: '外出党员',
        data: cityRows.value.map((r) => r.count),
        barMaxWidth: 18,
        itemStyle: { color: '#c8161d', borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right' },
      },
    ],
  }))
  const cityChartHeight = computed(() => Math.max(240, cityRows.value.length * 26 + 40))

  const reasonChart = computed(() => ({
    color: PALETTE,
    aria: { enabled: true },
    tooltip: { trigger: 'item', formatter: '{b}：{c} 人（{d}%）' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        name: '外出原因',
        radius: ['40%', '68%'],
        center: ['50%', '44%'],
        // On phones the slices carry only their share; names are in the legend.
        label: narrow.value
          ? {
              show: true,
              position: 'inside',
              color: '#fff',
              fontWeight: 600,
              formatter: (p: { percent?: number }) => ((p.percent ?? 0) >= 8 ? `${Math.round(p.percent ?? 0)}%` : ''),
            }
          : { show: true, formatter: (p: { name: string; percent?: number }) => `${p.name}\n${(p.percent ?? 0).toFixed(1)}%`, fontSize: 12 },
        labelLine: { show: !narrow.value },
        data: (stats.value?.by_reason ?? []).filter((r) => r.count > 0).map((r) => ({ name: r.label, value: r.count })),
      },
    ],
  }))

  const receivingRows = computed(() => topWithOthers(stats.value?.by_receiving_org ?? [], 10, (r) => r.name))
  const receivingChart = computed(() => ({
    color: PALETTE,
    aria: { enabled: true, data: { maxCount: 20 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: '{b}：{c} 人' },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitNumber: narrow.value ? 2 : 5 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: receivingRows.value.map((r) => r.name),
      axisTick: { show: false },
      axisLabel: { width: narrow.value ? 120 : 190, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: '外出党员',
        data: receivingRows.value.map((r) => ({ value: r.value, itemStyle: { color: r.name.startsWith('未落实') || r.name.startsWith('其他') ? '#b0b0b0' : '#2f6fdf' } })),
        barMaxWidth: 18,
        itemStyle: { borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right' },
      },
    ],
  }))
  const receivingChartHeight = computed(() => Math.max(240, receivingRows.value.length * 28 + 40))

  // A receiving organisation has no census entries of its own (they belong to the home branches).
  const censusText = computed(() => (census.value && census.value.total > 0 ? percent(census.value.completion) : '—'))

  return {
    scope,
    stats,
    loading,
    error,
    init,
    load,
    census,
    censusText,
    mapChart,
    cityChart,
    cityChartHeight,
    reasonChart,
    receivingChart,
    receivingChartHeight,
  }
}
