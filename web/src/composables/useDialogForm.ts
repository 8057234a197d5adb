/**
 * A small dialog form: its state, first checks (worded like the server's), the request and the
 * server's field errors (problem+json `errors`) spread over the fields.
 */
import { reactive, ref, type UnwrapRef } from 'vue'
import { useFieldErrors } from './useFieldErrors'

export interface DialogFormSpec<F extends object, R> {
  blank: () => F
  /** Local checks: field → message. */
  check?: (f: UnwrapRef<F>) => Record<string, string | undefined>
  send: (f: UnwrapRef<F>) => Promise<R>
  /** Fields the form shows errors on; others go to the general alert. */
  fields: string[]
  onSaved?: (r: R) => void | Promise<void>
}

export function useDialogForm<F extends object, R>(spec: DialogFormSpec<F, R>) {
  const visible = ref(false)
  const form = reactive(spec.blank())
  const errors = useFieldErrors()
  const saving = ref(false)

  function open(init: Partial<F> = {}) {
    Object.assign(form, spec.blank(), init)
    errors.clear()
    visible.value = true
  }

  async function submit(): Promise<R | undefined> {
    errors.clear()
    const local = Object.fromEntries(Object.entries(spec.check?.(form as UnwrapRef<F>) ?? {}).filter(([, v]) => !!v)) as Record<string, string>
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return undefined
    }
    saving.value = true
    try {
      const r = await spec.send(form as UnwrapRef<F>)
      visible.value = false
      await spec.onSaved?.(r)
      return r
    } catch (e) {
      errors.apply(e, spec.fields)
      return undefined
    } finally {
      saving.value = false
    }
  }

  return { visible, form, errors, saving, open, submit }
}

export type DialogForm = ReturnType<typeof useDialogForm>
