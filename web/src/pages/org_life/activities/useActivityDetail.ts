/** One activity: its facts, cancel, the county admin's approval of a back-dated recording, attachments. */
import { computed, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import { uploadAttachment } from '@/api/attachments'
import { fetchActivity, type Activity } from '@/api/activities'
import { useSessionStore } from '@/stores/session'

export function useActivityDetail() {
  const route = useRoute()
  const session = useSessionStore()
  const id = computed(() => Number(route.params.id))
  const activity = shallowRef<Activity | null>(null)
  const loading = ref(false)
  const error = ref('')

  /** The server shows the check-in code only to those who manage the activity. */
  const canManage = computed(() => session.can('activity.write') && activity.value?.checkin_code != null)
  const canApprove = computed(() => session.can('activity.approve') && activity.value?.approval?.status === 'pending')
  const started = computed(() => (activity.value ? new Date(activity.value.start_at).getTime() <= Date.now() : false))

  async function load() {
    loading.value = true
    error.value = ''
    try {
      activity.value = await fetchActivity(id.value)
    } catch (e) {
      activity.value = null
      error.value = e instanceof ApiError && (e.status === 403 || e.status === 404) ? '活动不存在或无权查看' : errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function cancel() {
    if (!activity.value) return
    try {
      await ElMessageBox.confirm(`取消“${activity.value.topic}”后不再计入组织生活考核，党员也不能再签到。`, '取消活动', {
        type: 'warning',
        confirmButtonText: '取消活动',
        cancelButtonText: '不取消',
      })
    } catch {
      return
    }
    try {
      activity.value = await unwrap(api.POST('/activities/{id}/cancel', { params: { path: { id: id.value } } }))
      ElMessage.success('活动已取消')
    } catch (e) {
      ElMessage.error(errorMessage(e))
    }
  }

  const decisionNote = ref('')
  const deciding = ref(false)
  async function decide(approve: boolean) {
    if (!approve && !decisionNote.value.trim()) {
      ElMessage.warning('驳回时请填写审批意见')
      return
    }
    deciding.value = true
    try {
      activity.value = await unwrap(
        api.POST('/activities/{id}/approval', {
          params: { path: { id: id.value } },
          body: { approve, note: decisionNote.value.trim() || null },
        }),
      )
      decisionNote.value = ''
      ElMessage.success(approve ? '已批准补录' : '已驳回补录申请')
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      deciding.value = false
    }
  }

  const uploading = ref(false)
  const uploadPercent = ref(0)
  /** Uploads one file; resolves to an error message or ''. */
  async function upload(file: File): Promise<string> {
    uploading.value = true
    uploadPercent.value = 0
    try {
      const res = await uploadAttachment(`/activities/${id.value}/attachments`, file, (p) => (uploadPercent.value = p))
      if ('error' in res) return res.error
      if (activity.value) activity.value = { ...activity.value, attachments: [...activity.value.attachments, res.attachment] }
      return ''
    } finally {
      uploading.value = false
    }
  }

  return { id, activity, loading, error, canManage, canApprove, started, load, cancel, decisionNote, deciding, decide, uploading, uploadPercent, upload }
}
