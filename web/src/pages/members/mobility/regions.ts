/** Region (GB/T 2260) helpers for the mobility forms and filters. */
import type { Region } from '@/api/types'

/** The province → city part of the region tree (for filters that stop at the city). */
export function twoLevels(regions: Region[]): Region[] {
  return regions.map((p) => ({ code: p.code, name: p.name, children: p.children.map((c) => ({ code: c.code, name: c.name, children: [] })) }))
}

/** A region's name by code anywhere in the tree. */
export function regionName(regions: Region[], code: string | null | undefined): string {
  if (!code) return ''
  for (const r of regions) {
    if (r.code === code) return r.name
    const hit = regionName(r.children, code)
    if (hit) return hit
  }
  return ''
}

/** "海口市" → "海口", "广西壮族自治区" → "广西" — the short form people search organisation names with. */
export function shortPlaceName(name: string): string {
  return name
    .replace(/(壮族|回族|维吾尔)?自治区$/, '')
    .replace(/特别行政区$/, '')
    .replace(/(省|市|地区|盟|自治州|县|区)$/, '')
}

/** Server field errors on province/city/county, joined for the one cascader that edits them. */
export function regionErrors(fields: Record<string, string>): string {
  return ['province_code', 'city_code', 'county_code']
    .map((k) => fields[k])
    .filter(Boolean)
    .join('；')
}
