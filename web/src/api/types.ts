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
export type Committee = S['CommitteeView']
export type WorkItem = S['WorkItem']
export type CommitteePostCode = S['CommitteePost']
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

// Mobile members (流动党员).
export type MobilityRecord = S['MobilityView']
export type LedgerItem = S['LedgerItem']
export type OutflowInput = S['OutflowInput']
export type ReturnInput = S['ReturnInput']
export type InflowInput = S['InflowInput']
export type InflowEnd = S['InflowEnd']
export type Contact = S['ContactView']
export type ContactInput = S['ContactInput']
export type LostMember = S['LostView']
export type Proposal = S['ProposalView']
export type Campaign = S['CampaignView']
export type OrgProgress = S['OrgProgress']
export type CensusEntry = S['EntryView']
export type EntryInput = S['EntryInput']
export type ImportReport = S['ImportReport']
export type RowError = S['RowError']
export type Job = S['JobView']
export type OutflowStats = S['OutflowStats']
export type RegionCount = S['RegionCount']

export interface Page<T> {
  items: T[]
  total: number
}
