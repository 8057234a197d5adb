import { reactive, ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useSessionStore } from '@/stores/session'
import { errorMessage } from '@/api/errors'
import { homePath } from '@/menu'

export function useLogin() {
  const session = useSessionStore()
  const router = useRouter()
  const route = useRoute()
  const form = reactive({ username: '', password: '' })
  const submitting = ref(false)
  const error = ref('')
  /** Why we are here (e.g. "会话已过期，请重新登录"). */
  const notice = ref(session.takeNotice() ?? '')

  async function submit() {
    error.value = ''
    if (!form.username.trim() || !form.password) {
      error.value = '请输入用户名和密码'
      return
    }
    submitting.value = true
    try {
      await session.login(form.username.trim(), form.password)
      notice.value = ''
      form.password = ''
      if (session.mustChangePassword) {
        await router.replace({ name: 'change-password' })
        return
      }
      const redirect = typeof route.query.redirect === 'string' && route.query.redirect.startsWith('/') ? route.query.redirect : null
      await router.replace(redirect ?? homePath(session.can))
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      submitting.value = false
    }
  }

  return { form, submitting, error, notice, submit }
}
