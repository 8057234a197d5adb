/** How many bulletins the signed-in member has not opened: the tab bar's dot, refreshed by the pages that change it. */
import { ref } from 'vue'
import { api, unwrap } from '@/api/client'

export const unreadBulletins = ref(0)

export async function refreshUnread(): Promise<void> {
  try {
    unreadBulletins.value = (await unwrap(api.GET('/me/bulletins', { params: { query: { per_page: 1 } } }))).unread
  } catch {
    // Not a member account, or offline: no dot.
    unreadBulletins.value = 0
  }
}
