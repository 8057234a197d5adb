/**
 * 惠企政策: the county's policy library searched in Chinese (two-character words, matches marked,
 * best first), filtered by department, industry, enterprise size and validity (expired policies out
 * unless asked for), one policy's full text, and the county admin's form.
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { todayInChina } from '@/pages/members/mobility/labels'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { searchPolicies, type Policy, type PolicyDetail, type PolicyInput, type PolicyPage, type PolicySearch } from '@/api/services'
import { useFieldErrors } from '@/composables/useFieldErrors'

export function usePolicies() {
  const search = reactive<PolicySearch>({ q: '', department: null, industry: null, size: null, validity: 'current', page: 1, per_page: 20 })
  const result = shallowRef<PolicyPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await searchPolicies(search)
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  // A new search starts on page 1; typing waits for a pause.
  let timer: ReturnType<typeof setTimeout> | undefined
  watch(
    () => [search.q, search.department, search.industry, search.size, search.validity],
    () => {
      search.page = 1
      clearTimeout(timer)
      timer = setTimeout(load, 250)
    },
  )
  watch(() => search.page, load)

  const detail = shallowRef<PolicyDetail | null>(null)
  const detailOpen = ref(false)
  async function open(p: Policy) {
    detailOpen.value = true
    detail.value = await unwrap(api.GET('/policies/{id}', { params: { path: { id: p.id } } }))
  }
  return { search, result, loading, error, load, detail, detailOpen, open }
}

export function emptyPolicy(): PolicyInput {
  const today = todayInChina()
  return {
    department_id: 0,
    doc_no: '',
    title: '',
    summary: '',
    body: '',
    issued_on: today,
    effective_from: today,
    effective_until: null,
    industries: [],
    sizes: [],
    tags: [],
  }
}

export function usePolicyForm(onSaved: (d: PolicyDetail) => void) {
  const open = ref(false)
  const editing = ref<number | null>(null)
  const form = reactive<PolicyInput>(emptyPolicy())
  const errors = useFieldErrors()
  const saving = ref(false)
  function openNew() {
    Object.assign(form, emptyPolicy())
    editing.value = null
    errors.clear()
    open.value = true
  }
  function openEdit(d: PolicyDetail) {
    const p = d.policy
    Object.assign(form, {
      department_id: p.department.id,
      doc_no: p.doc_no,
      title: p.title,
      summary: p.summary,
      body: d.body,
      issued_on: p.issued_on,
      effective_from: p.effective_from,
      effective_until: p.effective_until ?? null,
      industries: [...p.industries],
      sizes: [...p.sizes],
      tags: [...p.tags],
    })
    editing.value = p.id
    errors.clear()
    open.value = true
  }
  async function save() {
    saving.value = true
    try {
      const body = { ...form, effective_until: form.effective_until || null }
      const d = editing.value
        ? await unwrap(api.PATCH('/policies/{id}', { params: { path: { id: editing.value } }, body }))
        : await unwrap(api.POST('/policies', { body }))
      open.value = false
      onSaved(d)
    } catch (e) {
      errors.apply(e, Object.keys(emptyPolicy()))
    } finally {
      saving.value = false
    }
  }
  return { open, editing, form, errors, saving, openNew, openEdit, save }
}
