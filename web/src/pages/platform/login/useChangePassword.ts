import { reactive, ref } from 'vue'
import { ApiError, errorMessage } from '@/api/errors'
import { useSessionStore } from '@/stores/session'

/** The change-password form, used by the forced page and by "我的账户". */
export function useChangePassword(onDone: () => void | Promise<void>) {
  const session = useSessionStore()
  const form = reactive({ old_password: '', new_password: '', confirm: '' })
  const fieldErrors = reactive<Record<string, string>>({})
  const error = ref('')
  const submitting = ref(false)

  function clearErrors() {
    error.value = ''
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
  }

  async function submit() {
    clearErrors()
    if (!form.old_password) fieldErrors.old_password = '请输入当前密码'
    if (!form.new_password) fieldErrors.new_password = '请输入新密码'
    else if (form.new_password === form.old_password) fieldErrors.new_password = '新密码不能与当前密码相同'
    if (form.confirm !== form.new_password) fieldErrors.confirm = '两次输入的新密码不一致'
    if (Object.keys(fieldErrors).length) return
    submitting.value = true
    try {
      await session.changePassword(form.old_password, form.new_password)
      form.old_password = form.new_password = form.confirm = ''
      await onDone()
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.errors).length) {
        for (const [k, v] of Object.entries(e.errors)) fieldErrors[k] = v.join('；')
        if (!fieldErrors.old_password && !fieldErrors.new_password) error.value = e.title
      } else {
        error.value = errorMessage(e)
      }
    } finally {
      submitting.value = false
    }
  }

  return { form, fieldErrors, error, submitting, submit }
}
