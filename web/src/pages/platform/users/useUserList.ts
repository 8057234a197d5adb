import { reactive, ref } from 'vue'
import { useRouter } from 'vue-router'
import { ElMessage } from 'element-plus'
import { api, cleanQuery, unwrap } from '@/api/client'
import type { UserView } from '@/api/types'
import { usePagedList } from '@/composables/usePagedList'
import { useFieldErrors } from '@/composables/useFieldErrors'

export function useUserList() {
  const router = useRouter()
  const filters = reactive({ q: '' })
  const list = usePagedList<UserView, typeof filters>(
    (f, page) => unwrap(api.GET('/users', { params: { query: cleanQuery({ q: f.q.trim(), ...page }) } })),
    filters,
  )

  const createVisible = ref(false)
  const creating = ref(false)
  const createForm = reactive({ username: '', display_name: '', password: '' })
  const createErrors = useFieldErrors()

  function openCreate() {
    Object.assign(createForm, { username: '', display_name: '', password: '' })
    createErrors.clear()
    createVisible.value = true
  }

  async function submitCreate() {
    createErrors.clear()
    if (!createForm.username.trim()) createErrors.fields.username = '请输入用户名'
    if (!createForm.display_name.trim()) createErrors.fields.display_name = '请输入姓名'
    if (!createForm.password) createErrors.fields.password = '请输入初始密码'
    if (Object.keys(createErrors.fields).length) return
    creating.value = true
    try {
      const user = await unwrap(
        api.POST('/users', {
          body: { username: createForm.username.trim(), display_name: createForm.display_name.trim(), password: createForm.password },
        }),
      )
      createVisible.value = false
      ElMessage.success(`已创建用户“${user.username}”，首次登录需修改密码`)
      await router.push(`/users/${user.id}`)
    } catch (e) {
      createErrors.apply(e, ['username', 'display_name', 'password'])
    } finally {
      creating.value = false
    }
  }

  return { filters, list, createVisible, creating, createForm, createErrors, openCreate, submitCreate }
}
