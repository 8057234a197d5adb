/** Dictionaries from GET /meta (kinds, statuses, regions...), loaded once per sign-in. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, unwrap } from '@/api/client'
import type { CodeLabel, Meta, Region } from '@/api/types'

export const useMetaStore = defineStore('meta', () => {
  const meta = ref<Meta | null>(null)
  let pending: Promise<Meta> | null = null

  function load(): Promise<Meta> {
    if (meta.value) return Promise.resolve(meta.value)
    pending ??= unwrap(api.GET('/meta'))
      .then((m) => (meta.value = m))
      .finally(() => {
        pending = null
      })
    return pending
  }

  function reset() {
    meta.value = null
  }

  function labelOf(list: keyof Meta, code: string | null | undefined): string {
    if (!code) return ''
    const entries = meta.value?.[list] as CodeLabel[] | undefined
    return entries?.find((e) => e.code === code)?.label ?? code
  }

  /** Region codes → "广东省 广州市 天河区". */
  function regionPath(codes: (string | null | undefined)[]): string {
    const names: string[] = []
    let level: Region[] | undefined = meta.value?.regions
    for (const code of codes) {
      if (!code || !level) break
      const r: Region | undefined = level.find((x) => x.code === code)
      if (!r) break
      names.push(r.name)
      level = r.children
    }
    return names.join(' ')
  }

  return { meta, load, reset, labelOf, regionPath }
})
