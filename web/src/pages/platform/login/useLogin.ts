import { reactive, ref, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useSessionStore } from '@/stores/session'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage, lockoutMessage } from '@/api/errors'
import { homePath } from '@/menu'

/** The server's answers to a login that needs the authenticator's code (see `platform::second_factor`). */
export const OTP_REQUIRED = 'second_factor_required'
export const OTP_INVALID = 'second_factor_invalid'

/** A code as typed: digits only ("123 456" → "123456"). */
export function normaliseOtp(s: string): string {
  return s.replace(/\s+/g, '')
}

export function useLogin() {
  const session = useSessionStore()
  const router = useRouter()
  const route = useRoute()
  const form = reactive({ username: '', password: '', otp: '' })
  const submitting = ref(false)
  const error = ref('')
  /** The account has a second factor: the 动态口令 field is shown and sent. */
  const otpStep = ref(false)
  /** Why we are here (e.g. "会话已过期，请重新登录"). */
  const notice = ref(session.takeNotice() ?? '')

  // Another account: ask for its password first again.
  watch(
    () => form.username,
    () => {
      otpStep.value = false
      form.otp = ''
    },
  )

  function backToPassword() {
    otpStep.value = false
    form.otp = ''
    form.password = ''
    error.value = ''
  }

  async function submit() {
    error.value = ''
    if (!form.username.trim() || !form.password) {
      error.value = '请输入用户名和密码'
      return
    }
    const otp = normaliseOtp(form.otp)
    if (otpStep.value && !/^\d{6}$/.test(otp)) {
      error.value = '请输入验证器上显示的 6 位动态口令'
      return
    }
    submitting.value = true
    try {
      const body = { username: form.username.trim(), password: form.password, ...(otpStep.value ? { otp } : {}) }
      session.apply(await unwrap(api.POST('/session', { body })))
      notice.value = ''
      form.password = ''
      form.otp = ''
      otpStep.value = false
      if (session.mustChangePassword) {
        await router.replace({ name: 'change-password' })
        return
      }
      if (session.user?.must_set_up_second_factor) {
        await router.replace({ name: 'second-factor-setup' })
        return
      }
      const redirect = typeof route.query.redirect === 'string' && route.query.redirect.startsWith('/') ? route.query.redirect : null
      await router.replace(redirect ?? homePath(session.can))
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && (e.code === OTP_REQUIRED || e.code === OTP_INVALID)) {
        // The password was right: now the code (a first ask is not an error).
        const firstAsk = !otpStep.value && e.code === OTP_REQUIRED
        otpStep.value = true
        form.otp = ''
        error.value = firstAsk ? '' : e.title
      } else if (e instanceof ApiError && e.status === 423) {
        error.value = lockoutMessage(e)
      } else if (e instanceof ApiError && e.status === 401) {
        error.value = e.title || '用户名或密码错误'
      } else {
        error.value = errorMessage(e)
      }
    } finally {
      submitting.value = false
    }
  }

  return { form, submitting, error, notice, otpStep, submit, backToPassword }
}
