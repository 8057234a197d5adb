/** 新建/编辑重点任务 and 新建任务清单: the forms, their first checks and the server's field errors. */
import { reactive, ref } from 'vue'
import { api, unwrap } from '@/api/client'
import type { Milestone, TaskDetail, TaskInput, TaskList } from '@/api/goals'
import type { PickedOrg } from '@/components/OrgMultiPicker.vue'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { evenWeights, milestoneProblems, weightSum } from './labels'

export interface TaskFormState {
  list_id: number | null
  title: string
  description: string
  owner_org_id: number | null
  owner_name: string
  co_orgs: PickedOrg[]
  deadline: string
  milestones: Milestone[]
}

const TASK_FIELDS = ['list_id', 'title', 'description', 'owner_org_id', 'co_org_ids', 'deadline', 'milestones']

export function blankTask(listId: number | null, year: number): TaskFormState {
  return { list_id: listId, title: '', description: '', owner_org_id: null, owner_name: '', co_orgs: [], deadline: `${year}-12-31`, milestones: [] }
}

export function taskPayload(f: TaskFormState, creating: boolean): TaskInput {
  return {
    list_id: creating ? f.list_id : undefined,
    title: f.title.trim(),
    description: f.description.trim() || null,
    owner_org_id: f.owner_org_id ?? 0,
    co_org_ids: f.co_orgs.map((o) => o.id),
    deadline: f.deadline,
    milestones: f.milestones.map((m) => ({ title: m.title.trim(), planned_on: m.planned_on, weight: Number(m.weight) || 0, done_on: m.done_on ?? null })),
  }
}

export function checkTask(f: TaskFormState, creating: boolean): Record<string, string> {
  const e: Record<string, string> = {}
  if (creating && f.list_id == null) e.list_id = '请选择任务清单'
  if (!f.title.trim()) e.title = '请填写任务名称'
  if (f.owner_org_id == null) e.owner_org_id = '请选择牵头单位'
  if (!f.deadline) e.deadline = '请填写截止日期'
  const ms = milestoneProblems(f.milestones, f.deadline)
  if (ms.length) e.milestones = ms.join('；')
  return e
}

export function useTaskForm(onSaved: (t: TaskDetail) => void | Promise<void>) {
  const visible = ref(false)
  const editing = ref<number | null>(null)
  const year = ref(new Date().getFullYear())
  const form = reactive<TaskFormState>(blankTask(null, year.value))
  const errors = useFieldErrors()
  const saving = ref(false)

  function openNew(list: TaskList | null, y: number) {
    editing.value = null
    year.value = list?.year ?? y
    Object.assign(form, blankTask(list?.id ?? null, year.value))
    errors.clear()
    visible.value = true
  }

  function openEdit(t: TaskDetail) {
    editing.value = t.id
    year.value = t.year
    Object.assign(form, {
      list_id: t.list_id,
      title: t.title,
      description: t.description ?? '',
      owner_org_id: t.owner.id,
      owner_name: t.owner.name,
      co_orgs: t.co_orgs.map((o) => ({ id: o.id, name: o.name })),
      deadline: t.deadline,
      milestones: t.milestones.map((m) => ({ ...m })),
    })
    errors.clear()
    visible.value = true
  }

  function addMilestone() {
    const rest = 100 - weightSum(form.milestones)
    form.milestones.push({ title: '', planned_on: form.deadline, weight: Math.max(0, rest), done_on: null })
  }
  function removeMilestone(i: number) {
    form.milestones.splice(i, 1)
  }
  function spreadWeights() {
    const w = evenWeights(form.milestones.length)
    form.milestones.forEach((m, i) => (m.weight = w[i]))
  }

  async function submit() {
    errors.clear()
    const creating = editing.value === null
    const local = checkTask(form, creating)
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return
    }
    saving.value = true
    try {
      const body = taskPayload(form, creating)
      const t = creating
        ? await unwrap(api.POST('/tasks', { body }))
        : await unwrap(api.PATCH('/tasks/{id}', { params: { path: { id: editing.value! } }, body }))
      visible.value = false
      await onSaved(t)
    } catch (e) {
      errors.apply(e, TASK_FIELDS)
    } finally {
      saving.value = false
    }
  }

  return { visible, editing, year, form, errors, saving, openNew, openEdit, addMilestone, removeMilestone, spreadWeights, submit }
}

export function useTaskListForm(onSaved: (l: TaskList) => void | Promise<void>) {
  const visible = ref(false)
  const form = reactive({ title: '', org_id: null as number | null, year: new Date().getFullYear() })
  const errors = useFieldErrors()
  const saving = ref(false)

  function open(year: number) {
    Object.assign(form, { title: `${year}年度党建重点工作任务清单`, org_id: null, year })
    errors.clear()
    visible.value = true
  }

  async function submit() {
    errors.clear()
    if (!form.title.trim()) errors.fields.title = '请填写清单名称'
    if (form.org_id == null) errors.fields.org_id = '请选择下达单位'
    if (Object.keys(errors.fields).length) return
    saving.value = true
    try {
      const l = await unwrap(api.POST('/task-lists', { body: { title: form.title.trim(), org_id: form.org_id!, year: form.year } }))
      visible.value = false
      await onSaved(l)
    } catch (e) {
      errors.apply(e, ['title', 'org_id', 'year'])
    } finally {
      saving.value = false
    }
  }

  return { visible, form, errors, saving, open, submit }
}
