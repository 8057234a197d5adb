/**
 * 两个覆盖: the rates of the subtree, the ledger of host entities (两新组织 and new employment groups)
 * with its create/edit form, and the quarterly coverage censuses (摸排) with their entries.
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchCommunities, fetchCoverageStats, type Community, type CoverageCensus, type CoverageEntry, type CoverageStats, type Host } from '@/api/goals'
import { usePagedList } from '@/composables/usePagedList'
import { useDialogForm } from '@/composables/useDialogForm'
import { isCovered, quarterOf, regionPathOf } from './labels'

export interface HostFilters {
  org: number | null
  kind: string
  coverage: string
  q: string
}

export interface HostFormState {
  id: number | null
  name: string
  kind: string
  region: string[]
  org_id: number | null
  org_name: string
  coverage: string
  covering_org_id: number | null
  covering_org_name: string
  community_id: number | null
  industry: string
  employees: number | null
  party_members: number | null
}

export function blankHost(): HostFormState {
  return {
    id: null,
    name: '',
    kind: 'enterprise',
    region: [],
    org_id: null,
    org_name: '',
    coverage: 'none',
    covering_org_id: null,
    covering_org_name: '',
    community_id: null,
    industry: '',
    employees: null,
    party_members: null,
  }
}

export function hostToForm(h: Host): HostFormState {
  return {
    id: h.id,
    name: h.name,
    kind: h.kind,
    region: regionPathOf(h.region_code),
    org_id: h.org_id,
    org_name: h.org_name,
    coverage: h.coverage,
    covering_org_id: h.covering_org_id ?? null,
    covering_org_name: h.covering_org_name ?? '',
    community_id: h.community_id ?? null,
    industry: h.industry ?? '',
    employees: h.employees ?? null,
    party_members: h.party_members ?? null,
  }
}

export function checkHost(f: HostFormState): Record<string, string> {
  const e: Record<string, string> = {}
  if (!f.name.trim()) e.name = '请填写名称'
  if (!f.region.length) e.region_code = '请选择所在地'
  if (f.org_id == null) e.org_id = '请选择负责党组织'
  if (isCovered(f.coverage) && f.covering_org_id == null && f.community_id == null) e.covering_org_id = '已覆盖的须填写覆盖它的党组织'
  return e
}

export function useCoverage() {
  const stats = shallowRef<CoverageStats | null>(null)
  const statsError = ref('')
  const communities = shallowRef<Community[]>([])

  const list = usePagedList<Host, HostFilters>(
    async (f, page) =>
      unwrap(
        api.GET('/hosts', {
          params: { query: cleanQuery({ org: f.org ?? undefined, kind: f.kind, coverage: f.coverage, q: f.q.trim(), ...page }) },
        }),
      ),
    reactive<HostFilters>({ org: null, kind: '', coverage: '', q: '' }),
    { perPage: 20 },
  )

  async function loadStats() {
    statsError.value = ''
    try {
      stats.value = await fetchCoverageStats(list.filters.org)
    } catch (e) {
      stats.value = null
      statsError.value = errorMessage(e)
    }
  }

  async function loadCommunities() {
    try {
      communities.value = (await fetchCommunities()).items
    } catch {
      communities.value = []
    }
  }

  const hostForm = useDialogForm({
    blank: blankHost,
    check: checkHost,
    send: (f) => {
      const body = {
        name: f.name.trim(),
        kind: f.kind,
        region_code: f.region[f.region.length - 1] ?? '',
        org_id: f.org_id ?? 0,
        coverage: f.coverage,
        covering_org_id: f.coverage === 'none' ? null : f.covering_org_id,
        community_id: f.community_id,
        industry: f.industry.trim() || null,
        employees: f.employees,
        party_members: f.party_members,
      }
      return f.id == null
        ? unwrap(api.POST('/hosts', { body }))
        : unwrap(api.PATCH('/hosts/{id}', { params: { path: { id: f.id } }, body }))
    },
    fields: ['name', 'kind', 'region_code', 'org_id', 'coverage', 'covering_org_id', 'community_id', 'industry', 'employees', 'party_members'],
    onSaved: async () => {
      await Promise.all([list.load(), loadStats()])
    },
  })

  // Censuses.
  const censuses = shallowRef<CoverageCensus[]>([])
  const censusError = ref('')
  const openCensus = shallowRef<CoverageCensus | null>(null)
  const entries = shallowRef<CoverageEntry[]>([])
  const entriesLoading = ref(false)
  const entriesError = ref('')
  const entryFilter = ref<'' | 'unchecked' | 'changed'>('unchecked')
  const shownEntries = computed(() =>
    entries.value.filter((e) =>
      entryFilter.value === 'unchecked' ? !e.checked_at : entryFilter.value === 'changed' ? !!e.coverage && e.coverage !== e.coverage_before : true,
    ),
  )

  async function loadCensuses() {
    censusError.value = ''
    try {
      censuses.value = (await unwrap(api.GET('/coverage-censuses'))).items
    } catch (e) {
      censuses.value = []
      censusError.value = errorMessage(e)
    }
  }

  async function showCensus(c: CoverageCensus) {
    openCensus.value = c
    entriesLoading.value = true
    entriesError.value = ''
    entries.value = []
    entryFilter.value = c.status === 'open' ? 'unchecked' : ''
    try {
      entries.value = (await unwrap(api.GET('/coverage-censuses/{id}/entries', { params: { path: { id: c.id } } }))).items
    } catch (e) {
      entriesError.value = errorMessage(e)
    } finally {
      entriesLoading.value = false
    }
  }

  /** Records what was found for one entry; resolves to an error message or ''. */
  async function checkEntry(entry: CoverageEntry, coverage: string, note: string): Promise<string> {
    const c = openCensus.value
    if (!c) return ''
    try {
      const saved = await unwrap(
        api.PUT('/coverage-censuses/{id}/entries/{entry_id}', {
          params: { path: { id: c.id, entry_id: entry.id } },
          body: { coverage, note: note.trim() || null },
        }),
      )
      const wasChecked = !!entry.checked_at
      entries.value = entries.value.map((e) => (e.id === saved.id ? saved : e))
      const changed = entries.value.filter((e) => e.coverage && e.coverage !== e.coverage_before).length
      const updated = { ...c, checked: c.checked + (wasChecked ? 0 : 1), changed }
      openCensus.value = updated
      censuses.value = censuses.value.map((x) => (x.id === c.id ? updated : x))
      return ''
    } catch (e) {
      return errorMessage(e)
    }
  }

  async function closeCensus(c: CoverageCensus) {
    const closed = await unwrap(api.POST('/coverage-censuses/{id}/close', { params: { path: { id: c.id } } }))
    censuses.value = censuses.value.map((x) => (x.id === c.id ? closed : x))
    if (openCensus.value?.id === c.id) openCensus.value = closed
    await Promise.all([list.load(), loadStats()])
  }

  const censusForm = useDialogForm({
    blank: () => ({ name: `${quarterOf().replace('-Q', '年第')}季度两新组织覆盖摸排`, period: quarterOf(), org_id: null as number | null }),
    check: (f) => ({
      name: f.name.trim() ? undefined : '请填写名称',
      period: /^\d{4}-Q[1-4]$/.test(f.period) ? undefined : '季度格式为 2026-Q4',
      org_id: f.org_id == null ? '请选择发起摸排的党组织' : undefined,
    }),
    send: (f) => unwrap(api.POST('/coverage-censuses', { body: { name: f.name.trim(), period: f.period, org_id: f.org_id! } })),
    fields: ['name', 'period', 'org_id'],
    onSaved: loadCensuses,
  })

  return {
    stats,
    statsError,
    communities,
    list,
    loadStats,
    loadCommunities,
    hostForm,
    censuses,
    censusError,
    openCensus,
    entries,
    shownEntries,
    entriesLoading,
    entriesError,
    entryFilter,
    loadCensuses,
    showCensus,
    checkEntry,
    closeCensus,
    censusForm,
  }
}
