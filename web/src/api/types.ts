/** Short names for the generated schema types. */
import type { components } from './schema'

type S = components['schemas']

export type SessionInfo = S['SessionInfo']
export type User = S['User']
export type Grant = S['Grant']
export type SessionGrant = SessionInfo['grants'][number]
export type ActiveSession = S['ActiveSession']
export type Org = S['Org']
export type NewOrg = S['NewOrg']
export type OrgInput = S['OrgInput']
export type Meta = S['Meta']
export type CodeLabel = S['CodeLabel']
export type Region = S['Region']
export type Member = S['Member']
export type MemberInput = S['MemberInput']
export type Unmasked = S['Unmasked']
export type UserView = S['UserView']
export type Role = S['Role']
export type AuditEvent = S['AuditEvent']
export type StatsOverview = S['StatsOverview']

export interface Page<T> {
  items: T[]
  total: number
}
