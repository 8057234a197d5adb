/**
 * 送政策、送服务、送温暖上门: the visits of my subtree, newest first; recording one (enterprise of the
 * organisation's registry, what was delivered, the policies and requests it delivered); the year's
 * visits by month and kind.
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { OutreachFigures, OutreachKind, OutreachPage, OutreachVisit } from '@/api/services'
import { useFieldErrors } from '@/composables/useFieldErrors'

export function useOutreach() {
  const filters = reactive<{ kind: OutreachKind | ''; year: number | null; page: number }>({ kind: '', year: null, page: 1 })
  const result = shallowRef<OutreachPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const query = cleanQuery({ kind: filters.kind || undefined, year: filters.year ?? undefined, page: filters.page, per_page: 20 })
      const r = await unwrap(api.GET('/outreach-visits', { params: { query } }))
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(() => [filters.kind, filters.year], () => (filters.page === 1 ? load() : (filters.page = 1)))
  watch(() => filters.page, load)
  async function remove(v: OutreachVisit) {
    await unwrap(api.DELETE('/outreach-visits/{id}', { params: { path: { id: v.id } } }))
    await load()
  }
  return { filters, result, loading, error, load, remove }
}

type Option = { id: number; name: string }

/** The form of a visit, new or changed. */
export function useVisitForm(onDone: () => void) {
  const open = ref(false)
  const editing = ref<number | null>(null)
  const hosts = ref<Option[]>([])
  const policyOptions = ref<Option[]>([])
  const requestOptions = ref<Option[]>([])
  const form = reactive<{
    org_id: number | null
    host_id: number | null
    visited_on: string
    kinds: OutreachKind[]
    visitors: string
    summary: string
    policy_ids: number[]
    request_ids: number[]
  }>({ org_id: null, host_id: null, visited_on: '', kinds: [], visitors: '', summary: '', policy_ids: [], request_ids: [] })
  const errors = useFieldErrors()
  const saving = ref(false)
  let keepHost = false
  const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
  async function start(v?: OutreachVisit) {
    errors.clear()
    editing.value = v?.id ?? null
    keepHost = !!v
    Object.assign(form, {
      org_id: v?.org.id ?? null,
      host_id: v?.host_id ?? null,
      visited_on: v?.visited_on ?? today(),
      kinds: v ? [...v.kinds] : [],
      visitors: v?.visitors ?? '',
      summary: v?.summary ?? '',
      policy_ids: v?.policies.map((p) => p.id) ?? [],
      request_ids: v?.requests.map((r) => r.id) ?? [],
    })
    policyOptions.value = v?.policies.map((p) => ({ id: p.id, name: p.title })) ?? []
    requestOptions.value = v?.requests.map((r) => ({ id: r.id, name: r.title })) ?? []
    open.value = true
    const reqs = await unwrap(api.GET('/service-requests', { params: { query: { per_page: 100 } } })).catch(() => null)
    for (const r of reqs?.items ?? []) {
      if (!requestOptions.value.some((x) => x.id === r.id)) requestOptions.value.push({ id: r.id, name: `${r.title}（${r.status_label}）` })
    }
  }
  watch(
    () => form.org_id,
    async (org) => {
      if (!keepHost) form.host_id = null
      keepHost = false
      hosts.value = []
      if (org == null) return
      hosts.value = (await unwrap(api.GET('/service-requests/hosts', { params: { query: { org } } }))).items
    },
  )
  async function searchPolicies(q: string) {
    if (!q.trim()) return
    const r = await unwrap(api.GET('/policies', { params: { query: { q, per_page: 20 } } }))
    const chosen = policyOptions.value.filter((p) => form.policy_ids.includes(p.id))
    policyOptions.value = [...chosen, ...r.items.filter((p) => !form.policy_ids.includes(p.id)).map((p) => ({ id: p.id, name: p.title }))]
  }
  async function submit() {
    saving.value = true
    try {
      const body = { ...form, org_id: form.org_id ?? 0, host_id: form.host_id ?? 0 }
      if (editing.value) await unwrap(api.PATCH('/outreach-visits/{id}', { params: { path: { id: editing.value } }, body }))
      else await unwrap(api.POST('/outreach-visits', { body }))
      open.value = false
      onDone()
    } catch (e) {
      errors.apply(e, ['org_id', 'host_id', 'visited_on', 'kinds', 'visitors', 'summary', 'policy_ids', 'request_ids'])
    } finally {
      saving.value = false
    }
  }
  return { open, editing, hosts, policyOptions, requestOptions, form, errors, saving, start, submit, searchPolicies }
}

export function useOutreachFigures() {
  const figures = shallowRef<OutreachFigures | null>(null)
  const year = ref(new Date().getFullYear())
  const error = ref('')
  async function load() {
    try {
      figures.value = await unwrap(api.GET('/outreach-visits/figures', { params: { query: { year: year.value } } }))
      error.value = ''
    } catch (e) {
      error.value = errorMessage(e)
    }
  }
  watch(year, load)
  return { figures, year, error, load }
}

/** Visits by month, one bar per kind (a visit delivering two kinds counts under each). */
export function monthChart(f: OutreachFigures) {
  const months = f.months.map((m) => `${m.month}月`)
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', name: '次', minInterval: 1 },
    series: [
      { name: '送政策', type: 'bar', data: f.months.map((m) => m.policy), itemStyle: { color: '#c0392b' } },
      { name: '送服务', type: 'bar', data: f.months.map((m) => m.service), itemStyle: { color: '#2e86c1' } },
      { name: '送温暖', type: 'bar', data: f.months.map((m) => m.warmth), itemStyle: { color: '#d4a017' } },
    ],
  }
}
