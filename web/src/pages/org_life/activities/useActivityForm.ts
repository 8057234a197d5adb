/**
 * Create or edit an activity. Times are picked in local time and sent as
 * RFC 3339 UTC; an activity that ended more than BACKDATE_DAYS ago is a
 * back-dated recording (补录): it needs a reason and a county admin's approval.
 * A 组织生活会 or 民主评议 held in January–February says which year it is about;
 * a second activity of the same kind for the organisation that day is confirmed
 * before it is saved.
 */
import { computed, reactive, ref, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import { fetchActivity, type Activity, type ActivityInput } from '@/api/activities'
import { fetchOrg } from '@/api/orgs'
import type { PickedOrg } from '@/components/OrgMultiPicker.vue'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { useSessionStore } from '@/stores/session'
import { BACKDATE_DAYS, isKind } from './kinds'

export interface ActivityFormState {
  kind: string
  topic: string
  range: [Date, Date] | null
  place: string
  online_link: string
  host: string
  lecturer: string
  minutes: string
  orgs: PickedOrg[]
  late_reason: string
  /** The year a 组织生活会 or 民主评议 held in January–February is about. */
  for_year: number | null
}

export const ACTIVITY_FIELDS = [
  'kind',
  'topic',
  'start_at',
  'end_at',
  'place',
  'online_link',
  'host',
  'lecturer',
  'minutes',
  'org_ids',
  'late_reason',
  'for_year',
]

/** Kinds of organisation that hold organisational life of their own (a committee's own is rare): prefilled from the user's grant. */
const HOLDS_ACTIVITIES = ['branch', 'joint_branch', 'general_branch', 'party_group', 'regional_org', 'chain_alliance']

export function blankActivity(): ActivityFormState {
  return { kind: '', topic: '', range: null, place: '', online_link: '', host: '', lecturer: '', minutes: '', orgs: [], late_reason: '', for_year: null }
}

export function fromActivity(a: Activity): ActivityFormState {
  return {
    kind: a.kind,
    topic: a.topic,
    range: [new Date(a.start_at), new Date(a.end_at)],
    place: a.place ?? '',
    online_link: a.online_link ?? '',
    host: a.host ?? '',
    lecturer: a.lecturer ?? '',
    minutes: a.minutes ?? '',
    orgs: a.orgs.map((o) => ({ id: o.id, name: o.name })),
    late_reason: '',
    for_year: a.for_year ?? new Date(a.start_at).getFullYear(),
  }
}

/**
 * The years an activity may count for: a 组织生活会 or 民主评议 held in January or February may be
 * about the previous year (Branch Regulations art. 17, 18); otherwise none to choose.
 */
export function forYearChoices(s: Pick<ActivityFormState, 'kind' | 'range'>): number[] {
  if (!s.range || (s.kind !== 'life_meeting' && s.kind !== 'appraisal')) return []
  const start = s.range[0]
  return start.getMonth() <= 1 ? [start.getFullYear() - 1, start.getFullYear()] : []
}

/** A default time range on `date` (local `YYYY-MM-DD`, default today): 14:30–16:30. */
export function defaultRange(date?: string | null, now: Date = new Date()): [Date, Date] {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null
  const day = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date(now.getFullYear(), now.getMonth(), now.getDate())
  const start = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 14, 30)
  return [start, new Date(start.getTime() + 2 * 3600_000)]
}

/** Whether an activity ending at `end` is a back-dated recording (ended more than BACKDATE_DAYS ago). */
export function isLate(end: Date | null | undefined, now: Date = new Date()): boolean {
  if (!end) return false
  return end.getTime() < now.getTime() - BACKDATE_DAYS * 24 * 3600_000
}

/** The checks the server makes too, so that the user learns before sending. Keys are API field names. */
export function validateActivity(s: ActivityFormState, opts: { creating: boolean; now?: Date }): Record<string, string> {
  const e: Record<string, string> = {}
  if (!s.kind) e.kind = '请选择活动类型'
  if (!s.topic.trim()) e.topic = '请填写主题'
  else if (s.topic.trim().length > 100) e.topic = '主题不超过 100 个字'
  if (!s.range) e.start_at = '请选择活动时间'
  else if (s.range[1] <= s.range[0]) e.start_at = '结束时间应晚于开始时间'
  else if (s.range[1].getTime() - s.range[0].getTime() > 3 * 24 * 3600_000) e.start_at = '一次活动不超过 3 天'
  const link = s.online_link.trim()
  if (!s.place.trim() && !link) e.place = '请填写地点或线上链接'
  if (link && !/^https?:\/\//.test(link)) e.online_link = '线上链接应以 http:// 或 https:// 开头'
  if (s.kind === 'party_lecture' && !s.lecturer.trim()) e.lecturer = '党课请填写授课人'
  if (!s.orgs.length) e.org_ids = '请选择组织'
  if (opts.creating && s.range && isLate(s.range[1], opts.now) && s.late_reason.trim().length < 4) {
    e.late_reason = '补录须说明原因（至少 4 个字）'
  }
  return e
}

/** The request body: every field, empty optional text as "" (which clears it on an edit). */
export function toActivityInput(s: ActivityFormState, opts: { creating: boolean; now?: Date }): ActivityInput {
  const body: ActivityInput = {
    kind: s.kind,
    topic: s.topic.trim(),
    start_at: s.range ? s.range[0].toISOString() : null,
    end_at: s.range ? s.range[1].toISOString() : null,
    place: s.place.trim(),
    online_link: s.online_link.trim(),
    host: s.host.trim(),
    lecturer: s.lecturer.trim(),
    minutes: s.minutes.trim(),
    org_ids: s.orgs.map((o) => o.id),
    // The year it was held unless a previous one is chosen (sent, so that a changed kind or date clears it).
    for_year: s.range ? (forYearChoices(s).includes(s.for_year ?? NaN) ? s.for_year : s.range[0].getFullYear()) : null,
  }
  if (opts.creating && s.range && isLate(s.range[1], opts.now)) body.late_reason = s.late_reason.trim()
  return body
}

export function useActivityForm() {
  const route = useRoute()
  const router = useRouter()
  const session = useSessionStore()
  const id = computed(() => (route.params.id ? Number(route.params.id) : null))
  const creating = computed(() => id.value === null)
  const form = reactive<ActivityFormState>(blankActivity())
  const errors = useFieldErrors()
  const loading = ref(false)
  const loadError = ref('')
  const saving = ref(false)
  const original = ref<Activity | null>(null)
  const late = computed(() => creating.value && isLate(form.range?.[1]))
  const yearChoices = computed(() => forYearChoices(form))
  /** The organisation prefilled from the user's grant: picking another replaces it rather than making a joint activity. */
  const prefilledOrg = ref<number | null>(null)
  // Held in January–February, an annual meeting is usually about the year before: chosen unless changed.
  watch(yearChoices, (c) => {
    if (c.length && !c.includes(form.for_year ?? NaN)) form.for_year = c[0]
  })

  function setOrgs(list: PickedOrg[]) {
    const auto = prefilledOrg.value
    prefilledOrg.value = null
    form.orgs = auto !== null && list.length === 2 && list[0].id === auto ? [list[1]] : list
  }

  async function init() {
    errors.clear()
    loadError.value = ''
    if (!creating.value) {
      loading.value = true
      try {
        const a = await fetchActivity(id.value!)
        original.value = a
        Object.assign(form, fromActivity(a))
      } catch (e) {
        loadError.value = errorMessage(e)
      } finally {
        loading.value = false
      }
      return
    }
    Object.assign(form, blankActivity())
    prefilledOrg.value = null
    form.range = defaultRange(typeof route.query.date === 'string' ? route.query.date : null)
    if (isKind(route.query.kind)) form.kind = route.query.kind
    const orgId = Number(route.query.org) || null
    const grantOrgs = session.grants.filter((g) => g.org_id != null)
    try {
      if (orgId) {
        const o = await fetchOrg(orgId)
        form.orgs = [{ id: o.id, name: o.name }]
      } else if (grantOrgs.length === 1) {
        // Only an organisation that holds activities itself (not a county committee above the branches).
        const o = await fetchOrg(grantOrgs[0].org_id!)
        if (HOLDS_ACTIVITIES.includes(o.kind)) {
          form.orgs = [{ id: o.id, name: o.name }]
          prefilledOrg.value = o.id
        }
      }
    } catch {
      // Not in scope or gone: the user picks one.
    }
  }

  async function save(): Promise<Activity | null> {
    errors.clear()
    const opts = { creating: creating.value }
    const problems = validateActivity(form, opts)
    if (Object.keys(problems).length) {
      Object.assign(errors.fields, problems)
      return null
    }
    saving.value = true
    try {
      const body = toActivityInput(form, opts)
      const send = () =>
        creating.value
          ? unwrap(api.POST('/activities', { body }))
          : unwrap(api.PATCH('/activities/{id}', { params: { path: { id: id.value! } }, body }))
      let saved: Activity
      try {
        saved = await send()
      } catch (e) {
        const duplicate = e instanceof ApiError && e.status === 409 ? e.fieldError('allow_duplicate') : undefined
        if (!duplicate) throw e
        const go = await ElMessageBox.confirm(duplicate, '可能重复录入', {
          confirmButtonText: '仍然保存',
          cancelButtonText: '返回修改',
          type: 'warning',
        }).catch(() => false)
        if (!go) return null
        body.allow_duplicate = true
        saved = await send()
      }
      if (saved.status === 'pending_approval' && creating.value) {
        ElMessage.warning('已提交补录申请，县级管理员审批后生效')
      } else {
        ElMessage.success(creating.value ? '活动已创建' : '已保存')
      }
      await router.replace(`/activities/${saved.id}`)
      return saved
    } catch (e) {
      errors.apply(e, ACTIVITY_FIELDS)
      return null
    } finally {
      saving.value = false
    }
  }

  return { id, creating, form, errors, loading, loadError, saving, original, late, yearChoices, prefilledOrg, setOrgs, init, save }
}
