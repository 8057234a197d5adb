/** 党建指导: instructor groups with their instructors and assigned organisations, and the visit log. */
import { computed, ref, shallowRef } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { InstructorGroup, Visit } from '@/api/goals'
import { useDialogForm } from '@/composables/useDialogForm'
import { localDay } from '@/pages/goals/labels'

export function useInstructors() {
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

  return { groups, groupsError, visits, visitsError, loading, visitOrg, visitStatus, shownVisits, openCount, load, loadVisits, assignForm, unassign, visitForm, closeVisit }
}
