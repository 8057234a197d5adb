/** The workbench: what needs the signed-in person today (GET /workbench), most urgent first. */
import { ref, shallowRef } from 'vue'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { WorkItem } from '@/api/types'

export function useWorkbench() {
  const items = shallowRef<WorkItem[]>([])
  const loading = ref(false)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      items.value = (await unwrap(api.GET('/workbench'))).items
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  return { items, loading, error, load }
}

/** The card colour of an item's tone. */
export function toneClass(tone: string): string {
  return tone === 'danger' || tone === 'warning' ? tone : 'primary'
}
