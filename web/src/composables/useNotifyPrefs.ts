/**
 * 消息设置 of the signed-in user (console account page and the phone's 我的 → 消息设置): an email
 * address (shown masked; typing a new one replaces it), whether to receive by email, quiet hours.
 * Nothing is compulsory.
 */
import { reactive, ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { prefsBody, prefsForm, type NotifyPrefs, type PrefsForm } from '@/api/notify'
import { useFieldErrors } from './useFieldErrors'

export function useNotifyPrefs() {
  const saved = shallowRef<NotifyPrefs | null>(null)
  const form = reactive<PrefsForm>({ email: '', removeEmail: false, email_on: false, quiet: false, quiet_start: '22:00', quiet_end: '07:00' })
  const loading = ref(false)
  const saving = ref(false)
  const loadError = ref('')
  const errors = useFieldErrors()

  function apply(p: NotifyPrefs) {
    saved.value = p
    Object.assign(form, prefsForm(p))
  }

  async function load() {
    loading.value = true
    loadError.value = ''
    try {
      apply(await unwrap(api.GET('/notify/prefs')))
    } catch (e) {
      loadError.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  /** Saves; resolves true when saved (field errors land in `errors`). */
  async function save(): Promise<boolean> {
    saving.value = true
    errors.clear()
    try {
      apply(await unwrap(api.PUT('/notify/prefs', { body: prefsBody(form) })))
      return true
    } catch (e) {
      errors.apply(e, ['email', 'email_on', 'quiet_start', 'quiet_end'])
      return false
    } finally {
      saving.value = false
    }
  }

  /** 删除邮箱: marks the saved address for removal (and turns email off); saving removes it. */
  function removeEmail() {
    form.email = ''
    form.removeEmail = true
    form.email_on = false
  }

  /** Whether the switch may be on: a mail server, and an address saved (not being removed) or typed. */
  function emailPossible(): boolean {
    if (!saved.value?.email_available) return false
    return !!form.email.trim() || (!!saved.value.email_masked && !form.removeEmail)
  }

  return { saved, form, loading, saving, loadError, errors, load, save, removeEmail, emailPossible }
}
