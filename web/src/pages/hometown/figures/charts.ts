/**
 * 招商统计 as chart options: the pipeline by stage, intended against landed investment by chamber,
 * the sectors, the landed investment by year, and the table by city. Money comes as fen and is shown
 * in 万元 derived from integer fen (see ../money.ts), never summed as decimals.
 */
import { LEAD_STAGES, type InvestmentFigures, type Tally } from '@/api/hometown'
import { fenToWan, formatWan, sumFen, wanValue } from '../money'

const RED = '#c8161d'
const GOLD = '#d4a017'
const SECTOR_COLORS = ['#c8161d', '#e6a23c', '#409eff', '#67c23a', '#7d3c98', '#2e86c1', '#d35400', '#16a085', '#909399']

type Tip = { dataIndex: number; seriesName?: string; marker?: string }

/** "广州吴川商会党支部" → "广州吴川商会": the branch suffix adds nothing on an axis. */
export function shortOrg(name: string): string {
  return name.replace(/(联合)?党(总)?支部$/, '') || name
}

/** Leads at each stage, the pipeline in order and dropped last. */
export function stageChart(f: InvestmentFigures) {
  const rows = LEAD_STAGES.map((s) => ({ ...s, tally: f.by_stage.find((t) => t.key === s.value) }))
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: Tip[]) => {
        const r = rows[ps[0]?.dataIndex ?? 0]
        const t = r.tally
        return `${r.label}：${t?.leads ?? 0} 个<br/>意向投资 ${fenToWan(t?.amount_fen ?? 0)} 万元`
      },
    },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => r.label) },
    yAxis: { type: 'value', name: '个', minInterval: 1 },
    series: [
      {
        name: '线索',
        type: 'bar',
        barMaxWidth: 48,
        data: rows.map((r) => ({ value: r.tally?.leads ?? 0, itemStyle: { color: r.color } })),
        label: { show: true, position: 'top', formatter: '{c} 个' },
      },
    ],
  }
}

/** Intended against landed investment (万元) by the chamber that follows the leads, largest at the top. */
export function chamberChart(f: InvestmentFigures) {
  const rows = [...f.by_chamber].reverse()
  const money = (field: 'amount_fen' | 'landed_fen') => rows.map((t) => wanValue(t[field]))
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: Tip[]) => {
        const t = rows[ps[0]?.dataIndex ?? 0]
        if (!t) return ''
        return `${t.name}<br/>线索 ${t.leads} 个，已落地 ${t.landed} 个<br/>意向投资 ${fenToWan(t.amount_fen)} 万元<br/>到位投资 ${fenToWan(t.landed_fen)} 万元`
      },
    },
    legend: { top: 0 },
    grid: { left: 8, right: 56, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: '万元', axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
    yAxis: { type: 'category', data: rows.map((t) => shortOrg(t.name)), axisTick: { show: false } },
    series: [
      { name: '意向投资', type: 'bar', barMaxWidth: 14, data: money('amount_fen'), itemStyle: { color: GOLD } },
      { name: '到位投资', type: 'bar', barMaxWidth: 14, data: money('landed_fen'), itemStyle: { color: RED } },
    ],
  }
}

/** The sectors as a ring: leads of each, with the intended investment in the tooltip. */
export function sectorChart(f: InvestmentFigures) {
  const rows = f.by_sector.filter((t) => t.leads > 0)
  return {
    aria: { enabled: true },
    color: SECTOR_COLORS,
    tooltip: {
      trigger: 'item',
      formatter: (p: Tip) => {
        const t = rows[p.dataIndex]
        return t ? `${t.name}：${t.leads} 个（已落地 ${t.landed} 个）<br/>意向投资 ${fenToWan(t.amount_fen)} 万元` : ''
      },
    },
    series: [
      {
        name: '行业',
        type: 'pie',
        radius: ['40%', '66%'],
        center: ['50%', '52%'],
        avoidLabelOverlap: true,
        label: { formatter: '{b}\n{c} 个' },
        data: rows.map((t) => ({ name: t.name, value: t.leads })),
      },
    ],
  }
}

/** The investment in place by the year it landed (万元, bars) and how many landed (line). */
export function yearChart(f: InvestmentFigures) {
  const rows = f.landed_by_year
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: Tip[]) => {
        const y = rows[ps[0]?.dataIndex ?? 0]
        return y ? `${y.year} 年<br/>落地 ${y.landed} 个<br/>到位投资 ${fenToWan(y.landed_fen)} 万元` : ''
      },
    },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((y) => `${y.year}`) },
    yAxis: [
      { type: 'value', name: '万元', axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
      { type: 'value', name: '个', minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      {
        name: '到位投资',
        type: 'bar',
        barMaxWidth: 40,
        data: rows.map((y) => wanValue(y.landed_fen)),
        itemStyle: { color: RED },
        label: { show: true, position: 'top', formatter: (p: { value: number }) => formatWan(p.value) },
      },
      { name: '落地项目', type: 'line', yAxisIndex: 1, data: rows.map((y) => y.landed), itemStyle: { color: GOLD } },
    ],
  }
}

export interface CityRow {
  name: string
  leads: number
  in_pipeline: number
  signed: number
  landed: number
  dropped: number
  amount_wan: string
  landed_wan: string
}

function cityRow(t: Pick<Tally, 'name' | 'leads' | 'in_pipeline' | 'signed' | 'landed' | 'dropped' | 'amount_fen' | 'landed_fen'>): CityRow {
  return {
    name: t.name,
    leads: t.leads,
    in_pipeline: t.in_pipeline,
    signed: t.signed,
    landed: t.landed,
    dropped: t.dropped,
    amount_wan: fenToWan(t.amount_fen),
    landed_wan: fenToWan(t.landed_fen),
  }
}

/** The table by city, largest first as sent, with a 合计 line summed from the cities' fen. */
export function cityRows(f: InvestmentFigures): { rows: CityRow[]; total: CityRow } {
  const c = f.by_city
  const count = (k: 'leads' | 'in_pipeline' | 'signed' | 'landed' | 'dropped') => c.reduce((a, t) => a + t[k], 0)
  return {
    rows: c.map(cityRow),
    total: cityRow({
      name: '合计',
      leads: count('leads'),
      in_pipeline: count('in_pipeline'),
      signed: count('signed'),
      landed: count('landed'),
      dropped: count('dropped'),
      amount_fen: sumFen(c.map((t) => t.amount_fen)),
      landed_fen: sumFen(c.map((t) => t.landed_fen)),
    }),
  }
}

/** The summary numbers at the top of the page. */
export function summary(f: InvestmentFigures) {
  return {
    leads: f.total.leads,
    in_pipeline: f.total.in_pipeline,
    amount_wan: fenToWan(f.total.amount_fen),
    landed: f.total.landed,
    landed_wan: fenToWan(f.total.landed_fen),
    stale: f.stale,
    stale_days: f.stale_days,
  }
}
