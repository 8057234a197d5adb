/**
 * 红链直通车: the requests I reach (a branch's own, a department's, the county's), most urgent first,
 * one request with its history and the steps I may take now, submitting one on an enterprise's
 * behalf, and the county's figures by department and category.
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { Category, Rating, RequestAction, RequestDetail, RequestFigures, RequestPage, RequestStatus, ServiceRequest } from '@/api/services'
import { useFieldErrors } from '@/composables/useFieldErrors'

export function useRequests() {
  const filters = reactive<{ status: RequestStatus | ''; overdue: boolean; mine: boolean; page: number }>({ status: '', overdue: false, mine: false, page: 1 })
  const result = shallowRef<RequestPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const query = cleanQuery({ status: filters.status || undefined, overdue: filters.overdue || undefined, mine: filters.mine || undefined, page: filters.page, per_page: 20 })
      const r = await unwrap(api.GET('/service-requests', { params: { query } }))
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(() => [filters.status, filters.overdue, filters.mine], () => (filters.page === 1 ? load() : (filters.page = 1)))
  watch(() => filters.page, load)

  const detail = shallowRef<RequestDetail | null>(null)
  const detailOpen = ref(false)
  async function open(r: Pick<ServiceRequest, 'id'>) {
    detailOpen.value = true
    detail.value = await unwrap(api.GET('/service-requests/{id}', { params: { path: { id: r.id } } }))
  }
  return { filters, result, loading, error, load, detail, detailOpen, open }
}

/** One step on the request shown: the form the step needs (a note, a department, a rating). */
export function useAction(onDone: (d: RequestDetail) => void) {
  const open = ref(false)
  const action = ref<RequestAction>('accept')
  const requestId = ref(0)
  const form = reactive<{ note: string; to_department_id: number | null; rating: Rating | null }>({ note: '', to_department_id: null, rating: null })
  const errors = useFieldErrors()
  const saving = ref(false)
  /** Steps that need nothing typed are taken at once. */
  async function start(id: number, a: RequestAction) {
    requestId.value = id
    action.value = a
    Object.assign(form, { note: '', to_department_id: null, rating: a === 'rate' ? 'satisfied' : null })
    errors.clear()
    if (a === 'accept') await submit()
    else open.value = true
  }
  async function submit() {
    saving.value = true
    try {
      const d = await unwrap(
        api.POST('/service-requests/{id}/actions', {
          params: { path: { id: requestId.value } },
          body: { action: action.value, note: form.note || null, to_department_id: form.to_department_id, rating: form.rating },
        }),
      )
      open.value = false
      onDone(d)
    } catch (e) {
      errors.apply(e, ['note', 'to_department_id', 'rating'])
      if (!open.value && errors.general.value) open.value = true
    } finally {
      saving.value = false
    }
  }
  return { open, action, form, errors, saving, start, submit }
}

export function useSubmit(onDone: (d: RequestDetail) => void) {
  const open = ref(false)
  const categories = ref<Category[]>([])
  const hosts = ref<{ id: number; name: string }[]>([])
  const form = reactive<{ org_id: number | null; host_id: number | null; category_id: number | null; title: string; description: string }>({
    org_id: null,
    host_id: null,
    category_id: null,
    title: '',
    description: '',
  })
  const errors = useFieldErrors()
  const saving = ref(false)
  async function start() {
    Object.assign(form, { org_id: null, host_id: null, category_id: null, title: '', description: '' })
    errors.clear()
    open.value = true
    categories.value = (await unwrap(api.GET('/request-categories'))).items
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
        api.POST('/service-requests', { body: { ...form, category_id: form.category_id ?? 0 } }),
      )
      open.value = false
      onDone(d)
    } catch (e) {
      errors.apply(e, ['org_id', 'host_id', 'category_id', 'title', 'description'])
    } finally {
      saving.value = false
    }
  }
  return { open, categories, hosts, form, errors, saving, start, submit }
}

export function useFigures() {
  const figures = shallowRef<RequestFigures | null>(null)
  const year = ref(new Date().getFullYear())
  const error = ref('')
  async function load() {
    try {
      figures.value = await unwrap(api.GET('/service-requests/figures', { params: { query: { year: year.value } } }))
    } catch (e) {
      error.value = errorMessage(e)
    }
  }
  watch(year, load)
  return { figures, year, error, load }
}

/** The departments' bars: received split into on time, overdue and still open within the limit. */
export function departmentChart(f: RequestFigures) {
  const rows = f.by_department.filter((r) => r.received > 0).sort((a, b) => b.received - a.received)
  const names = rows.map((r) => r.name.replace(/^县/, ''))
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { rotate: 40, fontSize: 11 } },
    yAxis: { type: 'value', name: '件' },
    series: [
      { name: '按时办结', type: 'bar', stack: 'n', data: rows.map((r) => r.on_time), itemStyle: { color: '#2e86c1' } },
      { name: '逾期', type: 'bar', stack: 'n', data: rows.map((r) => r.overdue), itemStyle: { color: '#c0392b' } },
      { name: '办理中', type: 'bar', stack: 'n', data: rows.map((r) => Math.max(0, r.received - r.on_time - r.overdue)), itemStyle: { color: '#d4a017' } },
    ],
  }
}

/** Satisfaction by category (percent), the categories with ratings only. */
export function satisfactionChart(f: RequestFigures) {
  const rows = f.by_category.filter((r) => r.satisfaction_pct != null)
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v}%` },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true },
    series: [{ name: '满意率', type: 'bar', data: rows.map((r) => r.satisfaction_pct), itemStyle: { color: '#c0392b' }, label: { show: true, position: 'right', formatter: '{c}%' } }],
  }
}
