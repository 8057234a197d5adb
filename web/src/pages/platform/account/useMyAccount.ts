import { ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { ActiveSession } from '@/api/types'

export function useMyAccount() {
  const sessions = ref<ActiveSession[]>([])
  const loading = ref(false)
  const error = ref('')
  const revoking = ref(false)

  async function loadSessions() {
    loading.value = true
    error.value = ''
    try {
      sessions.value = (await unwrap(api.GET('/me/sessions'))).items
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function revokeOthers() {
    try {
      await ElMessageBox.confirm('其他设备上的登录将全部失效，确定退出吗？', '退出其他设备', { type: 'warning' })
    } catch {
      return
    }
    revoking.value = true
    try {
      const { ended } = await unwrap(api.DELETE('/me/sessions'))
      ElMessage.success(ended > 0 ? `已退出 ${ended} 个其他设备上的登录` : '没有其他设备上的登录')
      await loadSessions()
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      revoking.value = false
    }
  }

  return { sessions, loading, error, revoking, loadSessions, revokeOthers }
}

/** "Mozilla/5.0 (X11; Linux x86_64) ... Chrome/120..." → "Chrome · Linux" */
export function describeAgent(ua: string | null | undefined): string {
  if (!ua) return '未知设备'
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /MicroMessenger/.test(ua)
      ? '微信'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Firefox\//.test(ua)
          ? 'Firefox'
          : /Safari\//.test(ua)
            ? 'Safari'
            : '浏览器'
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : ''
  return os ? `${browser} · ${os}` : browser
}
