/** The check-in screen shown at the meeting: code, QR link and a live count of who is present. */
import { computed, onBeforeUnmount, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { ApiError, errorMessage } from '@/api/errors'
import { fetchActivity, type Activity } from '@/api/activities'
import { checkinUrl } from '@/pages/org_life/checkin/checkinLink'
import { checkinWindow } from './kinds'

export const POLL_MS = 5_000

export function useCheckinScreen() {
  const route = useRoute()
  const id = computed(() => Number(route.params.id))
  const activity = shallowRef<Activity | null>(null)
  const error = ref('')
  const now = ref(new Date())
  const lastUpdate = ref<Date | null>(null)

  const code = computed(() => activity.value?.checkin_code ?? '')
  const url = computed(() => (code.value ? checkinUrl(window.location.origin, id.value, code.value) : ''))
  const window_ = computed(() => (activity.value ? checkinWindow(activity.value.start_at, activity.value.end_at, now.value) : 'before'))

  let timer: ReturnType<typeof setInterval> | undefined
  async function refresh() {
    now.value = new Date()
    try {
      activity.value = await fetchActivity(id.value)
      lastUpdate.value = new Date()
      error.value = ''
      if (activity.value && activity.value.checkin_code == null) error.value = '只有活动的组织者可以查看签到码'
    } catch (e) {
      // Keep the last code on screen through a network blip; say so.
      error.value = e instanceof ApiError && (e.status === 403 || e.status === 404) ? '活动不存在或无权查看' : `刷新失败：${errorMessage(e)}`
    }
  }

  function start() {
    void refresh()
    clearInterval(timer)
    timer = setInterval(() => void refresh(), POLL_MS)
  }
  onBeforeUnmount(() => clearInterval(timer))

  return { id, activity, error, code, url, window: window_, lastUpdate, refresh, start }
}
