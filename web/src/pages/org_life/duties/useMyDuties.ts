/**
 * 我组织的任务: one organisation's duties of a year grouped by period, with
 * lights; organisations below it are summarised (the board has them in full).
 */
import { computed, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { errorMessage } from '@/api/errors'
import type { DutyItem, Light } from '@/api/activities'
import { useSessionStore } from '@/stores/session'
import { groupByPeriod, isLight } from './lights'
import { fetchDuties } from './useDutyBoard'

/** Light counts of a list of duties. */
export function countLights(items: DutyItem[]): Record<Light, number> {
  const c: Record<Light, number> = { blue: 0, yellow: 0, red: 0 }
  for (const d of items) if (isLight(d.light)) c[d.light]++
  return c
}

export function useMyDuties() {
  const route = useRoute()
  const session = useSessionStore()
  const grantOrg = session.grants.find((g) => g.org_id != null)?.org_id ?? null
  const org = ref<number | null>(Number(route.query.org) || grantOrg)
  const year = ref<number>(Number(route.query.year) || new Date().getFullYear())
  const light = ref<Light | ''>(isLight(route.query.light) ? route.query.light : '')
  const items = shallowRef<DutyItem[]>([])
  const loading = ref(false)
  const error = ref('')

  /** The answer covers the subtree: keep the chosen organisation's own duties. */
  const own = computed(() => items.value.filter((d) => d.org_id === org.value))
  const shown = computed(() => (light.value ? own.value.filter((d) => d.light === light.value) : own.value))
  const groups = computed(() => groupByPeriod(shown.value))
  const counts = computed(() => countLights(own.value))
  const orgName = computed(() => own.value[0]?.org_name ?? '')
  /** Organisations below the chosen one that owe duties, with their red/yellow counts. */
  const below = computed(() => {
    const m = new Map<number, { org_id: number; org_name: string; red: number; yellow: number }>()
    for (const d of items.value) {
      if (d.org_id === org.value) continue
      const e = m.get(d.org_id) ?? { org_id: d.org_id, org_name: d.org_name, red: 0, yellow: 0 }
      if (d.light === 'red') e.red++
      if (d.light === 'yellow') e.yellow++
      m.set(d.org_id, e)
    }
    return [...m.values()].sort((a, b) => b.red - a.red || b.yellow - a.yellow)
  })

  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const res = await fetchDuties(org.value, year.value)
      if (mine !== seq) return
      items.value = res
    } catch (e) {
      if (mine !== seq) return
      items.value = []
      error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return { org, year, light, items, own, shown, groups, counts, orgName, below, loading, error, load }
}
