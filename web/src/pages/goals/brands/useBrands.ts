/**
 * 党建品牌: the gallery of a year's brand projects in my subtree (cultivation targets first),
 * the 培育对象 filter, and the register / edit form (1–2 projects per organisation and year;
 * only county admins — evaluation.write — mark cultivation targets).
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchBrands, type Brand, type BrandGallery, type BrandInput, type ChecklistItem } from '@/api/goals'
import { useFieldErrors } from '@/composables/useFieldErrors'

export const DEFAULT_CHECKLIST = ['制定品牌创建方案', '建成党建阵地', '形成工作法并总结推广', '开展品牌展示活动']

export interface BrandFilters {
  year: number
  org: number | null
  /** '' all, 'cultivation' only cultivation targets, or a status code. */
  show: '' | 'cultivation' | 'planning' | 'in_progress' | 'done'
  q: string
}

export function filterBrands(items: Brand[], f: Pick<BrandFilters, 'show' | 'q'>): Brand[] {
  const q = f.q.trim()
  return items.filter((b) => {
    if (f.show === 'cultivation' && !b.cultivation) return false
    if (f.show && f.show !== 'cultivation' && b.status !== f.show) return false
    return !q || b.name.includes(q) || b.org.name.includes(q)
  })
}

export function useBrands() {
  const route = useRoute()
  const filters = reactive<BrandFilters>({
    year: Number(route.query.year) || new Date().getFullYear(),
    org: Number(route.query.org) || null,
    show: route.query.show === 'cultivation' ? 'cultivation' : '',
    q: '',
  })
  const gallery = shallowRef<BrandGallery | null>(null)
  const loading = ref(false)
  const error = ref('')
  const items = computed(() => filterBrands(gallery.value?.items ?? [], filters))

  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const g = await fetchBrands({ org: filters.org, year: filters.year })
      if (mine === seq) gallery.value = g
    } catch (e) {
      if (mine !== seq) return
      gallery.value = null
      error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function replace(b: Brand) {
    const g = gallery.value
    if (!g) return
    const had = g.items.find((x) => x.id === b.id)
    const list = had ? g.items.map((x) => (x.id === b.id ? b : x)) : [b, ...g.items]
    gallery.value = {
      items: list,
      total: list.length,
      cultivation: list.filter((x) => x.cultivation).length,
      done: list.filter((x) => x.status === 'done').length,
    }
  }

  return { filters, gallery, items, loading, error, load, replace }
}

export interface BrandFormState {
  org_id: number | null
  org_name: string
  year: number
  name: string
  goal: string
  checklist: ChecklistItem[]
  cultivation: boolean
}

const FIELDS = ['org_id', 'year', 'name', 'goal', 'checklist', 'cultivation']

export function brandPayload(f: BrandFormState, creating: boolean, mayMark: boolean): BrandInput {
  return {
    org_id: creating ? f.org_id : undefined,
    year: creating ? f.year : undefined,
    name: f.name.trim(),
    goal: f.goal.trim(),
    checklist: f.checklist.filter((c) => c.item.trim()).map((c) => ({ item: c.item.trim(), done: !!c.done })),
    cultivation: mayMark ? f.cultivation : undefined,
  }
}

export function checkBrand(f: BrandFormState, creating: boolean): Record<string, string> {
  const e: Record<string, string> = {}
  if (creating && f.org_id == null) e.org_id = '请选择党组织'
  if (!f.name.trim()) e.name = '请填写品牌名称'
  if (!f.goal.trim()) e.goal = '请填写创建目标'
  if (!f.checklist.some((c) => c.item.trim())) e.checklist = '请至少列出一项创建任务'
  return e
}

export function useBrandForm(mayMark: () => boolean, onSaved: (b: Brand) => void | Promise<void>) {
  const visible = ref(false)
  const editing = ref<Brand | null>(null)
  const form = reactive<BrandFormState>({ org_id: null, org_name: '', year: new Date().getFullYear(), name: '', goal: '', checklist: [], cultivation: false })
  const errors = useFieldErrors()
  const saving = ref(false)

  function openNew(year: number) {
    editing.value = null
    Object.assign(form, { org_id: null, org_name: '', year, name: '', goal: '', checklist: DEFAULT_CHECKLIST.map((item) => ({ item, done: false })), cultivation: false })
    errors.clear()
    visible.value = true
  }

  function openEdit(b: Brand) {
    editing.value = b
    Object.assign(form, {
      org_id: b.org.id,
      org_name: b.org.name,
      year: b.year,
      name: b.name,
      goal: b.goal,
      checklist: b.checklist.map((c) => ({ item: c.item, done: !!c.done })),
      cultivation: b.cultivation,
    })
    errors.clear()
    visible.value = true
  }

  function addItem() {
    form.checklist.push({ item: '', done: false })
  }
  function removeItem(i: number) {
    form.checklist.splice(i, 1)
  }

  async function submit() {
    errors.clear()
    const creating = editing.value === null
    const local = checkBrand(form, creating)
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return
    }
    saving.value = true
    try {
      const body = brandPayload(form, creating, mayMark())
      const b = creating
        ? await unwrap(api.POST('/brand-projects', { body }))
        : await unwrap(api.PATCH('/brand-projects/{id}', { params: { path: { id: editing.value!.id } }, body }))
      visible.value = false
      await onSaved(b)
    } catch (e) {
      errors.apply(e, FIELDS)
    } finally {
      saving.value = false
    }
  }

  return { visible, editing, form, errors, saving, openNew, openEdit, addItem, removeItem, submit }
}
