/** 党建指导: instructor groups with their instructors and assigned organisations, and the visit log. */
import { computed, ref, shallowRef } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchInstructorCandidates, type InstructorCandidate, type InstructorGroup, type Visit } from '@/api/goals'
import { useDialogForm } from '@/composables/useDialogForm'
import { localDay } from '@/pages/goals/tasks/labels'

/** An instructor group has 3 to 5 instructors (worded like the server). */
export const GROUP_MIN = 3
export const GROUP_MAX = 5
export function groupSizeProblem(n: number): string | undefined {
  return n >= GROUP_MIN && n <= GROUP_MAX ? undefined : `每个指导组须有 ${GROUP_MIN}–${GROUP_MAX} 名指导员，现为 ${n} 名`
}

/**
 * The options of the instructor select: the picked ones first, in the order picked (so that their
 * names stay shown whatever the search answers), then the search results.
 */
export function candidateOptions(picked: number[], known: Map<number, InstructorCandidate>, results: InstructorCandidate[]): InstructorCandidate[] {
  const first = picked.map((id) => known.get(id)).filter((c): c is InstructorCandidate => !!c)
  return [...first, ...results.filter((c) => !picked.includes(c.user_id))]
}

export function useInstructors(topOrg: () => number | null = () => null) {
  const groups = shallowRef<InstructorGroup[]>([])
  const groupsError = ref('')
  const visits = shallowRef<Visit[]>([])
  const visitsError = ref('')
  const loading = ref(false)
  const visitOrg = ref<number | null>(null)
  const visitStatus = ref<'' | 'open' | 'closed'>('')

  const shownVisits = computed(() =>
    [...visits.value].filter((v) => !visitStatus.value || v.status === visitStatus.value).sort((a, b) => b.visited_on.localeCompare(a.visited_on) || b.id - a.id),
  )
  const openCount = computed(() => visits.value.filter((v) => v.status === 'open').length)

  async function loadGroups() {
    groupsError.value = ''
    try {
      groups.value = (await unwrap(api.GET('/instructor-groups'))).items
    } catch (e) {
      groups.value = []
      groupsError.value = errorMessage(e)
    }
  }

  async function loadVisits() {
    visitsError.value = ''
    try {
      visits.value = (await unwrap(api.GET('/visits', { params: { query: cleanQuery({ org: visitOrg.value ?? undefined }) } }))).items
    } catch (e) {
      visits.value = []
      visitsError.value = errorMessage(e)
    }
  }

  async function load() {
    loading.value = true
    await Promise.all([loadGroups(), loadVisits()])
    loading.value = false
  }

  function took(g: InstructorGroup) {
    groups.value = groups.value.map((x) => (x.id === g.id ? g : x))
  }

  const assignForm = useDialogForm({
    blank: () => ({ group_id: 0, group_name: '', org_id: null as number | null }),
    check: (f) => ({ org_id: f.org_id == null ? '请选择党组织' : undefined }),
    send: (f) => unwrap(api.POST('/instructor-groups/{id}/assignments', { params: { path: { id: f.group_id } }, body: { org_id: f.org_id! } })),
    fields: ['org_id'],
    onSaved: took,
  })

  // 新建指导组: 3–5 instructors from the candidates (remote search); the first picked leads.
  const candidates = shallowRef<InstructorCandidate[]>([])
  const candidatesLoading = ref(false)
  const knownCandidates = new Map<number, InstructorCandidate>()
  let candidateSeq = 0
  async function searchCandidates(q: string) {
    const mine = ++candidateSeq
    candidatesLoading.value = true
    try {
      const items = (await fetchInstructorCandidates(q)).items
      if (mine !== candidateSeq) return
      for (const c of items) knownCandidates.set(c.user_id, c)
      candidates.value = items
    } catch (e) {
      if (mine === candidateSeq) candidates.value = []
      groupForm.errors.fields.user_ids = errorMessage(e)
    } finally {
      if (mine === candidateSeq) candidatesLoading.value = false
    }
  }

  const groupForm = useDialogForm({
    blank: () => ({ name: '', org_id: topOrg(), user_ids: [] as number[] }),
    check: (f) => ({
      name: f.name.trim() ? undefined : '指导组名称不能为空',
      org_id: f.org_id == null ? '请选择管理指导组的党组织' : undefined,
      user_ids: groupSizeProblem(f.user_ids.length),
    }),
    send: (f) => unwrap(api.POST('/instructor-groups', { body: { name: f.name.trim(), org_id: f.org_id!, user_ids: [...f.user_ids] } })),
    fields: ['name', 'org_id', 'user_ids'],
    onSaved: loadGroups,
  })
  const groupOptions = computed(() => candidateOptions(groupForm.form.user_ids, knownCandidates, candidates.value))
  const leader = computed(() => {
    const id = groupForm.form.user_ids[0]
    return id == null ? null : (knownCandidates.get(id) ?? null)
  })

  async function unassign(groupId: number, orgId: number) {
    took(await unwrap(api.DELETE('/instructor-groups/{id}/assignments/{org_id}', { params: { path: { id: groupId, org_id: orgId } } })))
  }

  const visitForm = useDialogForm({
    blank: () => ({ org_id: null as number | null, visited_on: localDay(), findings: '', follow_ups: '' }),
    check: (f) => ({
      org_id: f.org_id == null ? '请选择走访的党组织' : undefined,
      visited_on: !f.visited_on ? '请填写走访日期' : f.visited_on > localDay() ? '走访日期不能晚于今天' : undefined,
      findings: f.findings.trim() ? undefined : '请填写走访发现',
    }),
    send: (f) =>
      unwrap(
        api.POST('/visits', {
          body: { org_id: f.org_id!, visited_on: f.visited_on, findings: f.findings.trim(), follow_ups: f.follow_ups.trim() || null },
        }),
      ),
    fields: ['org_id', 'visited_on', 'findings', 'follow_ups'],
    onSaved: async () => {
      await Promise.all([loadVisits(), loadGroups()])
    },
  })

  async function closeVisit(v: Visit) {
    const closed = await unwrap(api.POST('/visits/{id}/close', { params: { path: { id: v.id } } }))
    visits.value = visits.value.map((x) => (x.id === v.id ? closed : x))
    await loadGroups()
  }

  return {
    groups,
    groupsError,
    visits,
    visitsError,
    loading,
    visitOrg,
    visitStatus,
    shownVisits,
    openCount,
    load,
    loadVisits,
    assignForm,
    unassign,
    visitForm,
    closeVisit,
    groupForm,
    groupOptions,
    candidatesLoading,
    searchCandidates,
    leader,
  }
}
