/**
 * The 组织生活 calendar: a month grid (weeks start on Monday), the activities
 * of the visible days grouped by local date, and the list view's paged query.
 */
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchAllActivities, type Activity } from '@/api/activities'
import { usePagedList } from '@/composables/usePagedList'
import { localDate, routeQuery } from './kinds'

export interface GridDay {
  /** Local date, `YYYY-MM-DD`. */
  date: string
  day: number
  inMonth: boolean
  isToday: boolean
  /** 0 = Monday … 6 = Sunday. */
  weekday: number
}

/**
 * The weeks (Monday to Sunday) covering `month` (1–12) of `year`: 4 to 6 rows
 * of 7 days, with the days of the neighbouring months marked `inMonth: false`.
 */
export function monthGrid(year: number, month: number, today: Date = new Date()): GridDay[][] {
  const first = new Date(year, month - 1, 1)
  const offset = (first.getDay() + 6) % 7 // Monday-based weekday of the 1st
  const daysInMonth = new Date(year, month, 0).getDate()
  const cells = Math.ceil((offset + daysInMonth) / 7) * 7
  const todayStr = localDate(today)
  const weeks: GridDay[][] = []
  for (let i = 0; i < cells; i++) {
    const d = new Date(year, month - 1, 1 - offset + i)
    const date = localDate(d)
    if (i % 7 === 0) weeks.push([])
    weeks[weeks.length - 1].push({
      date,
      day: d.getDate(),
      inMonth: d.getMonth() === month - 1,
      isToday: date === todayStr,
      weekday: i % 7,
    })
  }
  return weeks
}

/**
 * Activities by the local dates they cover (an activity may span up to 3
 * days and then shows on each), each day sorted by start time.
 */
export function groupByDay(activities: Activity[]): Map<string, Activity[]> {
  const out = new Map<string, Activity[]>()
  for (const a of activities) {
    const start = new Date(a.start_at)
    const end = new Date(a.end_at)
    if (Number.isNaN(start.getTime())) continue
    const d = new Date(start.getFullYear(), start.getMonth(), start.getDate())
    // An activity ending exactly at midnight does not occupy the next day.
    const last = Number.isNaN(end.getTime()) || end <= start ? start : new Date(end.getTime() - 1)
    for (let guard = 0; guard < 7 && d <= last; guard++) {
      const key = localDate(d)
      const list = out.get(key) ?? []
      list.push(a)
      out.set(key, list)
      d.setDate(d.getDate() + 1)
    }
  }
  for (const list of out.values()) list.sort((x, y) => x.start_at.localeCompare(y.start_at))
  return out
}

/** `2026-11` → {year: 2026, month: 11}; anything else → null. */
export function parseMonth(s: unknown): { year: number; month: number } | null {
  if (typeof s !== 'string') return null
  const m = /^(\d{4})-(\d{2})$/.exec(s)
  if (!m) return null
  const month = Number(m[2])
  return month >= 1 && month <= 12 ? { year: Number(m[1]), month } : null
}

export function monthKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`
}

export interface ListFilters {
  org: number | null
  kind: string
  status: string
  dates: [string, string] | null
}

export function useActivityCalendar() {
  const route = useRoute()
  const router = useRouter()
  const now = new Date()
  const initial = parseMonth(route.query.month) ?? { year: now.getFullYear(), month: now.getMonth() + 1 }
  const year = ref(initial.year)
  const month = ref(initial.month)
  const org = ref<number | null>(route.query.org ? Number(route.query.org) || null : null)
  const kind = ref<string>(typeof route.query.kind === 'string' ? route.query.kind : '')
  const view = ref<'month' | 'list'>(route.query.view === 'list' ? 'list' : 'month')

  const weeks = computed(() => monthGrid(year.value, month.value))
  const activities = shallowRef<Activity[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref('')
  const byDay = computed(() => groupByDay(activities.value))
  const selectedDay = ref<string | null>(null)
  const selectedActivities = computed(() => (selectedDay.value ? (byDay.value.get(selectedDay.value) ?? []) : []))
  /** Counts per kind in the visible month, for the legend. */
  const kindCounts = computed(() => {
    const prefix = monthKey(year.value, month.value)
    const counts = new Map<string, number>()
    for (const a of activities.value) {
      if (!localDate(new Date(a.start_at)).startsWith(prefix)) continue
      counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1)
    }
    return counts
  })

  let seq = 0
  async function load() {
    const mine = ++seq
    const grid = weeks.value
    const from = grid[0][0].date
    const to = grid[grid.length - 1][6].date
    loading.value = true
    error.value = ''
    try {
      const res = await fetchAllActivities({ org: org.value, from, to, kind: kind.value || undefined })
      if (mine !== seq) return
      activities.value = res.items
      total.value = res.total
    } catch (e) {
      if (mine !== seq) return
      activities.value = []
      total.value = 0
      error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function shift(delta: number) {
    const d = new Date(year.value, month.value - 1 + delta, 1)
    year.value = d.getFullYear()
    month.value = d.getMonth() + 1
    selectedDay.value = null
  }

  function goToday() {
    const d = new Date()
    year.value = d.getFullYear()
    month.value = d.getMonth() + 1
    selectedDay.value = localDate(d)
  }

  // The list view: same organisation filter, its own kind/status/date filters.
  // A link may open it on a status (the workbench's "补录待审批").
  const status = typeof route.query.status === 'string' ? route.query.status : ''
  const listFilters = reactive<ListFilters>({ org: org.value, kind: '', status, dates: null })
  const list = usePagedList(
    (f: ListFilters, page) =>
      unwrap(
        api.GET('/activities', {
          params: {
            query: cleanQuery({
              org: f.org ?? undefined,
              kind: f.kind,
              status: f.status,
              from: f.dates?.[0],
              to: f.dates?.[1],
              ...page,
            }),
          },
        }),
      ),
    listFilters,
  )

  // Keep the URL in step so that "back" from a detail page returns to the same month.
  watch([year, month, org, kind, view], () => {
    void router.replace({
      query: routeQuery({
        ...route.query,
        month: monthKey(year.value, month.value),
        org: org.value,
        kind: kind.value,
        view: view.value === 'list' ? 'list' : '',
      }),
    })
  })

  return {
    year,
    month,
    org,
    kind,
    view,
    weeks,
    activities,
    total,
    loading,
    error,
    byDay,
    kindCounts,
    selectedDay,
    selectedActivities,
    load,
    shift,
    goToday,
    listFilters,
    list,
  }
}
