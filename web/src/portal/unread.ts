/**
 * What the signed-in member has not opened: bulletins and messages (节日问候 and other in-app
 * notifications). The 通知 tab's dot shows while either is unread; the pages that change them keep
 * these current.
 */
import { computed, ref } from 'vue'
import { api, unwrap } from '@/api/client'

export const unreadBulletins = ref(0)
export const unreadMessages = ref(0)
export const unreadAny = computed(() => unreadBulletins.value + unreadMessages.value > 0)

export async function refreshUnreadMessages(): Promise<void> {
  try {
    unreadMessages.value = (await unwrap(api.GET('/notifications', { params: { query: { unread: true, per_page: 1 } } }))).unread
  } catch {
    unreadMessages.value = 0
  }
}

export async function refreshUnread(): Promise<void> {
  await Promise.all([
    (async () => {
      try {
        unreadBulletins.value = (await unwrap(api.GET('/me/bulletins', { params: { query: { per_page: 1 } } }))).unread
      } catch {
        // Not a member account, or offline: no dot.
        unreadBulletins.value = 0
      }
    })(),
    refreshUnreadMessages(),
  ])
}
