/**
 * 两步验证 (the second factor, TOTP) of the signed-in account: its status, the enrolment (start →
 * QR code + Base32 secret → confirm with a code) and switching it off (password + code).
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import type { components } from '@/api/schema'

export type SecondFactorStatus = components['schemas']['SecondFactorStatus']
export type SecondFactorEnrolment = components['schemas']['SecondFactorEnrolment']

/** The QR code's SVG (drawn by the server) as an image source: no script runs, CSP allows `data:`. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/** A code as typed: digits only. */
export function cleanCode(s: string): string {
  return s.replace(/\s+/g, '')
}

export function useSecondFactor() {
  const status = shallowRef<SecondFactorStatus | null>(null)
  const enrolment = shallowRef<SecondFactorEnrolment | null>(null)
  const loading = ref(false)
  const error = ref('')
  const starting = ref(false)
  const confirming = ref(false)
  const confirmCode = ref('')
  const confirmError = ref('')

  const disableVisible = ref(false)
  const disableForm = reactive({ password: '', code: '' })
  const disableErrors = reactive<{ password: string; code: string; general: string }>({ password: '', code: '', general: '' })
  const disabling = ref(false)

  const qrSrc = computed(() => (enrolment.value ? svgDataUrl(enrolment.value.qr_svg) : ''))

  async function load() {
    loading.value = true
    error.value = ''
    try {
      status.value = await unwrap(api.GET('/me/second-factor'))
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function start() {
    starting.value = true
    error.value = ''
    confirmError.value = ''
    confirmCode.value = ''
    try {
      enrolment.value = await unwrap(api.POST('/me/second-factor'))
      if (status.value) status.value = { ...status.value, pending: true }
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      starting.value = false
    }
  }

  function cancel() {
    enrolment.value = null
    confirmCode.value = ''
    confirmError.value = ''
  }

  /** Confirms with the current code; resolves to whether the second factor is now on. */
  async function confirm(): Promise<boolean> {
    confirmError.value = ''
    const code = cleanCode(confirmCode.value)
    if (!/^\d{6}$/.test(code)) {
      confirmError.value = '请输入验证器上显示的 6 位数字'
      return false
    }
    confirming.value = true
    try {
      status.value = await unwrap(api.POST('/me/second-factor/confirm', { body: { code } }))
      enrolment.value = null
      confirmCode.value = ''
      return true
    } catch (e) {
      confirmError.value = e instanceof ApiError ? (e.fieldError('code') ?? e.summary) : errorMessage(e)
      return false
    } finally {
      confirming.value = false
    }
  }

  function openDisable() {
    disableForm.password = ''
    disableForm.code = ''
    disableErrors.password = disableErrors.code = disableErrors.general = ''
    disableVisible.value = true
  }

  /** Switches it off; resolves to whether it is now off. */
  async function disable(): Promise<boolean> {
    disableErrors.password = disableErrors.code = disableErrors.general = ''
    if (!disableForm.password) disableErrors.password = '请输入当前密码'
    if (!/^\d{6}$/.test(cleanCode(disableForm.code))) disableErrors.code = '请输入验证器上显示的 6 位数字'
    if (disableErrors.password || disableErrors.code) return false
    disabling.value = true
    try {
      status.value = await unwrap(
        api.POST('/me/second-factor/disable', { body: { password: disableForm.password, code: cleanCode(disableForm.code) } }),
      )
      disableVisible.value = false
      return true
    } catch (e) {
      if (e instanceof ApiError && (e.fieldError('password') || e.fieldError('code'))) {
        disableErrors.password = e.fieldError('password') ?? ''
        disableErrors.code = e.fieldError('code') ?? ''
      } else {
        disableErrors.general = errorMessage(e)
      }
      return false
    } finally {
      disabling.value = false
    }
  }

  return {
    status,
    enrolment,
    loading,
    error,
    starting,
    confirming,
    confirmCode,
    confirmError,
    qrSrc,
    load,
    start,
    cancel,
    confirm,
    disableVisible,
    disableForm,
    disableErrors,
    disabling,
    openDisable,
    disable,
  }
}
