/** The notifications page: all or unread only, paged; opening one marks it read and follows its link. */
import { reactive } from 'vue'
import { api, unwrap } from '@/api/client'
import type { Notification } from '@/api/activities'
import { usePagedList } from '@/composables/usePagedList'
import { useNotificationStore } from '@/stores/notifications'

export interface NotificationFilters {
  unread: boolean
}

export function useNotificationList() {
  const store = useNotificationStore()
  const filters = reactive<NotificationFilters>({ unread: false })
  const list = usePagedList<Notification, NotificationFilters>(async (f, page) => {
    const res = await unwrap(api.GET('/notifications', { params: { query: { unread: f.unread, ...page } } }))
    store.unread = res.unread
    return { items: res.items, total: res.total }
  }, filters)

  async function markRead(n: Notification) {
    if (n.read) return
    await store.markRead(n.id)
    list.items.value = list.items.value.map((x) => (x.id === n.id ? { ...x, read: true } : x))
  }

  async function markAllRead(): Promise<number> {
    const marked = await store.markAllRead()
    await list.load()
    return marked
  }

  return { filters, list, store, markRead, markAllRead }
}
