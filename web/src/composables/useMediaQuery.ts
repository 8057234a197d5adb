import { onBeforeUnmount, ref } from 'vue'

/** Reactive `window.matchMedia(query).matches`. */
export function useMediaQuery(query: string) {
  const mql = typeof window !== 'undefined' ? window.matchMedia(query) : null
  const matches = ref(mql?.matches ?? false)
  const onChange = (e: MediaQueryListEvent) => (matches.value = e.matches)
  mql?.addEventListener('change', onChange)
  onBeforeUnmount(() => mql?.removeEventListener('change', onChange))
  return matches
}

/** True on phone-sized screens (sidebar becomes a drawer). */
export function useIsMobile() {
  return useMediaQuery('(max-width: 768px)')
}
