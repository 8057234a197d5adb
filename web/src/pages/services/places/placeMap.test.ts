import { describe, expect, it } from 'vitest'
import { boundsOf, placeMapOption } from './placeMap'
import type { Place } from '@/api/services'

const place = (id: number, kind: Place['kind'], lng: number | null, lat: number | null) =>
  ({ id, kind, lng, lat, name: `p${id}`, kind_label: kind, address: 'a' }) as unknown as Place

describe('the offline map of places', () => {
  it('zooms to the places with a margin, and to nothing without coordinates', () => {
    expect(boundsOf([])).toBeNull()
    expect(boundsOf([place(1, 'center', null, null)])).toBeNull()
    const b = boundsOf([place(1, 'center', 116.2, 35.0), place(2, 'center', 116.4, 35.1)])!
    expect(b[0][0]).toBeCloseTo(116.18)
    expect(b[1][0]).toBeCloseTo(116.42)
    expect(b[0][1]).toBeCloseTo(35.12)
    expect(b[1][1]).toBeCloseTo(34.98)
  })

  it('draws one series per kind with only the places that have coordinates', () => {
    const o = placeMapOption([place(1, 'center', 116.3, 35.0), place(2, 'courier_station', 116.31, 35.01), place(3, 'center', null, null)], 'china')
    const centres = o.series.find((s) => s.name === '党群服务中心')!
    expect(centres.data).toHaveLength(1)
    expect(o.series.find((s) => s.name === '爱心驿站')!.data[0].value).toEqual([116.31, 35.01])
    expect(o.geo.boundingCoords).toBeDefined()
  })
})
