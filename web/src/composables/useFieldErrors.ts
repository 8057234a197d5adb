/** Per-field server errors (422/409 `errors` map) for el-form-item :error bindings. */
import { reactive, ref } from 'vue'
import { ApiError, errorMessage } from '@/api/errors'

export function useFieldErrors() {
  const fields = reactive<Record<string, string>>({})
  const general = ref('')

  function clear() {
    general.value = ''
    for (const k of Object.keys(fields)) delete fields[k]
  }

  /** Spreads an error over the fields; what cannot be attached to a field becomes `general`. */
  function apply(e: unknown, knownFields: string[] = []) {
    clear()
    if (e instanceof ApiError) {
      let attached = false
      for (const [k, v] of Object.entries(e.errors)) {
        fields[k] = v.join('；')
        if (knownFields.length === 0 || knownFields.includes(k)) attached = true
      }
      const stray = Object.entries(e.errors).filter(([k]) => knownFields.length && !knownFields.includes(k))
      if (!attached || stray.length) {
        general.value = stray.length ? `${e.title}：${stray.map(([, v]) => v.join('；')).join('；')}` : e.summary
      }
    } else {
      general.value = errorMessage(e)
    }
  }

  return { fields, general, clear, apply }
}
