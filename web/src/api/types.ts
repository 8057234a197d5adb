/** Short names for the generated schema types (src/api/schema.d.ts). */
import type { components } from './schema'

type S = components['schemas']

export type SessionInfo = S['SessionInfo']
export type User = S['SessionUser']
export type SessionGrant = S['SessionGrant']
export type Grant = S['GrantView']
export type ActiveSession = S['SessionView']
export type Org = S['OrgView']
export type OrgRef = S['OrgRef']
export type NewOrg = S['NewOrg']
export type OrgInput = S['OrgInput']
export type Meta = S['Meta']
export type CodeLabel = S['CodeLabel']
export type Region = S['RegionNode']
export type Member = S['MemberView']
export type MemberInput = S['MemberInput']
export type Unmasked = S['Unmasked']
export type UserView = S['UserView']
export type Role = S['RoleView']
export type AuditEvent = S['AuditView']
export type StatsOverview = S['Overview']

export interface Page<T> {
  items: T[]
  total: number
}
