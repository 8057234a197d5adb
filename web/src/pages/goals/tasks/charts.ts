/** ECharts options shared by the 目标看板 and 覆盖 pages (lights in the duty board's colours). */
import type { Light, LightCounts } from '@/api/activities'
import type { CoverageRow, RollupRow } from '@/api/goals'
import { LIGHT_COLORS, LIGHT_LABELS } from '@/pages/org_life/duties/lights'
import { ratePercent } from './labels'

const ORDER: Light[] = ['blue', 'yellow', 'red']

export function lightDonut(c: LightCounts | null | undefined, title: string) {
  const total = c ? c.blue + c.yellow + c.red : 0
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 项（{d}%）' },
    title: { text: String(total), subtext: title, left: 'center', top: '38%', textStyle: { fontSize: 26, fontWeight: 600 }, subtextStyle: { fontSize: 12 } },
    series: [
      {
        type: 'pie',
        radius: ['52%', '74%'],
        center: ['50%', '50%'],
        avoidLabelOverlap: true,
        label: { show: false },
        data: ORDER.map((l) => ({ name: LIGHT_LABELS[l], value: c?.[l] ?? 0, itemStyle: { color: LIGHT_COLORS[l] } })),
      },
    ],
  }
}

/** Horizontal stacked bars of lights, one bar per organisation (worst at the top). */
export function lightBars(rows: RollupRow[]) {
  const names = rows.map((r) => r.org_name).reverse()
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, itemWidth: 12, itemHeight: 10 },
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: names, axisTick: { show: false }, axisLabel: { width: 150, overflow: 'truncate' } },
    series: ORDER.map((l) => ({
      name: LIGHT_LABELS[l],
      type: 'bar',
      stack: 'lights',
      barMaxWidth: 18,
      itemStyle: { color: LIGHT_COLORS[l] },
      data: [...rows].reverse().map((r) => r.counts[l]),
    })),
  }
}

export function rateGauge(rate: number | null | undefined, name: string, color: string) {
  return {
    series: [
      {
        type: 'gauge',
        startAngle: 210,
        endAngle: -30,
        min: 0,
        max: 100,
        radius: '92%',
        center: ['50%', '58%'],
        progress: { show: true, width: 14, itemStyle: { color } },
        axisLine: { lineStyle: { width: 14 } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        anchor: { show: false },
        title: { offsetCenter: [0, '40%'], fontSize: 13, color: '#606266' },
        detail: {
          valueAnimation: true,
          offsetCenter: [0, '-4%'],
          fontSize: 22,
          fontWeight: 600,
          color,
          formatter: () => (rate == null ? '—' : `${(rate / 100).toFixed(2).replace(/\.?0+$/, '')}%`),
        },
        data: [{ value: ratePercent(rate), name }],
      },
    ],
  }
}

/** Per-row organisational and work coverage rates, as grouped horizontal bars. */
export function coverageBars(rows: CoverageRow[]) {
  const names = rows.map((r) => r.label).reverse()
  const data = (f: (r: CoverageRow) => number | null | undefined) => [...rows].reverse().map((r) => ratePercent(f(r)))
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => `${v}%`,
    },
    legend: { top: 0, itemWidth: 12, itemHeight: 10 },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: names, axisTick: { show: false }, axisLabel: { width: 120, overflow: 'truncate' } },
    series: [
      { name: '有形覆盖率', type: 'bar', barMaxWidth: 12, itemStyle: { color: '#c8161d' }, data: data((r) => r.org_rate) },
      { name: '有效覆盖率', type: 'bar', barMaxWidth: 12, itemStyle: { color: '#e6a23c' }, data: data((r) => r.work_rate) },
    ],
  }
}
