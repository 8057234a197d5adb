/**
 * In-app notifications: the unread count behind the header bell (polled every
 * 60 s while the console is open) and the few latest ones for its popover.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import type { Notification } from '@/api/activities'

export const POLL_INTERVAL_MS = 60_000
export const RECENT_COUNT = 6

export const NOTIFICATION_KIND_LABELS: Record<string, string> = {
  duty: '任务提醒',
  duty_rollup: '汇总提醒',
  approval: '补录审批',
  greeting: '节日问候',
}

/** Only in-app paths are followed; anything else stays on the list. */
export function safeLink(link: string | null | undefined): string | null {
  return link && link.startsWith('/') && !link.startsWith('//') ? link : null
}

export const useNotificationStore = defineStore('notifications', () => {
  const unread = ref(0)
  const recent = shallowRef<Notification[]>([])
  const loaded = ref(false)
  let timer: ReturnType<typeof setInterval> | undefined
  let users = 0

  async function refresh() {
    try {
      const res = await unwrap(api.GET('/notifications', { params: { query: { per_page: RECENT_COUNT } } }))
      unread.value = res.unread
      recent.value = res.items
      loaded.value = true
    } catch {
      // The bell is not worth an error toast; the next poll tries again.
    }
  }

  /** Starts polling (idempotent per caller; stops when the last caller stops). */
  function startPolling() {
    users++
    if (timer) return
    void refresh()
    timer = setInterval(() => void refresh(), POLL_INTERVAL_MS)
  }

  function stopPolling() {
    users = Math.max(0, users - 1)
    if (users === 0 && timer) {
      clearInterval(timer)
      timer = undefined
      // The layout (and the bell) goes away on signing out: forget this user's count.
      reset()
    }
  }

  async function markRead(id: number) {
    await unwrap(api.POST('/notifications/{id}/read', { params: { path: { id } } }))
    recent.value = recent.value.map((n) => (n.id === id ? { ...n, read: true } : n))
    void refresh()
  }

  async function markAllRead(): Promise<number> {
    const res = await unwrap(api.POST('/notifications/read-all'))
    unread.value = 0
    recent.value = recent.value.map((n) => ({ ...n, read: true }))
    return res.marked
  }

  function reset() {
    unread.value = 0
    recent.value = []
    loaded.value = false
  }

  return { unread, recent, loaded, refresh, startPolling, stopPolling, markRead, markAllRead, reset }
})
