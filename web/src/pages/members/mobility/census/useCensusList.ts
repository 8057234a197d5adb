/** 摸排 campaigns the caller sees (GET /censuses) and starting one (POST /censuses). */
import { reactive, ref, shallowRef, watch } from 'vue'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchRoots } from '@/api/orgs'
import type { Campaign } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { todayInChina } from '../labels'
import { defaultCampaignName, periodOptions, quarterOf } from './censusFormat'

export function useCensusList(onCreated: (c: Campaign) => void | Promise<void>) {
  const items = shallowRef<Campaign[]>([])
  const loading = ref(false)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      items.value = (await unwrap(api.GET('/censuses'))).items
    } catch (e) {
      items.value = []
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  // The create dialog.
  const visible = ref(false)
  const today = todayInChina()
  const periods = periodOptions(today)
  const form = reactive({ name: '', period: quarterOf(today), org_id: null as number | null })
  /** The name follows the period until the user types their own. */
  let nameTouched = false
  const errors = useFieldErrors()
  const saving = ref(false)

  watch(
    () => form.period,
    (p) => {
      if (!nameTouched) form.name = defaultCampaignName(p)
    },
  )

  function onNameInput() {
    nameTouched = true
  }

  async function openCreate() {
    nameTouched = false
    Object.assign(form, { period: quarterOf(today), name: defaultCampaignName(quarterOf(today)), org_id: null })
    errors.clear()
    visible.value = true
    try {
      const roots = (await fetchRoots()).items
      if (form.org_id == null && roots.length === 1) form.org_id = roots[0].id
    } catch {
      // The picker loads the roots itself.
    }
  }

  async function create() {
    errors.clear()
    if (!form.name.trim()) errors.fields.name = '请填写摸排名称'
    if (form.org_id == null) errors.fields.org_id = '请选择摸排范围'
    if (Object.keys(errors.fields).length) return
    saving.value = true
    try {
      const c = await unwrap(api.POST('/censuses', { body: { name: form.name.trim(), period: form.period, org_id: form.org_id! } }))
      visible.value = false
      await load()
      await onCreated(c)
    } catch (e) {
      errors.apply(e, ['name', 'period', 'org_id'])
    } finally {
      saving.value = false
    }
  }

  return { items, loading, error, load, visible, periods, form, errors, saving, onNameInput, openCreate, create }
}
