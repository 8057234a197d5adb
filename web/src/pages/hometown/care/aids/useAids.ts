/**
 * 助学申请 (关爱工程): the students' applications of my organisations by year and status, those
 * waiting first; proposing a student; one application in the drawer with its steps — the branch's
 * review, the fund committee's decision (the public notice starts), the payment after the notice —
 * its objections (recorded while the notice runs, handled by the county), and the renewal for the
 * next year. What the signed-in user may do comes with each application (can_*).
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchAid, fetchCareSettings, payMethodLabel, type Aid, type AidDetail, type AidInput, type AidPage, type AidStatus, type AidStep, type AidStepInput, type Objection, type ObjectionHandling, type ObjectionInput, type PayMethod } from '@/api/care'
import { todayBeijing } from '@/api/hometown'
import type { SessionGrant } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { fenToYuan, yuanToFen } from '../../money'

export const PER_PAGE = 20

export interface AidFilters {
  year: number | null
  status: AidStatus | ''
  page: number
}

export function thisYear(today: string = todayBeijing()): number {
  return Number(today.slice(0, 4))
}

export function aidQuery(f: AidFilters) {
  return cleanQuery({ year: f.year ?? undefined, status: f.status || undefined, page: f.page, per_page: PER_PAGE })
}

export function useAids() {
  const filters = reactive<AidFilters>({ year: thisYear(), status: '', page: 1 })
  const result = shallowRef<AidPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await unwrap(api.GET('/care-aids', { params: { query: aidQuery(filters) } }))
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(
    () => [filters.year, filters.status],
    () => (filters.page === 1 ? load() : (filters.page = 1)),
  )
  watch(() => filters.page, load)
  return { filters, result, loading, error, load }
}

/** "¥3,000.00" of fen, or "—". */
export function yuan(fen: number | null | undefined): string {
  return fen == null ? '—' : fenToYuan(fen)
}

/** Where an application on notice stands: still shown in public, or the notice is over. */
export function noticeLine(a: Pick<Aid, 'status' | 'notice_until'>, today: string = todayBeijing()): { text: string; over: boolean } | null {
  if (a.status !== 'notice' || !a.notice_until) return null
  return today <= a.notice_until ? { text: `公示中，至 ${a.notice_until}`, over: false } : { text: '公示期满，可发放', over: true }
}

export interface TimelineItem {
  key: string
  title: string
  on: string | null
  lines: string[]
  color: string
  /** Not done yet (the notice still running). */
  pending?: boolean
}

const GREY = '#909399'
const BLUE = '#409eff'
const GOLD = '#e6a23c'
const GREEN = '#67c23a'
const RED = '#c8161d'

/**
 * The application's way so far: proposed, reviewed, decided, shown in public, paid — or where it
 * stopped. A review that refused is one without a decision on a refused application; a decision
 * that granted is one with an approved amount (an upheld objection keeps it, and stops the aid).
 */
export function aidTimeline(a: Aid, objections: Objection[], today: string = todayBeijing()): TimelineItem[] {
  const out: TimelineItem[] = [
    { key: 'applied', title: '推荐申请', on: a.applied_on, lines: [`${a.org.name}推荐，申请 ${yuan(a.asked_fen)} 元${a.renewal_of ? '（续助）' : ''}`], color: GREY },
  ]
  if (a.reviewed_on) {
    const refused = a.status === 'rejected' && !a.decided_on
    out.push({
      key: 'reviewed',
      title: refused ? '支部审核：不通过' : '支部审核：通过',
      on: a.reviewed_on,
      lines: a.review_note ? [a.review_note] : [],
      color: refused ? RED : BLUE,
    })
  }
  if (a.decided_on) {
    const granted = a.approved_fen != null
    const upheld = objections.filter((o) => o.upheld === true)
    const note = a.decision_note
    out.push({
      key: 'decided',
      title: granted ? `基金会决定：资助 ${yuan(a.approved_fen)} 元` : '基金会决定：不予资助',
      on: a.decided_on,
      lines: note ? [note] : [],
      color: granted ? GOLD : RED,
    })
    if (granted && a.notice_until) {
      const running = a.status === 'notice' && today <= a.notice_until
      const lines = [`${a.notice_from ? `${a.notice_from} 起` : ''}公示至 ${a.notice_until}${running ? '，公示中' : '，公示期满'}`]
      if (objections.length) lines.push(`收到异议 ${objections.length} 条${objections.some((o) => o.upheld == null) ? `，${objections.filter((o) => o.upheld == null).length} 条待处理` : ''}`)
      // Published the day the decision was recorded, until its last working day.
      out.push({ key: 'notice', title: '公示', on: a.notice_from ?? null, lines, color: GOLD, pending: running })
      if (upheld.length) {
        const o = upheld[0]
        out.push({ key: 'stopped', title: '异议成立，终止资助', on: o.handled_on ?? null, lines: [o.handling], color: RED })
      }
    }
  }
  if (a.status === 'disbursed') {
    out.push({
      key: 'disbursed',
      title: `发放 ${yuan(a.disbursed_fen)} 元`,
      on: a.disbursed_on ?? null,
      lines: [`发放方式：${payMethodLabel(a.method)}`],
      color: GREEN,
    })
  }
  return out
}

export interface StepForm {
  pass: boolean
  on: string
  note: string
  amount: string
  method: PayMethod
}

/** The step the user may take now, if any (the flags are the server's; only one holds at a time). */
export function stepOf(a: Pick<Aid, 'can_review' | 'can_decide' | 'can_disburse'>): AidStep | null {
  if (a.can_review) return 'review'
  if (a.can_decide) return 'decide'
  if (a.can_disburse) return 'disburse'
  return null
}

/** The body of a step: a pass only for a review or decision, the amount only for a granting decision, the method only for a payment. */
export function stepBody(step: AidStep, f: StepForm): AidStepInput {
  const note = f.note.trim() || null
  if (step === 'disburse') return { step, on: f.on, method: f.method, note: null }
  if (step === 'decide') return { step, on: f.on, pass: f.pass, note, amount: f.pass ? f.amount.trim() || null : null }
  return { step, on: f.on, pass: f.pass, note }
}

/**
 * The earliest day a step may be dated: not before the step before it, and a payment only after
 * the public notice (the server refuses anything else; the picker greys it out).
 */
export function earliestOn(a: Pick<Aid, 'applied_on' | 'reviewed_on' | 'decided_on' | 'notice_until'>, step: AidStep): string {
  if (step === 'review') return a.applied_on
  if (step === 'decide') return a.reviewed_on ?? a.applied_on
  if (!a.notice_until) return a.decided_on ?? a.applied_on
  const after = new Date(`${a.notice_until}T00:00:00Z`)
  after.setUTCDate(after.getUTCDate() + 1)
  return after.toISOString().slice(0, 10)
}

/** Local checks worded like the server's (it checks everything again). */
export function checkStep(step: AidStep, f: StepForm, askedFen: number): Record<string, string> {
  if (step === 'disburse') return {}
  if (!f.pass && !f.note.trim()) return { note: '不通过须说明理由' }
  const granted = step === 'decide' && f.pass && f.amount.trim() ? yuanToFen(f.amount) : null
  if (granted != null && granted > askedFen) return { amount: `资助金额不能超过申请金额 ${fenToYuan(askedFen)} 元` }
  return {}
}

export const STEP_FIELDS = ['step', 'pass', 'on', 'note', 'amount', 'method']

/** The drawer: one application, the step the user may take, its objections, and the renewal. */
export function useAidDetail(onChange: (d: AidDetail) => void) {
  const detail = shallowRef<AidDetail | null>(null)
  const open = ref(false)
  const loadError = ref('')
  const busy = ref(false)
  const errors = useFieldErrors()
  const step = reactive<StepForm>({ pass: true, on: todayBeijing(), note: '', amount: '', method: 'bank' })
  const noticeDays = ref<number | null>(null)

  const renewing = ref(false)

  for (const k of ['pass', 'on', 'note', 'amount', 'method'] as const) {
    watch(
      () => step[k],
      () => {
        delete errors.fields[k]
      },
    )
  }

  function reset(d: AidDetail) {
    Object.assign(step, { pass: true, on: todayBeijing(), note: '', amount: fenToYuan(d.aid.asked_fen), method: 'bank' })
    errors.clear()
  }
  function set(d: AidDetail) {
    detail.value = d
    reset(d)
  }
  async function show(id: number) {
    open.value = true
    loadError.value = ''
    if (detail.value?.aid.id !== id) detail.value = null
    try {
      set(await fetchAid(id))
    } catch (e) {
      loadError.value = errorMessage(e)
    }
    if (noticeDays.value == null) noticeDays.value = await fetchCareSettings().then((s) => s.notice_days, () => null)
  }
  function changed(d: AidDetail) {
    set(d)
    onChange(d)
  }

  async function take() {
    const d = detail.value
    const s = d && stepOf(d.aid)
    if (!d || !s) return
    errors.clear()
    const local = checkStep(s, step, d.aid.asked_fen)
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return
    }
    busy.value = true
    try {
      const r = await unwrap(api.POST('/care-aids/{id}/steps', { params: { path: { id: d.aid.id } }, body: stepBody(s, step) }))
      ElMessage.success(`${r.aid.student_name}：${r.aid.status_label}`)
      changed(r)
    } catch (e) {
      errors.apply(e, STEP_FIELDS)
    } finally {
      busy.value = false
    }
  }

  // Objections (ObjectionsPanel shows them and the forms): recorded while the notice runs, handled by the committee.
  async function addObjection(body: ObjectionInput) {
    const d = detail.value
    if (!d) return
    changed(await unwrap(api.POST('/care-aids/{id}/objections', { params: { path: { id: d.aid.id } }, body })))
  }
  async function handleObjection(objection_id: number, body: ObjectionHandling) {
    const d = detail.value
    if (!d) return
    changed(await unwrap(api.POST('/care-aids/{id}/objections/{objection_id}', { params: { path: { id: d.aid.id, objection_id } }, body })))
  }

  /** Next year's application of a paid one, after asking; the drawer then shows it. */
  async function renew(): Promise<AidDetail | null> {
    const d = detail.value
    if (!d) return null
    try {
      await ElMessageBox.confirm(
        `为${d.aid.student_name}生成 ${d.aid.year + 1} 年度的续助申请？学生信息沿用本次申请，申请金额按本年资助 ${yuan(d.aid.disbursed_fen ?? d.aid.approved_fen ?? d.aid.asked_fen)} 元，仍须支部审核和基金会决定。`,
        '续助下一年',
        { confirmButtonText: '生成续助申请', cancelButtonText: '取消' },
      )
    } catch {
      return null
    }
    renewing.value = true
    try {
      const r = await unwrap(api.POST('/care-aids/{id}/renewal', { params: { path: { id: d.aid.id } } }))
      ElMessage.success(`已生成 ${r.aid.year} 年度续助申请`)
      changed(r)
      return r
    } catch (e) {
      ElMessage.error(errorMessage(e))
      return null
    } finally {
      renewing.value = false
    }
  }

  return {
    detail,
    open,
    loadError,
    busy,
    errors,
    step,
    noticeDays,
    renewing,
    show,
    set,
    take,
    addObjection,
    handleObjection,
    renew,
  }
}

export interface AidFormState {
  org_id: number | null
  year: number
  student_name: string
  id_number: string
  phone: string
  family_situation: string
  school: string
  grade: string
  asked: string
}

export const AID_FIELDS = ['org_id', 'year', 'student_name', 'id_number', 'phone', 'family_situation', 'school', 'grade', 'asked']

export function blankAid(org_id: number | null = null): AidFormState {
  return { org_id, year: thisYear(), student_name: '', id_number: '', phone: '', family_situation: '', school: '', grade: '大一', asked: '' }
}

/** The body of a proposal: the optional number and phone left out when blank. */
export function aidBody(f: AidFormState): AidInput {
  return {
    org_id: f.org_id ?? 0,
    year: f.year,
    student_name: f.student_name,
    id_number: f.id_number.trim() || null,
    phone: f.phone.trim() || null,
    family_situation: f.family_situation,
    school: f.school,
    grade: f.grade,
    asked: f.asked,
  }
}

/** The branch the user works for, to start a proposal with (an org admin's one organisation). */
export function ownBranch(grants: Pick<SessionGrant, 'role' | 'org_id'>[]): number | null {
  const mine = grants.filter((g) => g.role === 'org_admin' && g.org_id != null)
  return mine.length === 1 ? (mine[0].org_id ?? null) : null
}

export function useAidForm(onSaved: (d: AidDetail) => void) {
  const open = ref(false)
  const form = reactive<AidFormState>(blankAid())
  const errors = useFieldErrors()
  const saving = ref(false)
  function start(org_id: number | null = null) {
    Object.assign(form, blankAid(org_id))
    errors.clear()
    open.value = true
  }
  async function submit() {
    errors.clear()
    if (form.org_id == null) {
      errors.fields.org_id = '请选择推荐的党组织'
      return
    }
    saving.value = true
    try {
      const d = await unwrap(api.POST('/care-aids', { body: aidBody(form) }))
      open.value = false
      ElMessage.success(`已推荐：${d.aid.student_name}`)
      onSaved(d)
    } catch (e) {
      errors.apply(e, AID_FIELDS)
    } finally {
      saving.value = false
    }
  }
  return { open, form, errors, saving, start, submit }
}
