/** One activity: its facts, cancel, the county admin's approval of a back-dated recording, attachments. */
import { computed, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage, toApiError } from '@/api/errors'
import { uploadForm } from '@/api/upload'
import { fetchActivity, type Activity, type Attachment } from '@/api/activities'
import { useSessionStore } from '@/stores/session'

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
export const ATTACHMENT_EXTENSIONS = ['jpg', 'jpeg', 'png', 'pdf', 'docx', 'xlsx']
export const ATTACHMENT_ACCEPT = '.jpg,.jpeg,.png,.pdf,.docx,.xlsx'

/** The server's rules, checked before uploading: '' when the file may go. */
export function checkAttachment(file: { name: string; size: number }): string {
  const ext = file.name.toLowerCase().split('.').pop() ?? ''
  if (!file.name.includes('.') || !ATTACHMENT_EXTENSIONS.includes(ext)) return '只接受照片（JPG、PNG）和文档（PDF、Word、Excel）'
  if (file.size === 0) return '文件是空的'
  if (file.size > MAX_ATTACHMENT_BYTES) return '文件过大，上限 20 MB'
  return ''
}

export function isImage(a: Pick<Attachment, 'content_type'>): boolean {
  return a.content_type === 'image/jpeg' || a.content_type === 'image/png'
}

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
    const problem = checkAttachment(file)
    if (problem) return problem
    uploading.value = true
    uploadPercent.value = 0
    try {
      const form = new FormData()
      form.append('file', file, file.name)
      const res = await uploadForm(`/activities/${id.value}/attachments`, {}, form, {
        onProgress: (loaded, total) => (uploadPercent.value = Math.round((loaded / total) * 100)),
      })
      if (res.status >= 400) {
        const err = toApiError(res.status, res.body)
        return err.fieldError('file') ?? err.summary
      }
      const att = res.body as Attachment
      if (activity.value) activity.value = { ...activity.value, attachments: [...activity.value.attachments, att] }
      return ''
    } catch (e) {
      return errorMessage(e)
    } finally {
      uploading.value = false
    }
  }

  return { id, activity, loading, error, canManage, canApprove, started, load, cancel, decisionNote, deciding, decide, uploading, uploadPercent, upload }
}
