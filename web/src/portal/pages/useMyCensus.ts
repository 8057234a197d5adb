/**
 * 摸排 on the phone: the census questions of campaigns still open that concern the signed-in member
 * ("where are you now, are you well"), and their own answer. Nothing is compulsory: an open question
 * is an offer to tell the branch, never a demand. The member may change their answer until the branch
 * records the entry itself; then it is read-only ("党支部已登记", a 409 if it happened meanwhile).
 */
import { reactive, ref, shallowRef } from 'vue'
import { ApiError, api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { components } from '@/api/schema'
import { formatTime } from '@/format'

export type MyCensusQuestion = components['schemas']['MyCensusQuestion']
export type MyCensusAnswer = components['schemas']['MyCensusAnswer']

/** open: not answered yet; mine: answered by the member (may be changed); branch: recorded by the branch. */
export type QuestionState = 'open' | 'mine' | 'branch'

export function questionState(q: Pick<MyCensusQuestion, 'answered_at' | 'answered_by_self'>): QuestionState {
  if (!q.answered_at) return 'open'
  return q.answered_by_self ? 'mine' : 'branch'
}

export interface AnswerForm {
  current_place: string
  current_employer: string
  needs: string
  note: string
}

/** The form of a question: blank, or what the member answered before (the note is not kept with it). */
export function answerForm(q?: Pick<MyCensusQuestion, 'current_place' | 'current_employer' | 'needs'>): AnswerForm {
  return { current_place: q?.current_place ?? '', current_employer: q?.current_employer ?? '', needs: q?.needs ?? '', note: '' }
}

/** Local checks, worded like the server's. */
export function checkAnswer(f: AnswerForm): Record<string, string> {
  return f.current_place.trim() ? {} : { current_place: '请填写现所在地' }
}

/** The PUT body: trimmed, blanks as null. */
export function answerBody(f: AnswerForm): MyCensusAnswer {
  const opt = (s: string) => s.trim() || null
  return { current_place: f.current_place.trim(), current_employer: opt(f.current_employer), needs: opt(f.needs), note: opt(f.note) }
}

/** "2026-12-07" in the phone's time zone. */
export function answeredOn(q: Pick<MyCensusQuestion, 'answered_at'>): string {
  return q.answered_at ? formatTime(q.answered_at).slice(0, 10) : ''
}

/** One question's card: its form, the server's field messages, and a message for the whole card. */
export interface QuestionUi {
  form: AnswerForm
  errors: Record<string, string>
  message: string
  editing: boolean
  saving: boolean
  /** Just answered on this page: the card says thank you. */
  thanked: boolean
}

const FIELDS = ['current_place', 'current_employer', 'needs', 'note']

export function useMyCensus() {
  const questions = shallowRef<MyCensusQuestion[]>([])
  const ui = reactive<Record<number, QuestionUi>>({})
  const loaded = ref(false)
  const error = ref('')

  function uiOf(q: MyCensusQuestion): QuestionUi {
    if (!ui[q.entry_id]) ui[q.entry_id] = { form: answerForm(q), errors: {}, message: '', editing: false, saving: false, thanked: false }
    return ui[q.entry_id]
  }

  function replace(q: MyCensusQuestion) {
    questions.value = questions.value.map((x) => (x.entry_id === q.entry_id ? q : x))
  }

  async function load() {
    error.value = ''
    try {
      questions.value = await unwrap(api.GET('/me/census'))
      for (const q of questions.value) {
        const u = uiOf(q)
        // A card not being typed in shows what the server holds now.
        if (!u.editing && questionState(q) !== 'open') u.form = answerForm(q)
      }
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loaded.value = true
    }
  }

  /** 修改: the member's own answer again, to change it. */
  function edit(q: MyCensusQuestion) {
    const u = uiOf(q)
    u.form = answerForm(q)
    u.errors = {}
    u.message = ''
    u.thanked = false
    u.editing = true
  }

  /** A field typed in loses its message. */
  function clearError(q: MyCensusQuestion, field: string) {
    const u = uiOf(q)
    if (u.errors[field]) u.errors = Object.fromEntries(Object.entries(u.errors).filter(([k]) => k !== field))
  }

  function cancel(q: MyCensusQuestion) {
    const u = uiOf(q)
    u.form = answerForm(q)
    u.errors = {}
    u.editing = false
  }

  /** 回复: true when the answer was taken. */
  async function submit(q: MyCensusQuestion): Promise<boolean> {
    const u = uiOf(q)
    u.message = ''
    u.thanked = false
    u.errors = checkAnswer(u.form)
    if (Object.keys(u.errors).length) return false
    u.saving = true
    try {
      const r = await unwrap(api.PUT('/me/census/{id}', { params: { path: { id: q.entry_id } }, body: answerBody(u.form) }))
      replace(r)
      u.form = answerForm(r)
      u.editing = false
      u.thanked = true
      return true
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // The branch recorded it meanwhile: say so and show what it recorded.
        u.message = e.title
        u.editing = false
        await load()
      } else if (e instanceof ApiError && Object.keys(e.errors).some((k) => FIELDS.includes(k))) {
        u.errors = Object.fromEntries(Object.entries(e.errors).map(([k, v]) => [k, v.join('；')]))
      } else {
        u.message = errorMessage(e)
      }
      return false
    } finally {
      u.saving = false
    }
  }

  return { questions, ui, uiOf, loaded, error, load, edit, cancel, clearError, submit }
}
