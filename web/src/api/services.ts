/**
 * 服务: service places (服务阵地) with the venue standard, the policy library (惠企政策) and the
 * county's departments. Short names for the generated types plus the calls the pages share.
 */
import type { components } from './schema'
import { api, cleanQuery, unwrap } from './client'

type S = components['schemas']

export type PlaceKind = S['PlaceKind']
export type Place = S['PlaceView']
export type PlaceList = S['PlaceList']
export type PlaceDetail = S['PlaceDetail']
export type PlaceInput = S['PlaceInput']
export type InspectionInput = S['InspectionInput']
export type SpendInput = S['SpendInput']
export type Policy = S['PolicyView']
export type PolicyPage = S['PolicyPage']
export type PolicyDetail = S['PolicyDetail']
export type PolicyInput = S['PolicyInput']
export type Department = S['DepartmentView']
export type Segment = S['Segment']
export type EnterpriseSize = S['EnterpriseSize']
export type Validity = 'current' | 'expired' | 'all'

export const PLACE_KINDS: { value: PlaceKind; label: string; color: string }[] = [
  { value: 'center', label: '党群服务中心', color: '#c0392b' },
  { value: 'workshop_station', label: '红帆驿站', color: '#e67e22' },
  { value: 'courier_station', label: '爱心驿站', color: '#d4a017' },
  { value: 'chamber_venue', label: '商会党建阵地', color: '#2e86c1' },
  { value: 'outflow_home', label: '外出党员服务之家', color: '#7d3c98' },
]

export const SIZES: { value: EnterpriseSize; label: string }[] = [
  { value: 'large', label: '大型企业' },
  { value: 'medium', label: '中型企业' },
  { value: 'small', label: '小型企业' },
  { value: 'micro', label: '微型企业' },
  { value: 'individual', label: '个体工商户' },
]

export function fetchPlaces(q: { org?: number | null; kind?: PlaceKind | null }): Promise<PlaceList> {
  return unwrap(api.GET('/service-places', { params: { query: cleanQuery({ org: q.org ?? undefined, kind: q.kind ?? undefined }) } }))
}

export function fetchPlace(id: number): Promise<PlaceDetail> {
  return unwrap(api.GET('/service-places/{id}', { params: { path: { id } } }))
}

export interface PolicySearch {
  q: string
  department: number | null
  industry: string | null
  size: EnterpriseSize | null
  validity: Validity
  page: number
  per_page: number
}

export function searchPolicies(s: PolicySearch): Promise<PolicyPage> {
  return unwrap(
    api.GET('/policies', {
      params: {
        query: cleanQuery({
          q: s.q.trim() || undefined,
          department: s.department ?? undefined,
          industry: s.industry ?? undefined,
          size: s.size ?? undefined,
          validity: s.validity,
          page: s.page,
          per_page: s.per_page,
        }),
      },
    }),
  )
}

export type ServiceRequest = S['RequestView']
export type RequestDetail = S['RequestDetail']
export type RequestPage = S['RequestPage']
export type RequestAction = S['RequestAction']
export type RequestStatus = 'submitted' | 'accepted' | 'info_needed' | 'answered' | 'closed'
export type Rating = S['Rating']
export type Category = S['CategoryView']
export type RequestFigures = S['RequestFigures']
export type FigureRow = S['FigureRow']

export const STATUSES: { value: RequestStatus; label: string }[] = [
  { value: 'submitted', label: '待受理' },
  { value: 'accepted', label: '办理中' },
  { value: 'info_needed', label: '待补充材料' },
  { value: 'answered', label: '已答复' },
  { value: 'closed', label: '已办结' },
]

export const ACTION_LABELS: Record<RequestAction, string> = {
  accept: '受理',
  ask_info: '要求补充材料',
  supply: '补充材料',
  hand_over: '转办',
  reply: '答复',
  rate: '评价',
  reopen: '重新办理',
}

export const RATINGS: { value: Rating; label: string }[] = [
  { value: 'satisfied', label: '满意' },
  { value: 'basic', label: '基本满意' },
  { value: 'unsatisfied', label: '不满意' },
]

// 送政策送服务送温暖 outreach visits and needs (诉求与建议).
export type OutreachKind = S['OutreachKind']
export type OutreachVisit = S['OutreachView']
export type OutreachPage = S['OutreachPage']
export type OutreachInput = S['OutreachInput']
export type OutreachFigures = S['OutreachFigures']
export type NeedKind = S['NeedKind']
export type NeedSource = S['NeedSource']
export type NeedStatus = S['NeedStatus']
export type MatchKind = S['MatchKind']
export type Need = S['NeedView']
export type NeedPage = S['NeedPage']
export type NeedDetail = S['NeedDetail']
export type NeedInput = S['NeedInput']
export type Suggestion = S['Suggestion']

export const OUTREACH_KINDS: { value: OutreachKind; label: string; color: string }[] = [
  { value: 'policy', label: '送政策', color: '#c0392b' },
  { value: 'service', label: '送服务', color: '#2e86c1' },
  { value: 'warmth', label: '送温暖', color: '#d4a017' },
]

export const NEED_KINDS: { value: NeedKind; label: string }[] = [
  { value: 'need', label: '诉求' },
  { value: 'suggestion', label: '建议' },
  { value: 'complaint', label: '投诉' },
]

export const NEED_SOURCES: { value: NeedSource; label: string }[] = [
  { value: 'member', label: '党员提出' },
  { value: 'enterprise', label: '企业提出' },
  { value: 'console', label: '后台登记' },
  { value: 'census', label: '摸排收集' },
]

export const NEED_STATUSES: { value: NeedStatus; label: string; type: 'warning' | 'primary' | 'success' | 'info' }[] = [
  { value: 'open', label: '待对接', type: 'warning' },
  { value: 'matched', label: '已对接', type: 'primary' },
  { value: 'resolved', label: '已解决', type: 'success' },
  { value: 'unresolved', label: '未解决', type: 'info' },
]

export function fetchNeed(id: number): Promise<NeedDetail> {
  return unwrap(api.GET('/needs/{id}', { params: { path: { id } } }))
}

export function replyNeed(id: number, body: string): Promise<NeedDetail> {
  return unwrap(api.POST('/needs/{id}/messages', { params: { path: { id } }, body: { body } }))
}
