/**
 * Code lists of the coverage ledger, mirroring `domain/coverage.rs` (they are not in `/meta`, whose
 * `host_kinds` are the host units of party organisations).
 */
export const HOST_ENTITY_KINDS = [
  { code: 'enterprise', label: '非公企业' },
  { code: 'social_org', label: '社会组织' },
  { code: 'merchant', label: '个体工商户' },
  { code: 'building', label: '商务楼宇' },
  { code: 'business_district', label: '商圈' },
  { code: 'market', label: '专业市场' },
  { code: 'new_employment', label: '新就业群体' },
]

export const COVERAGES = [
  { code: 'own_org', label: '单独建立党组织' },
  { code: 'joint_branch', label: '联合党支部覆盖' },
  { code: 'community', label: '党建联盟/区域党组织覆盖' },
  { code: 'instructor', label: '选派党建指导员' },
  { code: 'none', label: '未覆盖' },
]

export function coverageLabel(code: string | null | undefined): string {
  return COVERAGES.find((c) => c.code === code)?.label ?? code ?? '—'
}

/** Organisational coverage (有形覆盖): an organisation of its own, a joint branch or a community. */
export function isCovered(code: string): boolean {
  return code === 'own_org' || code === 'joint_branch' || code === 'community'
}

export const COVERAGE_TAG: Record<string, 'success' | 'warning' | 'danger' | 'info'> = {
  own_org: 'success',
  joint_branch: 'success',
  community: 'success',
  instructor: 'warning',
  none: 'danger',
}

/** The quarter of a date, e.g. `2026-Q4` (as the server names census rounds). */
export function quarterOf(d: Date = new Date()): string {
  return `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`
}

/** A GB/T 2260 code → its cascader path: 370828 → [370000, 370800, 370828]; 370800 → [370000, 370800]. */
export function regionPathOf(code: string | null | undefined): string[] {
  if (!code || !/^\d{6}$/.test(code)) return []
  const province = `${code.slice(0, 2)}0000`
  const city = `${code.slice(0, 4)}00`
  if (code === province) return [province]
  if (code === city) return [province, city]
  return [province, city, code]
}
