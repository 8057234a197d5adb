import { computed, ref, shallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { ElMessage } from 'element-plus'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import type { Member } from '@/api/types'
import { provideUnmaskScope } from '@/composables/useUnmask'

export function useMemberDetail() {
  const route = useRoute()
  const id = computed(() => Number(route.params.id))
  const member = shallowRef<Member | null>(null)
  const loading = ref(false)
  const error = ref('')
  const unmasked = provideUnmaskScope()

  const transferVisible = ref(false)
  const transferOrg = ref<number | null>(null)
  const transferNote = ref('')
  const transferError = ref('')
  const transferring = ref(false)

  async function load() {
    loading.value = true
    error.value = ''
    try {
      member.value = await unwrap(api.GET('/members/{id}', { params: { path: { id: id.value } } }))
    } catch (e) {
      member.value = null
      error.value = e instanceof ApiError && (e.status === 403 || e.status === 404) ? '无权访问或不存在' : errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  /** 安全标记: raise to 敏感 (whoever may unmask), or lower (only with a 敏感 clearance, else refused). */
  async function setLabel(label: 'general' | 'sensitive') {
    if (!member.value) return
    try {
      await unwrap(api.PUT('/members/{id}/security-label', { params: { path: { id: member.value.id } }, body: { label } }))
      member.value = { ...member.value, security_label: label }
      unmasked.clear()
      ElMessage.success(label === 'sensitive' ? '已标为敏感：查看明文须有敏感级权限' : '已取消敏感标记')
    } catch (e) {
      ElMessage.error(errorMessage(e))
    }
  }

  function openTransfer() {
    transferOrg.value = null
    transferNote.value = ''
    transferError.value = ''
    transferVisible.value = true
  }

  async function confirmTransfer() {
    if (!member.value) return
    transferError.value = ''
    if (transferOrg.value == null) {
      transferError.value = '请选择转入组织'
      return
    }
    if (transferOrg.value === member.value.org_id) {
      transferError.value = '转入组织与当前所在组织相同'
      return
    }
    transferring.value = true
    try {
      member.value = await unwrap(
        api.POST('/members/{id}/transfer', {
          params: { path: { id: member.value.id } },
          body: { org_id: transferOrg.value, note: transferNote.value.trim() || null },
        }),
      )
      transferVisible.value = false
      ElMessage.success(`已转接至“${member.value.org_name}”`)
    } catch (e) {
      transferError.value = e instanceof ApiError ? (Object.values(e.errors)[0]?.[0] ?? e.summary) : errorMessage(e)
    } finally {
      transferring.value = false
    }
  }

  return {
    id,
    member,
    loading,
    error,
    unmasked,
    load,
    setLabel,
    transferVisible,
    transferOrg,
    transferNote,
    transferError,
    transferring,
    openTransfer,
    confirmTransfer,
  }
}
