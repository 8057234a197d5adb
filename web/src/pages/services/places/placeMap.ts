/**
 * The map of service places, drawn offline: the province outlines of China (the package map the
 * statistics page uses) under one scatter series per kind, zoomed to the places shown. No tile
 * server: the product runs on intranets.
 */
import type { Place } from '@/api/services'
import { PLACE_KINDS } from '@/api/services'

/** [[west, north], [east, south]] around the places with coordinates, with a margin; null if none. */
export function boundsOf(places: Pick<Place, 'lng' | 'lat'>[]): [[number, number], [number, number]] | null {
  const pts = places.filter((p) => p.lng != null && p.lat != null) as { lng: number; lat: number }[]
  if (!pts.length) return null
  let [w, e, s, n] = [Infinity, -Infinity, Infinity, -Infinity]
  for (const p of pts) {
    w = Math.min(w, p.lng)
    e = Math.max(e, p.lng)
    s = Math.min(s, p.lat)
    n = Math.max(n, p.lat)
  }
  // At least about 2 km across, and a tenth of the span around.
  const mx = Math.max((e - w) * 0.1, 0.02)
  const my = Math.max((n - s) * 0.1, 0.02)
  return [
    [w - mx, n + my],
    [e + mx, s - my],
  ]
}

export function placeMapOption(places: Place[], mapName: string) {
  const bounds = boundsOf(places)
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data?: { place?: Place } }) => {
        const x = p.data?.place
        return x ? `${x.name}<br/>${x.kind_label} · ${x.address}` : ''
      },
    },
    legend: { bottom: 0, data: PLACE_KINDS.map((k) => k.label) },
    geo: {
      map: mapName,
      roam: true,
      silent: true,
      ...(bounds ? { boundingCoords: bounds } : {}),
      itemStyle: { areaColor: '#f7f3ee', borderColor: '#c9b8a6' },
      label: { show: false },
    },
    series: PLACE_KINDS.map((k) => ({
      name: k.label,
      type: 'scatter',
      coordinateSystem: 'geo',
      symbolSize: k.value === 'center' ? 14 : 9,
      itemStyle: { color: k.color },
      data: places
        .filter((p) => p.kind === k.value && p.lng != null && p.lat != null)
        .map((p) => ({ name: p.name, value: [p.lng, p.lat], place: p })),
    })),
  }
}
