/**
 * 消息推送 in the console: the group robots (企业微信 / 钉钉) of my subtree with what they sent in the
 * last 7 days, adding, testing and switching one off; and the deliveries of the outbox (waiting, delivered,
 * given up) with counts, filters and 重新发送.
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { Channel, OutboxItem, OutboxPage, OutboxStatus, Robot, RobotKind, RobotList } from '@/api/notify'
import { useFieldErrors } from '@/composables/useFieldErrors'

export function useRobots() {
  const filters = reactive<{ org: number | null }>({ org: null })
  const list = shallowRef<RobotList | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await unwrap(api.GET('/notify/robots', { params: { query: cleanQuery({ org: filters.org ?? undefined }) } }))
      if (mine === seq) list.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(() => filters.org, load)

  function replace(r: Robot) {
    if (list.value) list.value = { ...list.value, items: list.value.items.map((x) => (x.id === r.id ? r : x)) }
  }
  async function test(r: Robot): Promise<Robot> {
    const updated = await unwrap(api.POST('/notify/robots/{id}/test', { params: { path: { id: r.id } } }))
    replace(updated)
    return updated
  }
  /** 停用: the robot stays listed, switched off; what it still had to send is given up. */
  async function disable(r: Robot): Promise<Robot> {
    const updated = await unwrap(api.POST('/notify/robots/{id}/disable', { params: { path: { id: r.id } } }))
    replace(updated)
    return updated
  }
  return { filters, list, loading, error, load, test, disable }
}

/** The 添加群机器人 form: the secret only for DingTalk (加签). */
export function useRobotForm(onSaved: (r: Robot) => void) {
  const form = reactive<{ org_id: number | null; kind: RobotKind; name: string; webhook_url: string; secret: string }>({
    org_id: null,
    kind: 'wecom',
    name: '',
    webhook_url: '',
    secret: '',
  })
  const errors = useFieldErrors()
  const saving = ref(false)
  function reset() {
    errors.clear()
    Object.assign(form, { org_id: form.org_id, kind: form.kind, name: '', webhook_url: '', secret: '' })
  }
  async function submit() {
    errors.clear()
    if (form.org_id == null) {
      errors.fields.org_id = '请选择所属组织'
      return
    }
    saving.value = true
    try {
      const body = {
        org_id: form.org_id ?? 0,
        kind: form.kind,
        name: form.name.trim(),
        webhook_url: form.webhook_url.trim(),
        secret: form.kind === 'dingtalk' && form.secret.trim() ? form.secret.trim() : null,
      }
      const r = await unwrap(api.POST('/notify/robots', { body }))
      reset()
      onSaved(r)
    } catch (e) {
      errors.apply(e, ['org_id', 'kind', 'name', 'webhook_url', 'secret'])
    } finally {
      saving.value = false
    }
  }
  return { form, errors, saving, reset, submit }
}

export interface OutboxFilters {
  status: OutboxStatus | ''
  channel: Channel | ''
  failed: boolean
  page: number
}

export const OUTBOX_PER_PAGE = 20

export function useOutbox(initial: Partial<OutboxFilters> = {}) {
  const filters = reactive<OutboxFilters>({ status: '', channel: '', failed: false, page: 1, ...initial })
  const result = shallowRef<OutboxPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const query = cleanQuery({
        status: filters.status || undefined,
        channel: filters.channel || undefined,
        failed: filters.failed || undefined,
        page: filters.page,
        per_page: OUTBOX_PER_PAGE,
      })
      const r = await unwrap(api.GET('/notify/outbox', { params: { query } }))
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(
    () => [filters.status, filters.channel, filters.failed],
    () => (filters.page === 1 ? load() : (filters.page = 1)),
  )
  watch(() => filters.page, load)

  async function retry(item: OutboxItem): Promise<OutboxItem> {
    const r = await unwrap(api.POST('/notify/outbox/{id}/retry', { params: { path: { id: item.id } } }))
    if (result.value) result.value = { ...result.value, items: result.value.items.map((x) => (x.id === r.id ? r : x)) }
    return r
  }
  return { filters, result, loading, error, load, retry }
}
