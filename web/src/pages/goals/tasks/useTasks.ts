/**
 * 重点任务: the year's task lists, the tasks of one list (or all) with their computed lights,
 * and the light filter. A task changed in the drawer replaces its row, so its light updates at once.
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { errorMessage } from '@/api/errors'
import type { Light, LightCounts } from '@/api/activities'
import { fetchTaskLists, fetchTasks, type Task, type TaskList } from '@/api/goals'
import { isLight } from '@/pages/org_life/duties/lights'

export interface TaskFilters {
  year: number
  list_id: number | null
  light: Light | ''
}

const SEVERITY: Record<string, number> = { red: 0, yellow: 1, blue: 2 }

/** Red first, then yellow, then blue; within a light the nearest deadline first. */
export function byUrgency(a: Pick<Task, 'light' | 'deadline' | 'title'>, b: Pick<Task, 'light' | 'deadline' | 'title'>): number {
  return (SEVERITY[a.light] ?? 3) - (SEVERITY[b.light] ?? 3) || a.deadline.localeCompare(b.deadline) || a.title.localeCompare(b.title, 'zh-CN')
}

export function countLights(items: Pick<Task, 'light'>[]): LightCounts {
  const c: LightCounts = { blue: 0, yellow: 0, red: 0 }
  for (const t of items) if (isLight(t.light)) c[t.light]++
  return c
}

/** Replaces the row of a changed task (a TaskDetail is a TaskView plus reports). */
export function replaceTask(items: Task[], changed: Task): Task[] {
  return items.map((t) => (t.id === changed.id ? { ...t, ...pickView(changed) } : t))
}

function pickView(t: Task): Task {
  const { reports: _reports, ...view } = t as Task & { reports?: unknown }
  return view
}

export function useTasks() {
  const route = useRoute()
  const filters = reactive<TaskFilters>({
    year: Number(route.query.year) || new Date().getFullYear(),
    list_id: Number(route.query.list) || null,
    light: isLight(route.query.light) ? route.query.light : '',
  })
  const lists = shallowRef<TaskList[]>([])
  const all = shallowRef<Task[]>([])
  const loading = ref(false)
  const error = ref('')

  /** Counts over the whole list (the filter only narrows the rows shown). */
  const counts = computed(() => countLights(all.value))
  const items = computed(() => (filters.light ? all.value.filter((t) => t.light === filters.light) : all.value))
  const currentList = computed(() => lists.value.find((l) => l.id === filters.list_id) ?? null)
  const canCreateTask = computed(() => lists.value.some((l) => l.can_edit))

  let seq = 0
  async function loadLists() {
    const res = await fetchTaskLists(filters.year)
    lists.value = res.items
    if (filters.list_id != null && !res.items.some((l) => l.id === filters.list_id)) filters.list_id = null
  }

  async function load(opts: { lists?: boolean } = {}) {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      if (opts.lists !== false) await loadLists()
      const page = await fetchTasks({ year: filters.year, list_id: filters.list_id })
      if (mine !== seq) return
      all.value = [...page.items].sort(byUrgency)
    } catch (e) {
      if (mine !== seq) return
      all.value = []
      error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function replace(t: Task) {
    all.value = replaceTask(all.value, t)
  }

  return { filters, lists, all, items, counts, loading, error, currentList, canCreateTask, load, replace }
}
