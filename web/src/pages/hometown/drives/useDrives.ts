/**
 * 招商推介会: the drives of my organisations by year, newest first; one drive with its materials and
 * the leads it brought; recording or correcting one (with the members who took part); deleting one
 * no lead came from.
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { Attachment } from '@/api/attachments'
import { fetchDrive, todayBeijing, type Drive, type DriveDetail, type DrivePage } from '@/api/hometown'
import { useFieldErrors } from '@/composables/useFieldErrors'

export const PER_PAGE = 20

export function useDrives() {
  const filters = reactive<{ year: number | null; page: number }>({ year: null, page: 1 })
  const result = shallowRef<DrivePage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const query = cleanQuery({ year: filters.year ?? undefined, page: filters.page, per_page: PER_PAGE })
      const r = await unwrap(api.GET('/investment-drives', { params: { query } }))
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(() => filters.year, () => (filters.page === 1 ? load() : (filters.page = 1)))
  watch(() => filters.page, load)
  return { filters, result, loading, error, load }
}

/** The years a drive may be looked up by: this year back to 2020. */
export function driveYears(now: Date = new Date()): number[] {
  const out: number[] = []
  for (let y = now.getFullYear(); y >= 2020; y--) out.push(y)
  return out
}

/** "张三、李四、王五 等 6 人" — the members who took part, the first few named. */
export function membersLine(members: { name: string }[], shown = 3): string {
  if (!members.length) return '—'
  const names = members.slice(0, shown).map((m) => m.name).join('、')
  return members.length > shown ? `${names} 等 ${members.length} 人` : names
}

/** The drawer: one drive, its materials and leads; deleting it. */
export function useDriveDetail(onChange: () => void) {
  const detail = shallowRef<DriveDetail | null>(null)
  const open = ref(false)
  const error = ref('')
  const deleting = ref(false)
  async function show(id: number) {
    open.value = true
    error.value = ''
    if (detail.value?.drive.id !== id) detail.value = null
    try {
      detail.value = await fetchDrive(id)
    } catch (e) {
      error.value = errorMessage(e)
    }
  }
  function addMaterial(a: Attachment) {
    const d = detail.value
    if (d) detail.value = { ...d, materials: [...d.materials, a] }
  }
  async function removeMaterial(a: Attachment) {
    const d = detail.value
    if (!d) return
    detail.value = await unwrap(
      api.DELETE('/investment-drives/{id}/materials/{material_id}', { params: { path: { id: d.drive.id, material_id: a.id } } }),
    )
  }
  /** Deletes the drive after asking; a drive leads came from is kept (409), and the server says why. */
  async function remove(): Promise<boolean> {
    const d = detail.value
    if (!d) return false
    try {
      await ElMessageBox.confirm(`删除推介会“${d.drive.title}”及其材料？删除后不能恢复。`, '删除推介会', {
        type: 'warning',
        confirmButtonText: '删除',
        cancelButtonText: '取消',
      })
    } catch {
      return false
    }
    deleting.value = true
    error.value = ''
    try {
      await unwrap(api.DELETE('/investment-drives/{id}', { params: { path: { id: d.drive.id } } }))
      ElMessage.success(`已删除推介会：${d.drive.title}`)
      open.value = false
      detail.value = null
      onChange()
      return true
    } catch (e) {
      error.value = errorMessage(e)
      return false
    } finally {
      deleting.value = false
    }
  }
  return { detail, open, error, deleting, show, addMaterial, removeMaterial, remove }
}

export interface DriveFormState {
  org_id: number | null
  held_on: string
  city: string
  title: string
  leaders: string
  entrepreneurs: string
  summary: string
  member_ids: number[]
}

export const DRIVE_FIELDS = ['org_id', 'held_on', 'city', 'title', 'leaders', 'entrepreneurs', 'summary', 'member_ids']

export function blankDrive(): DriveFormState {
  return { org_id: null, held_on: todayBeijing(), city: '', title: '', leaders: '', entrepreneurs: '', summary: '', member_ids: [] }
}

export type MemberOption = { id: number; name: string; sub?: string }

/** Recording or correcting a drive. */
export function useDriveForm(onSaved: (d: DriveDetail) => void) {
  const open = ref(false)
  const editing = ref<Drive | null>(null)
  const form = reactive<DriveFormState>(blankDrive())
  const errors = useFieldErrors()
  const saving = ref(false)
  const memberOptions = ref<MemberOption[]>([])
  const searching = ref(false)
  function start(d: Drive | null = null) {
    editing.value = d
    Object.assign(
      form,
      d
        ? {
            org_id: d.org.id,
            held_on: d.held_on,
            city: d.city,
            title: d.title,
            leaders: d.leaders,
            entrepreneurs: d.entrepreneurs,
            summary: d.summary,
            member_ids: d.members.map((m) => m.id),
          }
        : blankDrive(),
    )
    memberOptions.value = d ? d.members.map((m) => ({ id: m.id, name: m.name })) : []
    errors.clear()
    open.value = true
  }
  let seq = 0
  /** Members of my scope by name; the chosen ones stay in the list. */
  async function searchMembers(q: string) {
    const mine = ++seq
    searching.value = true
    try {
      const page = await unwrap(api.GET('/members', { params: { query: cleanQuery({ q: q.trim(), status: 'normal', per_page: 20 }) } }))
      if (mine !== seq) return
      const chosen = memberOptions.value.filter((m) => form.member_ids.includes(m.id))
      const found = page.items.filter((m) => !form.member_ids.includes(m.id)).map((m) => ({ id: m.id, name: m.name, sub: m.org_name }))
      memberOptions.value = [...chosen, ...found]
    } catch {
      // The list stays as it was; the server checks the members again.
    } finally {
      if (mine === seq) searching.value = false
    }
  }
  async function submit() {
    errors.clear()
    if (form.org_id == null) {
      errors.fields.org_id = '请选择举办的党组织'
      return
    }
    saving.value = true
    try {
      const body = { ...form, org_id: form.org_id }
      const d = editing.value
        ? await unwrap(api.PATCH('/investment-drives/{id}', { params: { path: { id: editing.value.id } }, body }))
        : await unwrap(api.POST('/investment-drives', { body }))
      ElMessage.success(editing.value ? '已保存' : `已记录推介会：${d.drive.title}`)
      open.value = false
      onSaved(d)
    } catch (e) {
      errors.apply(e, DRIVE_FIELDS)
    } finally {
      saving.value = false
    }
  }
  return { open, editing, form, errors, saving, memberOptions, searching, start, searchMembers, submit }
}
