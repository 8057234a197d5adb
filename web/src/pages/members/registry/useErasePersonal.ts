import { computed, ref, type Ref } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError, errorMessage } from '@/api/errors'
import { erasePersonalData, isDeparted } from '@/api/privacy'
import type { Member } from '@/api/types'
import { useSessionStore } from '@/stores/session'

/**
 * 删除个人信息 (PIPL §47) on a member's page: offered for a departed member whose fields are still
 * there, to whoever manages the member's organisation and may unmask; a reason is required.
 */
export function useErasePersonal(member: Ref<Member | null>, onErased: (m: Member) => void) {
  const session = useSessionStore()
  const visible = ref(false)
  const reason = ref('')
  const reasonError = ref('')
  const busy = ref(false)

  const offered = computed(() => {
    const m = member.value
    return (
      !!m &&
      m.home &&
      isDeparted(m.status) &&
      !m.personal_erased_at &&
      session.can('member.write') &&
      session.can('member.unmask')
    )
  })

  function open() {
    reason.value = ''
    reasonError.value = ''
    visible.value = true
  }

  async function confirm() {
    const m = member.value
    if (!m) return
    reasonError.value = ''
    if (reason.value.trim().length < 2) {
      reasonError.value = '请填写删除原因（至少 2 个字），例如“本人申请删除”'
      return
    }
    busy.value = true
    try {
      const erased = await erasePersonalData(m.id, reason.value.trim())
      visible.value = false
      onErased(erased)
      ElMessage.success('个人信息已删除，已记入审计日志')
    } catch (e) {
      reasonError.value = e instanceof ApiError ? (Object.values(e.errors)[0]?.[0] ?? e.summary) : errorMessage(e)
    } finally {
      busy.value = false
    }
  }

  return { offered, visible, reason, reasonError, busy, open, confirm }
}
