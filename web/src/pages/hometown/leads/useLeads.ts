/**
 * 项目线索: the leads of my organisations (in the pipeline first, the longest unmoved first) with the
 * filters kept in the address (the workbench links `?stale=true`); one lead with its steps and the
 * stages it may move to; recording and correcting a lead; the ledger as xlsx or PDF; the county's
 * reminder days.
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router'
import { ElMessage } from 'element-plus'
import { api, cleanQuery, unwrap } from '@/api/client'
import { downloadFile } from '@/api/download'
import { errorMessage } from '@/api/errors'
import {
  LEAD_STAGES,
  SECTORS,
  fetchLead,
  fetchSettings,
  isFinal,
  saveSettings,
  todayBeijing,
  type Lead,
  type LeadDetail,
  type LeadPage,
  type LeadStage,
  type Sector,
} from '@/api/hometown'
import { useFieldErrors } from '@/composables/useFieldErrors'

export const PER_PAGE = 20

export interface LeadFilters {
  stage: LeadStage | ''
  sector: Sector | ''
  org_id: number | null
  drive_id: number | null
  stale: boolean
  q: string
  page: number
}

export function blankFilters(): LeadFilters {
  return { stage: '', sector: '', org_id: null, drive_id: null, stale: false, q: '', page: 1 }
}

function one(v: LocationQuery[string]): string {
  return (Array.isArray(v) ? v[0] : v) ?? ''
}

function positive(v: string): number | null {
  const n = Number(v)
  return Number.isSafeInteger(n) && n > 0 ? n : null
}

/** The filters an address asks for (`/hometown/leads?stale=true&stage=signed`); unknown values are ignored. */
export function filtersFromQuery(q: LocationQuery): LeadFilters {
  const stage = one(q.stage)
  const sector = one(q.sector)
  return {
    stage: LEAD_STAGES.some((s) => s.value === stage) ? (stage as LeadStage) : '',
    sector: SECTORS.some((s) => s.value === sector) ? (sector as Sector) : '',
    org_id: positive(one(q.org_id)),
    drive_id: positive(one(q.drive_id)),
    stale: one(q.stale) === 'true' || one(q.stale) === '1',
    q: one(q.q).slice(0, 50),
    page: positive(one(q.page)) ?? 1,
  }
}

/** The address of the filters: only what is set, page 1 left out. */
export function filtersToQuery(f: LeadFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.stage) out.stage = f.stage
  if (f.sector) out.sector = f.sector
  if (f.org_id != null) out.org_id = String(f.org_id)
  if (f.drive_id != null) out.drive_id = String(f.drive_id)
  if (f.stale) out.stale = 'true'
  if (f.q.trim()) out.q = f.q.trim()
  if (f.page > 1) out.page = String(f.page)
  return out
}

/** The API's query for the filters (the ledger's too, without the page). */
export function apiQuery(f: LeadFilters, withPage = true) {
  return cleanQuery({
    stage: f.stage || undefined,
    sector: f.sector || undefined,
    org_id: f.org_id ?? undefined,
    drive_id: f.drive_id ?? undefined,
    stale: f.stale || undefined,
    q: f.q.trim() || undefined,
    ...(withPage ? { page: f.page, per_page: PER_PAGE } : {}),
  })
}

function sameQuery(a: Record<string, string>, b: LocationQuery | LocationQueryRaw): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b).filter((k) => k !== 'id')])
  for (const k of keys) if ((a[k] ?? '') !== one((b as LocationQuery)[k])) return false
  return true
}

export function useLeads() {
  const route = useRoute()
  const router = useRouter()
  const filters = reactive<LeadFilters>(filtersFromQuery(route.query))
  const result = shallowRef<LeadPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await unwrap(api.GET('/investment-leads', { params: { query: apiQuery(filters) } }))
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  // A filter changed: back to page 1 (which loads), else load now.
  watch(
    () => [filters.stage, filters.sector, filters.org_id, filters.drive_id, filters.stale, filters.q],
    () => (filters.page === 1 ? load() : (filters.page = 1)),
  )
  watch(() => filters.page, load)
  // The address follows the filters, and the filters the address (a link, back and forward).
  watch(
    () => filtersToQuery(filters),
    (q) => {
      if (!sameQuery(q, route.query)) void router.replace({ query: q })
    },
  )
  watch(
    () => route.query,
    (q) => {
      if (route.name !== 'hometown-leads' || sameQuery(filtersToQuery(filters), q)) return
      Object.assign(filters, filtersFromQuery(q))
    },
  )
  function reset() {
    Object.assign(filters, blankFilters())
  }

  const exporting = ref(false)
  async function exportLedger(format: 'xlsx' | 'pdf') {
    exporting.value = true
    try {
      const name = await downloadFile(`/investment-leads/ledger.${format}`, apiQuery(filters, false), `回乡工程项目线索台账.${format}`)
      ElMessage.success(`已导出：${name}`)
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      exporting.value = false
    }
  }
  return { filters, result, loading, error, load, reset, exporting, exportLedger }
}

export interface StepForm {
  to: LeadStage | ''
  on: string
  note: string
  landed: string
  reason: string
  next_step: string
  next_step_on: string | null
}

/** The body of a step: the amount only for a landing, the reason only for a drop, no next step once final. */
export function stepBody(f: StepForm) {
  const to = f.to as LeadStage
  return {
    to,
    on: f.on,
    note: f.note.trim() || null,
    landed: to === 'landed' ? f.landed.trim() : null,
    reason: to === 'dropped' ? f.reason.trim() : null,
    next_step: isFinal(to) ? null : f.next_step.trim(),
    next_step_on: isFinal(to) ? null : f.next_step_on || null,
  }
}

/** The drawer: one lead, its steps, and moving it on. */
export function useLeadDetail(onChange: (d: LeadDetail) => void) {
  const detail = shallowRef<LeadDetail | null>(null)
  const open = ref(false)
  const loadError = ref('')
  const busy = ref(false)
  const errors = useFieldErrors()
  const step = reactive<StepForm>({ to: '', on: todayBeijing(), note: '', landed: '', reason: '', next_step: '', next_step_on: null })

  // A field changed after the server refused it: its message goes.
  for (const k of ['to', 'on', 'note', 'landed', 'reason', 'next_step', 'next_step_on'] as const) {
    watch(
      () => step[k],
      () => {
        delete errors.fields[k]
      },
    )
  }
  function resetStep(d: LeadDetail) {
    const next = d.next_stages.find((s) => s.stage !== 'dropped') ?? d.next_stages[0]
    Object.assign(step, {
      to: next?.stage ?? '',
      on: todayBeijing(),
      note: '',
      landed: '',
      reason: '',
      next_step: d.lead.next_step,
      next_step_on: d.lead.next_step_on ?? null,
    })
    errors.clear()
  }
  function set(d: LeadDetail) {
    detail.value = d
    resetStep(d)
  }
  async function show(id: number) {
    open.value = true
    loadError.value = ''
    if (detail.value?.lead.id !== id) detail.value = null
    try {
      set(await fetchLead(id))
    } catch (e) {
      loadError.value = errorMessage(e)
    }
  }
  async function move() {
    const d = detail.value
    if (!d) return
    if (!step.to) {
      errors.clear()
      errors.fields.to = '请选择推进到的阶段'
      return
    }
    busy.value = true
    try {
      const r = await unwrap(api.POST('/investment-leads/{id}/steps', { params: { path: { id: d.lead.id } }, body: stepBody(step) }))
      set(r)
      onChange(r)
    } catch (e) {
      errors.apply(e, ['to', 'on', 'note', 'landed', 'reason', 'next_step', 'next_step_on'])
    } finally {
      busy.value = false
    }
  }
  return { detail, open, loadError, busy, errors, step, show, set, move }
}

export interface LeadFormState {
  org_id: number | null
  drive_id: number | null
  project: string
  sector: Sector | ''
  investor: string
  member_id: number | null
  city: string
  town: string
  amount: string
  recorded_on: string
  next_step: string
  next_step_on: string | null
}

export const LEAD_FIELDS = ['org_id', 'drive_id', 'project', 'sector', 'investor', 'member_id', 'city', 'town', 'amount', 'recorded_on', 'next_step', 'next_step_on']

export function blankLead(): LeadFormState {
  return {
    org_id: null,
    drive_id: null,
    project: '',
    sector: '',
    investor: '',
    member_id: null,
    city: '',
    town: '',
    amount: '',
    recorded_on: todayBeijing(),
    next_step: '',
    next_step_on: null,
  }
}

/** The body of a new or corrected lead (the server reads the amount in yuan as typed). */
export function leadBody(f: LeadFormState, editing: boolean) {
  return {
    org_id: f.org_id ?? 0,
    drive_id: f.drive_id,
    project: f.project,
    sector: (f.sector || 'other') as Sector,
    investor: f.investor,
    member_id: f.member_id,
    city: f.city.trim() || null,
    town: f.town,
    amount: f.amount,
    next_step: f.next_step.trim() || null,
    next_step_on: f.next_step_on || null,
    recorded_on: editing ? null : f.recorded_on || null,
  }
}

/** Local checks worded like the server's (it checks everything again). */
export function checkLead(f: LeadFormState): Record<string, string> {
  const e: Record<string, string> = {}
  if (f.org_id == null) e.org_id = '请选择跟进的党组织'
  if (!f.sector) e.sector = '请选择行业'
  return e
}

export function useLeadForm(onSaved: (d: LeadDetail) => void) {
  const open = ref(false)
  const editing = ref<Lead | null>(null)
  const form = reactive<LeadFormState>(blankLead())
  const errors = useFieldErrors()
  const saving = ref(false)
  function start(init: Partial<LeadFormState> = {}, lead: Lead | null = null) {
    editing.value = lead
    Object.assign(form, blankLead(), init)
    errors.clear()
    open.value = true
  }
  async function submit() {
    errors.clear()
    const local = checkLead(form)
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return
    }
    saving.value = true
    try {
      const lead = editing.value
      const body = leadBody(form, !!lead)
      const d = lead
        ? await unwrap(api.PATCH('/investment-leads/{id}', { params: { path: { id: lead.id } }, body }))
        : await unwrap(api.POST('/investment-leads', { body }))
      open.value = false
      ElMessage.success(lead ? '已保存' : `已登记线索：${d.lead.project}`)
      onSaved(d)
    } catch (e) {
      errors.apply(e, LEAD_FIELDS)
    } finally {
      saving.value = false
    }
  }
  return { open, editing, form, errors, saving, start, submit }
}

/** The county's reminder days: read by all, set by county admins (settings.business). */
export function useStaleSetting() {
  const days = ref<number | null>(null)
  const draft = ref(30)
  const saving = ref(false)
  const error = ref('')
  async function load() {
    try {
      days.value = (await fetchSettings()).stale_days
      draft.value = days.value
    } catch (e) {
      error.value = errorMessage(e)
    }
  }
  async function save(): Promise<boolean> {
    saving.value = true
    error.value = ''
    try {
      days.value = (await saveSettings(draft.value)).stale_days
      ElMessage.success(`提醒天数已设为 ${days.value} 天`)
      return true
    } catch (e) {
      error.value = errorMessage(e)
      return false
    } finally {
      saving.value = false
    }
  }
  return { days, draft, saving, error, load, save }
}
