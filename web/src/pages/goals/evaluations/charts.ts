/** The ranking of an evaluation as horizontal bars: first place at the top, totals with two decimals. */
import type { Ranked } from '@/api/goals'
import { hundredths } from '@/pages/goals/grants/money'

export function rankingBars(results: Ranked[]) {
  const rows = [...results].sort((a, b) => a.rank - b.rank || a.org.name.localeCompare(b.org.name, 'zh-CN')).reverse()
  const top = Math.min(3, results.length)
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: { dataIndex: number }[]) => {
        const r = rows[ps[0]?.dataIndex ?? 0]
        return r ? `第 ${r.rank} 名 ${r.org.name}<br/>总分 ${hundredths(r.total_hundredths)}（${r.evaluators} 位评委）` : ''
      },
    },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}' } },
    yAxis: {
      type: 'category',
      data: rows.map((r) => `${r.rank}. ${r.org.name}`),
      axisTick: { show: false },
      axisLabel: { width: 180, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: rows.map((r) => ({
          value: r.total_hundredths / 100,
          itemStyle: { color: r.rank <= top ? '#c8161d' : '#e6a23c' },
        })),
        label: { show: true, position: 'right', formatter: (p: { dataIndex: number }) => hundredths(rows[p.dataIndex]?.total_hundredths) },
      },
    ],
  }
}
