/**
 * 节日问候 in the console: the greetings sent by organisations of my subtree, newest first, with their
 * figures (counts only: whom it was for, delivered and read in the app, by email, to group robots, no
 * account); writing one (organisation, occasion, title, body) after seeing whom it would reach. The
 * worker delivers after sending, so the list reloads itself for a while until nothing is on its way.
 */
import { onBeforeUnmount, reactive, ref, shallowRef, watch } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { Greeting, GreetingPage, GreetingReach } from '@/api/notify'
import { useFieldErrors } from '@/composables/useFieldErrors'

export const PER_PAGE = 10
/** After sending: reload every few seconds while something is on its way, at most this many times. */
const FOLLOW_EVERY_MS = 3000
const FOLLOW_TIMES = 20

/** Messages of a greeting still waiting to go (in the app, by email, to robots). */
export function pendingOf(g: Greeting): number {
  return g.in_app.queued + g.email.queued + g.robots.queued
}

/** Messages of a greeting given up after every retry. */
export function deadOf(g: Greeting): number {
  return g.in_app.dead + g.email.dead + g.robots.dead
}

export function useGreetings() {
  const filters = reactive<{ org: number | null; page: number }>({ org: null, page: 1 })
  const result = shallowRef<GreetingPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load(quiet = false) {
    const mine = ++seq
    if (!quiet) loading.value = true
    error.value = ''
    try {
      const query = cleanQuery({ org: filters.org ?? undefined, page: filters.page, per_page: PER_PAGE })
      const r = await unwrap(api.GET('/greetings', { params: { query } }))
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(() => filters.org, () => (filters.page === 1 ? load() : (filters.page = 1)))
  watch(() => filters.page, () => load())

  // Following the worker: quiet reloads until no greeting on the page has anything waiting.
  let timer: ReturnType<typeof setTimeout> | undefined
  let left = 0
  function follow() {
    left = FOLLOW_TIMES
    schedule()
  }
  function schedule() {
    clearTimeout(timer)
    if (left <= 0) return
    timer = setTimeout(async () => {
      left--
      await load(true)
      if ((result.value?.items ?? []).some((g) => pendingOf(g) > 0)) schedule()
    }, FOLLOW_EVERY_MS)
  }
  onBeforeUnmount(() => clearTimeout(timer))

  return { filters, result, loading, error, load, follow }
}

/** The 写问候 form, and whom the chosen organisation's greeting would reach. */
export function useGreetingForm(onSent: (g: Greeting) => void) {
  const open = ref(false)
  const form = reactive<{ org_id: number | null; occasion: string; title: string; body: string }>({ org_id: null, occasion: '', title: '', body: '' })
  const reach = shallowRef<GreetingReach | null>(null)
  const reachLoading = ref(false)
  const reachError = ref('')
  const errors = useFieldErrors()
  const saving = ref(false)

  function start() {
    errors.clear()
    Object.assign(form, { org_id: null, occasion: '', title: '', body: '' })
    reach.value = null
    reachError.value = ''
    open.value = true
  }

  let seq = 0
  watch(
    () => form.org_id,
    async (org) => {
      const mine = ++seq
      reach.value = null
      reachError.value = ''
      if (org == null) return
      reachLoading.value = true
      try {
        const r = await unwrap(api.GET('/greetings/reach', { params: { query: { org } } }))
        if (mine === seq) reach.value = r
      } catch (e) {
        if (mine === seq) reachError.value = errorMessage(e)
      } finally {
        if (mine === seq) reachLoading.value = false
      }
    },
  )

  async function submit() {
    errors.clear()
    if (form.org_id == null) {
      errors.fields.org_id = '请选择发送组织'
      return
    }
    saving.value = true
    try {
      const g = await unwrap(
        api.POST('/greetings', { body: { org_id: form.org_id ?? 0, occasion: form.occasion.trim(), title: form.title.trim(), body: form.body.trim() } }),
      )
      open.value = false
      onSent(g)
    } catch (e) {
      errors.apply(e, ['org_id', 'occasion', 'title', 'body'])
    } finally {
      saving.value = false
    }
  }

  return { open, form, reach, reachLoading, reachError, errors, saving, start, submit }
}
