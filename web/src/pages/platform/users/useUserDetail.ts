import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { useRoute } from 'vue-router'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import type { Grant, Role, UserView } from '@/api/types'
import type { components } from '@/api/schema'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { roleLabel } from '@/permissions'

export function useUserDetail() {
  const route = useRoute()
  const id = computed(() => Number(route.params.id))
  const user = shallowRef<UserView | null>(null)
  /** The user's second factor (两步验证): on, pending, or required by the policy. */
  const secondFactor = shallowRef<components['schemas']['SecondFactorStatus'] | null>(null)
  const roles = ref<Role[]>([])
  const loading = ref(false)
  const error = ref('')

  const editVisible = ref(false)
  const editForm = reactive({ display_name: '' })
  const editErrors = useFieldErrors()
  const saving = ref(false)

  const resetVisible = ref(false)
  const resetForm = reactive({ new_password: '' })
  const resetErrors = useFieldErrors()
  const resetting = ref(false)

  const grantVisible = ref(false)
  const grantForm = reactive<{ role: string; org_id: number | null; department_id: number | null; host_id: number | null }>({
    role: '',
    org_id: null,
    department_id: null,
    host_id: null,
  })
  const grantErrors = useFieldErrors()
  const granting = ref(false)
  const grantRole = computed(() => roles.value.find((r) => r.code === grantForm.role) ?? null)
  /** A department handler's grant names a county and one of its departments. */
  const departments = ref<{ id: number; name: string }[]>([])
  watch(
    () => [grantForm.role, grantForm.org_id] as const,
    async ([role, org]) => {
      departments.value = []
      grantForm.department_id = null
      if (role !== 'department_handler' || org == null) return
      try {
        departments.value = (await unwrap(api.GET('/departments', { params: { query: { county: org } } }))).items
      } catch {
        departments.value = []
      }
    },
  )
  /** An enterprise contact's grant names an organisation and an enterprise of its coverage registry. */
  const hosts = ref<{ id: number; name: string }[]>([])
  async function searchHosts(q = '') {
    const org = grantForm.org_id
    if (grantForm.role !== 'enterprise_contact' || org == null) {
      hosts.value = []
      return
    }
    try {
      hosts.value = await unwrap(api.GET('/users/grant-hosts', { params: { query: { org, q: q || undefined } } }))
    } catch {
      hosts.value = []
    }
  }
  watch(
    () => [grantForm.role, grantForm.org_id] as const,
    () => {
      grantForm.host_id = null
      void searchHosts()
    },
  )

  async function load() {
    loading.value = true
    error.value = ''
    try {
      user.value = await unwrap(api.GET('/users/{id}', { params: { path: { id: id.value } } }))
      void loadSecondFactor()
    } catch (e) {
      user.value = null
      error.value = e instanceof ApiError && (e.status === 403 || e.status === 404) ? '无权访问或不存在' : errorMessage(e)
    } finally {
      loading.value = false
    }
    if (!roles.value.length) {
      roles.value = await unwrap(api.GET('/roles')).catch(() => [])
    }
  }

  async function loadSecondFactor() {
    try {
      secondFactor.value = await unwrap(api.GET('/users/{id}/second-factor', { params: { path: { id: id.value } } }))
    } catch {
      secondFactor.value = null
    }
  }

  /** A lost phone: the user signs in with the password alone until they set up a new one. */
  async function resetSecondFactor() {
    if (!user.value) return
    try {
      await ElMessageBox.confirm(
        `重置后，“${user.value.username}”登录时不再需要动态口令，须在“我的账户”中重新开启（安全策略要求时，下次登录即须重新开启）。请先核实是本人因手机丢失或更换提出的申请。确定重置吗？`,
        '重置两步验证',
        { type: 'warning' },
      )
    } catch {
      return
    }
    try {
      await unwrap(api.POST('/users/{id}/second-factor/reset', { params: { path: { id: id.value } } }))
      ElMessage.success('已重置两步验证')
      await loadSecondFactor()
    } catch (e) {
      ElMessage.error(errorMessage(e))
    }
  }

  function roleName(code: string): string {
    return roles.value.find((r) => r.code === code)?.name ?? roleLabel(code)
  }

  function openEdit() {
    editForm.display_name = user.value?.display_name ?? ''
    editErrors.clear()
    editVisible.value = true
  }

  async function saveEdit() {
    saving.value = true
    editErrors.clear()
    try {
      user.value = await unwrap(
        api.PATCH('/users/{id}', { params: { path: { id: id.value } }, body: { display_name: editForm.display_name.trim() } }),
      )
      editVisible.value = false
      ElMessage.success('已保存')
    } catch (e) {
      editErrors.apply(e, ['display_name'])
    } finally {
      saving.value = false
    }
  }

  async function toggleDisabled() {
    if (!user.value) return
    const disable = !user.value.disabled
    try {
      await ElMessageBox.confirm(
        disable ? `停用后“${user.value.username}”将无法登录，已登录的会话也会失效。确定停用吗？` : `确定启用“${user.value.username}”吗？`,
        disable ? '停用用户' : '启用用户',
        { type: 'warning' },
      )
    } catch {
      return
    }
    try {
      user.value = await unwrap(api.PATCH('/users/{id}', { params: { path: { id: id.value } }, body: { disabled: disable } }))
      ElMessage.success(disable ? '已停用' : '已启用')
    } catch (e) {
      ElMessage.error(errorMessage(e))
    }
  }

  /** The account's clearance for security labels (安全标记): only the security administrator sets it. */
  async function setClearance(clearance: 'general' | 'sensitive') {
    if (!user.value) return
    try {
      await unwrap(api.PUT('/users/{id}/clearance', { params: { path: { id: id.value } }, body: { clearance } }))
      user.value = { ...user.value, clearance }
      ElMessage.success(clearance === 'sensitive' ? '已授予敏感级权限' : '已改为一般权限')
    } catch (e) {
      ElMessage.error(errorMessage(e))
    }
  }

  function openReset() {
    resetForm.new_password = ''
    resetErrors.clear()
    resetVisible.value = true
  }

  async function submitReset() {
    resetErrors.clear()
    if (!resetForm.new_password) {
      resetErrors.fields.new_password = '请输入新密码'
      return
    }
    resetting.value = true
    try {
      await unwrap(api.POST('/users/{id}/password', { params: { path: { id: id.value } }, body: { new_password: resetForm.new_password } }))
      resetVisible.value = false
      ElMessage.success('密码已重置，用户下次登录须修改密码')
      await load()
    } catch (e) {
      resetErrors.apply(e, ['new_password'])
    } finally {
      resetting.value = false
    }
  }

  function openGrant() {
    grantForm.role = ''
    grantForm.org_id = null
    grantForm.department_id = null
    grantForm.host_id = null
    grantErrors.clear()
    grantVisible.value = true
  }

  async function submitGrant() {
    grantErrors.clear()
    if (!grantForm.role) {
      grantErrors.fields.role = '请选择角色'
      return
    }
    if (grantRole.value?.needs_org && grantForm.org_id == null) {
      grantErrors.fields.org_id = '该角色须指定组织范围'
      return
    }
    granting.value = true
    try {
      user.value = await unwrap(
        api.POST('/users/{id}/grants', {
          params: { path: { id: id.value } },
          body: {
            role: grantForm.role,
            org_id: grantRole.value?.needs_org ? grantForm.org_id : null,
            department_id: grantForm.role === 'department_handler' ? grantForm.department_id : null,
            host_id: grantForm.role === 'enterprise_contact' ? grantForm.host_id : null,
          },
        }),
      )
      grantVisible.value = false
      ElMessage.success('已授权')
    } catch (e) {
      grantErrors.apply(e, ['role', 'org_id', 'department_id', 'host_id'])
    } finally {
      granting.value = false
    }
  }

  async function removeGrant(g: Grant) {
    try {
      await ElMessageBox.confirm(`撤销“${g.role_label || roleName(g.role)}${g.org_name ? ` @ ${g.org_name}` : ''}”授权吗？`, '撤销授权', {
        type: 'warning',
      })
    } catch {
      return
    }
    try {
      user.value = await unwrap(api.DELETE('/users/{id}/grants/{grant_id}', { params: { path: { id: id.value, grant_id: g.id } } }))
      ElMessage.success('已撤销授权')
    } catch (e) {
      ElMessage.error(errorMessage(e))
    }
  }

  return {
    id,
    user,
    setClearance,
    secondFactor,
    resetSecondFactor,
    roles,
    loading,
    error,
    load,
    roleName,
    editVisible,
    editForm,
    editErrors,
    saving,
    openEdit,
    saveEdit,
    toggleDisabled,
    resetVisible,
    resetForm,
    resetErrors,
    resetting,
    openReset,
    submitReset,
    grantVisible,
    grantForm,
    departments,
    hosts,
    searchHosts,
    grantErrors,
    granting,
    grantRole,
    openGrant,
    submitGrant,
    removeGrant,
  }
}
