/**
 * 党建联盟 detail: members by their "2+1+X+N" role, part-time members (兼职委员), the rota of
 * rotating secretaries (轮值书记) for the next twelve months, swaps and handovers; the edit forms
 * for whoever may edit it (`can_edit`).
 */
import { computed, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import type { CommunityDetail, CommunityMember, RoleLabel, Rota, RotaItem } from '@/api/goals'
import { useDialogForm } from '@/composables/useDialogForm'
import { localDay } from '@/pages/goals/tasks/labels'

export const ROLE_ORDER = ['lead', 'coordinator', 'member', 'partner']
const DEFAULT_ROLE_LABELS: Record<string, string> = { lead: '牵头单位', coordinator: '协调部门', member: '成员单位', partner: '合作单位' }

export interface RoleGroup {
  role: string
  label: string
  members: CommunityMember[]
}

/** Members grouped by role in the configured order (empty roles kept so that the editor can add to them). */
export function groupMembers(members: CommunityMember[], labels: RoleLabel[]): RoleGroup[] {
  const known = labels.length ? labels : ROLE_ORDER.map((role) => ({ role, label: DEFAULT_ROLE_LABELS[role] }))
  const groups = known.map((l) => ({ role: l.role, label: l.label, members: members.filter((m) => m.role === l.role) }))
  for (const m of members) {
    if (!known.some((l) => l.role === m.role)) {
      let g = groups.find((x) => x.role === m.role)
      if (!g) groups.push((g = { role: m.role, label: m.role_label, members: [] }))
      g.members.push(m)
    }
  }
  return groups
}

/** `from` and `to` of the rota shown: today and twelve months later. */
export function rotaWindow(now: Date = new Date()): { from: string; to: string } {
  const to = new Date(now.getFullYear(), now.getMonth() + 12, now.getDate())
  return { from: localDay(now), to: localDay(to) }
}

export function isCurrent(item: Pick<RotaItem, 'start' | 'end'>, today: string): boolean {
  return item.start <= today && today <= item.end
}

export function useCommunity() {
  const route = useRoute()
  const id = computed(() => Number(route.params.id))
  const detail = shallowRef<CommunityDetail | null>(null)
  const rotaItems = shallowRef<RotaItem[]>([])
  const loading = ref(false)
  const error = ref('')
  const rotaError = ref('')
  const today = localDay()

  const groups = computed(() => groupMembers(detail.value?.members ?? [], detail.value?.role_labels ?? []))
  const rota = computed<Rota | null>(() => detail.value?.rota ?? null)
  const hasRota = computed(() => !!rota.value && rota.value.months > 0 && rota.value.secretaries.length > 0)
  const canEdit = computed(() => detail.value?.can_edit === true)
  /** Terms one may swap or write a handover for: the shown rota, current first. */
  const terms = computed(() => rotaItems.value)
  const handovers = computed(() => [...(rota.value?.handovers ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at)))

  async function loadRota() {
    rotaError.value = ''
    if (!hasRota.value) {
      rotaItems.value = []
      return
    }
    try {
      const res = await unwrap(api.GET('/alliances/{id}/rota', { params: { path: { id: id.value }, query: rotaWindow() } }))
      rotaItems.value = res.items
    } catch (e) {
      rotaItems.value = []
      rotaError.value = errorMessage(e)
    }
  }

  async function load() {
    loading.value = true
    error.value = ''
    try {
      detail.value = await unwrap(api.GET('/communities/{id}', { params: { path: { id: id.value } } }))
      await loadRota()
    } catch (e) {
      detail.value = null
      error.value = e instanceof ApiError && (e.status === 403 || e.status === 404) ? '联盟不存在或无权查看' : errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  /** A write answered the community (or its rota): take it and reload the rota timeline. */
  async function took(d: CommunityDetail) {
    detail.value = d
    await loadRota()
  }
  async function tookRota(r: Rota) {
    if (detail.value) detail.value = { ...detail.value, rota: r }
    await loadRota()
  }

  const memberForm = useDialogForm({
    blank: () => ({ org_id: null as number | null, role: 'member', since: today as string | null }),
    check: (f) => (f.org_id == null ? { org_id: '请选择党组织' } : {}),
    send: (f) =>
      unwrap(api.PUT('/communities/{id}/members', { params: { path: { id: id.value } }, body: { org_id: f.org_id!, role: f.role, since: f.since || null } })),
    fields: ['org_id', 'role', 'since'],
    onSaved: took,
  })

  async function removeMember(orgId: number) {
    await took(await unwrap(api.DELETE('/communities/{id}/members/{org_id}', { params: { path: { id: id.value, org_id: orgId } } })))
  }

  const partTimeForm = useDialogForm({
    blank: () => ({ name: '', unit: '', position: '' }),
    check: (f) => {
      const e: Record<string, string> = {}
      if (!f.name.trim()) e.name = '请填写姓名'
      if (!f.unit.trim()) e.unit = '请填写所在单位'
      return e
    },
    send: (f) =>
      unwrap(
        api.POST('/communities/{id}/part-time-members', {
          params: { path: { id: id.value } },
          body: { name: f.name.trim(), unit: f.unit.trim(), position: f.position.trim() || null },
        }),
      ),
    fields: ['name', 'unit', 'position'],
    onSaved: async () => load(),
  })

  const rotaForm = useDialogForm({
    blank: () => ({ anchor: today, months: 3 }),
    check: (f) => (!f.anchor ? { anchor: '请填写首任开始日期' } : f.months < 1 ? { months: '每任月数须至少为 1' } : {}),
    send: (f) => unwrap(api.PUT('/alliances/{id}/rota', { params: { path: { id: id.value } }, body: { anchor: f.anchor, months: f.months } })),
    fields: ['anchor', 'months'],
    onSaved: tookRota,
  })

  const secretaryForm = useDialogForm({
    blank: () => ({ name: '', org_id: null as number | null }),
    check: (f) => (!f.name.trim() ? { name: '请填写轮值书记姓名' } : {}),
    send: (f) => unwrap(api.POST('/alliances/{id}/secretaries', { params: { path: { id: id.value } }, body: { name: f.name.trim(), org_id: f.org_id } })),
    fields: ['name', 'org_id'],
    onSaved: tookRota,
  })

  const swapForm = useDialogForm({
    blank: () => ({ term_start: '', secretary_id: null as number | null, reason: '' }),
    check: (f) => {
      const e: Record<string, string> = {}
      if (!f.term_start) e.term_start = '请选择任期'
      if (f.secretary_id == null) e.secretary_id = '请选择接任的轮值书记'
      if (!f.reason.trim()) e.reason = '请填写调换原因'
      return e
    },
    send: (f) =>
      unwrap(
        api.POST('/alliances/{id}/swaps', {
          params: { path: { id: id.value } },
          body: { term_start: f.term_start, secretary_id: f.secretary_id!, reason: f.reason.trim() },
        }),
      ),
    fields: ['term_start', 'secretary_id', 'reason'],
    onSaved: tookRota,
  })

  const handoverForm = useDialogForm({
    blank: () => ({ term_start: '', note: '' }),
    check: (f) => {
      const e: Record<string, string> = {}
      if (!f.term_start) e.term_start = '请选择任期'
      if (!f.note.trim()) e.note = '请填写交接内容'
      return e
    },
    send: (f) => unwrap(api.POST('/alliances/{id}/handovers', { params: { path: { id: id.value } }, body: { term_start: f.term_start, note: f.note.trim() } })),
    fields: ['term_start', 'note'],
    onSaved: tookRota,
  })

  return {
    id,
    detail,
    rota,
    rotaItems,
    terms,
    handovers,
    loading,
    error,
    rotaError,
    today,
    groups,
    hasRota,
    canEdit,
    load,
    removeMember,
    memberForm,
    partTimeForm,
    rotaForm,
    secretaryForm,
    swapForm,
    handoverForm,
  }
}
