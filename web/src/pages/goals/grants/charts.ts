/**
 * The points of the best-scoring grantees, part by part, as stacked horizontal bars. Parts that do
 * not apply are left out and the others scaled to 100, as the total is.
 */
import type { IncentiveGrant } from '@/api/goals'
import { GRANT_PARTS, hundredths } from './money'

const COLORS = ['#c8161d', '#e6a23c', '#409eff', '#67c23a', '#909399']

export function partBars(grants: IncentiveGrant[], limit = 10) {
  const rows = [...grants].sort((a, b) => b.score.total_hundredths - a.score.total_hundredths).slice(0, limit).reverse()
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => v.toFixed(2),
    },
    legend: { top: 0, itemWidth: 12, itemHeight: 10 },
    grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100 },
    yAxis: { type: 'category', data: rows.map((g) => g.org.name), axisTick: { show: false }, axisLabel: { width: 170, overflow: 'truncate' } },
    series: GRANT_PARTS.map((p, i) => ({
      name: p.label,
      type: 'bar',
      stack: 'parts',
      barMaxWidth: 16,
      itemStyle: { color: COLORS[i] },
      // Scaled like the total (parts over the applicable weight), so that a bar ends at its total.
      data: rows.map((g) => Math.round((g.score[p.key] * 100) / Math.max(1, g.score.applicable_weight)) / 100),
      ...(i === GRANT_PARTS.length - 1
        ? { label: { show: true, position: 'right', color: '#303133', formatter: (x: { dataIndex: number }) => hundredths(rows[x.dataIndex]?.score.total_hundredths) } }
        : {}),
    })),
  }
}
