/**
 * 诉求与建议: the needs I reach (my organisations' as the service team), open ones first; one need
 * with its thread, the suggested matches and their reasons; accepting one, replying, recording the
 * outcome; recording a need for an enterprise or a member of my organisation.
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchNeed, replyNeed, type MatchKind, type NeedDetail, type NeedKind, type NeedPage, type NeedSource, type NeedStatus, type Suggestion } from '@/api/services'
import { useFieldErrors } from '@/composables/useFieldErrors'

export function useNeeds() {
  const filters = reactive<{ status: NeedStatus | ''; kind: NeedKind | ''; source: NeedSource | ''; page: number }>({ status: '', kind: '', source: '', page: 1 })
  const result = shallowRef<NeedPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const query = cleanQuery({ status: filters.status || undefined, kind: filters.kind || undefined, source: filters.source || undefined, page: filters.page, per_page: 20 })
      const r = await unwrap(api.GET('/needs', { params: { query } }))
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(() => [filters.status, filters.kind, filters.source], () => (filters.page === 1 ? load() : (filters.page = 1)))
  watch(() => filters.page, load)
  return { filters, result, loading, error, load }
}

/** The drawer: one need, its thread and what the service team does with it. */
export function useNeedDetail(onChange: () => void) {
  const detail = shallowRef<NeedDetail | null>(null)
  const open = ref(false)
  const reply = ref('')
  const busy = ref(false)
  const errors = useFieldErrors()
  const outcome = reactive<{ open: boolean; resolved: boolean; note: string }>({ open: false, resolved: true, note: '' })
  async function show(id: number) {
    open.value = true
    errors.clear()
    reply.value = ''
    detail.value = await fetchNeed(id)
  }
  async function run(f: () => Promise<NeedDetail>, fields: string[]) {
    busy.value = true
    try {
      detail.value = await f()
      errors.clear()
      onChange()
      return true
    } catch (e) {
      errors.apply(e, fields)
      return false
    } finally {
      busy.value = false
    }
  }
  async function send() {
    const d = detail.value
    if (!d) return
    if (await run(() => replyNeed(d.need.id, reply.value), ['body'])) reply.value = ''
  }
  async function accept(s: Suggestion, createRequest = false) {
    const d = detail.value
    if (!d) return
    const kind: MatchKind = s.kind
    await run(
      () => unwrap(api.POST('/needs/{id}/accept', { params: { path: { id: d.need.id } }, body: { kind, id: s.id, create_request: createRequest } })),
      ['id', 'note', 'create_request'],
    )
  }
  function startOutcome(resolved: boolean) {
    Object.assign(outcome, { open: true, resolved, note: '' })
    errors.clear()
  }
  async function saveOutcome() {
    const d = detail.value
    if (!d) return
    const ok = await run(
      () => unwrap(api.POST('/needs/{id}/outcome', { params: { path: { id: d.need.id } }, body: { resolved: outcome.resolved, note: outcome.note || null } })),
      ['note'],
    )
    if (ok) outcome.open = false
  }
  return { detail, open, reply, busy, errors, outcome, show, send, accept, startOutcome, saveOutcome }
}

/** Recording a need in the console for an enterprise of the organisation's registry or one of its members. */
export function useRecord(onDone: (d: NeedDetail) => void) {
  const open = ref(false)
  const hosts = ref<{ id: number; name: string }[]>([])
  const form = reactive<{
    org_id: number | null
    who: 'host' | 'member'
    host_id: number | null
    member_id: number | null
    kind: NeedKind
    source: NeedSource
    title: string
    description: string
    tags: string[]
  }>({ org_id: null, who: 'host', host_id: null, member_id: null, kind: 'need', source: 'console', title: '', description: '', tags: [] })
  const errors = useFieldErrors()
  const saving = ref(false)
  function start() {
    Object.assign(form, { org_id: null, who: 'host', host_id: null, member_id: null, kind: 'need', source: 'console', title: '', description: '', tags: [] })
    errors.clear()
    open.value = true
  }
  watch(
    () => form.org_id,
    async (org) => {
      form.host_id = null
      hosts.value = []
      if (org == null) return
      hosts.value = (await unwrap(api.GET('/service-requests/hosts', { params: { query: { org } } }))).items
    },
  )
  async function submit() {
    saving.value = true
    try {
      const d = await unwrap(
        api.POST('/needs', {
          body: {
            kind: form.kind,
            source: form.source,
            title: form.title,
            description: form.description,
            tags: form.tags,
            org_id: form.org_id ?? 0,
            host_id: form.who === 'host' ? form.host_id : null,
            member_id: form.who === 'member' ? form.member_id : null,
          },
        }),
      )
      open.value = false
      onDone(d)
    } catch (e) {
      errors.apply(e, ['org_id', 'host_id', 'member_id', 'kind', 'source', 'title', 'description', 'tags'])
    } finally {
      saving.value = false
    }
  }
  return { open, hosts, form, errors, saving, start, submit }
}
