/**
 * Which kinds of organisation may sit under which, mirroring the server's
 * OrgKind::allows_child (the server still decides): a 党支部 or 联合党支部 holds
 * only 党小组, a 党小组 holds nothing, a 党总支 holds anything, and a 党小组 sits
 * nowhere else.
 */
import type { CodeLabel } from '@/api/types'

export const PARTY_GROUP = 'party_group'
const BRANCHES = ['branch', 'joint_branch']

export function allowsChild(parentKind: string, childKind: string): boolean {
  if (parentKind === PARTY_GROUP) return false
  if (BRANCHES.includes(parentKind)) return childKind === PARTY_GROUP
  if (parentKind === 'general_branch') return true
  return childKind !== PARTY_GROUP
}

/** Whether anything at all may be created under an organisation of this kind. */
export function mayHaveChildren(kind: string): boolean {
  return kind !== PARTY_GROUP
}

/** The kinds offered when creating (or re-typing) an organisation under `parentKind`. */
export function childKinds(parentKind: string | null | undefined, all: CodeLabel[]): CodeLabel[] {
  if (!parentKind) return all.filter((k) => k.code !== PARTY_GROUP)
  return all.filter((k) => allowsChild(parentKind, k.code))
}

/** The kind a new child form starts with. */
export function defaultChildKind(parentKind: string): string {
  return BRANCHES.includes(parentKind) ? PARTY_GROUP : 'branch'
}

/** Why nothing may be created under this kind (for a tooltip), or ''. */
export function noChildrenReason(kind: string): string {
  return kind === PARTY_GROUP ? '党小组下不能设立下级组织' : ''
}

/** Kinds that elect a committee (mirrors `committee::term_years`; the server answers with `term_years`). */
export function electsCommittee(kind: string): boolean {
  return ['branch', 'joint_branch', 'general_branch', 'committee', 'park_committee', 'industry_committee', 'regional_org'].includes(kind)
}
