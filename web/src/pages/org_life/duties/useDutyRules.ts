/** The duty rules (county admin, settings.business): read, and edit frequency / minimum count / member threshold. */
import { computed, ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import type { DutyRule } from '@/api/activities'

/** `rules[2].min_count` → row 2's messages, for showing next to the row. */
export function rowErrors(e: ApiError): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const [k, v] of Object.entries(e.errors)) {
    const m = /^rules\[(\d+)\]/.exec(k)
    if (!m) continue
    const i = Number(m[1])
    out.set(i, [...(out.get(i) ?? []), ...v])
  }
  return out
}

export function useDutyRules() {
  const rules = shallowRef<DutyRule[]>([])
  const draft = ref<DutyRule[]>([])
  const editing = ref(false)
  const loading = ref(false)
  const saving = ref(false)
  const error = ref('')
  const errorsByRow = shallowRef(new Map<number, string[]>())
  const dirty = computed(() => JSON.stringify(draft.value) !== JSON.stringify(rules.value))

  async function load() {
    loading.value = true
    error.value = ''
    try {
      rules.value = await unwrap(api.GET('/duty-rules'))
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  function edit() {
    draft.value = structuredClone(rules.value.map((r) => ({ ...r, kinds: [...r.kinds], applies_to: [...r.applies_to] })))
    errorsByRow.value = new Map()
    error.value = ''
    editing.value = true
  }

  function cancel() {
    editing.value = false
    errorsByRow.value = new Map()
    error.value = ''
  }

  async function save(): Promise<boolean> {
    saving.value = true
    error.value = ''
    errorsByRow.value = new Map()
    try {
      rules.value = await unwrap(api.PUT('/duty-rules', { body: draft.value }))
      editing.value = false
      return true
    } catch (e) {
      error.value = e instanceof ApiError ? e.title : errorMessage(e)
      if (e instanceof ApiError) errorsByRow.value = rowErrors(e)
      return false
    } finally {
      saving.value = false
    }
  }

  return { rules, draft, editing, loading, saving, error, errorsByRow, dirty, load, edit, cancel, save }
}
