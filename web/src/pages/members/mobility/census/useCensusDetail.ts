/**
 * One census: its progress (overall and per organisation), the entries to
 * verify, the verification form (one member at a time, phone-friendly) and
 * closing the campaign.
 */
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { useRoute } from 'vue-router'
import { api, cleanQuery, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import { fetchOrg, fetchRoots } from '@/api/orgs'
import type { Campaign, CensusEntry, EntryInput } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { usePagedList } from '@/composables/usePagedList'

export interface EntryFilters {
  org: number | null
  /** '' all, 'false' still to verify, 'true' verified. */
  verified: '' | 'true' | 'false'
}

export interface EntryForm {
  reached: boolean
  current_place: string
  current_employer: string
  circumstances: string
  thoughts: string
  needs: string
}

export function blankEntryForm(): EntryForm {
  return { reached: true, current_place: '', current_employer: '', circumstances: '', thoughts: '', needs: '' }
}

/** The form for an entry: what was recorded before, or a blank one. */
export function entryForm(e: CensusEntry): EntryForm {
  if (e.reached == null) return blankEntryForm()
  return {
    reached: e.reached,
    current_place: e.current_place ?? '',
    current_employer: e.current_employer ?? '',
    circumstances: e.circumstances ?? '',
    thoughts: e.thoughts ?? '',
    needs: e.needs ?? '',
  }
}

const text = (s: string) => s.trim() || null

export function entryPayload(f: EntryForm): EntryInput {
  return {
    reached: f.reached,
    current_place: text(f.current_place),
    current_employer: text(f.current_employer),
    circumstances: text(f.circumstances),
    thoughts: text(f.thoughts),
    needs: text(f.needs),
  }
}

export function checkEntry(f: EntryForm): Record<string, string> {
  return f.reached && !f.current_place.trim() ? { current_place: '已联系上的党员请填写现所在地' } : {}
}

/** The next entry still to verify after `currentId` in the list (wrapping round), or null. */
export function nextUnverified(items: CensusEntry[], currentId: number): CensusEntry | null {
  const i = items.findIndex((e) => e.id === currentId)
  const order = [...items.slice(i + 1), ...items.slice(0, Math.max(0, i))]
  return order.find((e) => e.reached == null && e.id !== currentId) ?? null
}

/** Whether one of the caller's grant roots contains the organisation at `path`. */
export function manages(rootPaths: string[], path: string): boolean {
  return rootPaths.some((p) => path.startsWith(p))
}

export function useCensusDetail() {
  const route = useRoute()
  const id = computed(() => Number(route.params.id))
  const campaign = shallowRef<Campaign | null>(null)
  const loading = ref(false)
  const error = ref('')
  /** Whether the caller manages the campaign's whole subtree (only they may close it); null: unknown. */
  const mayClose = ref<boolean | null>(null)

  async function load() {
    loading.value = true
    error.value = ''
    try {
      campaign.value = await unwrap(api.GET('/censuses/{id}', { params: { path: { id: id.value } } }))
    } catch (e) {
      campaign.value = null
      error.value = e instanceof ApiError && (e.status === 404 || e.status === 403) ? '摸排不存在或无权查看' : errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function checkMayClose() {
    if (!campaign.value) return
    try {
      const [roots, org] = await Promise.all([fetchRoots(), fetchOrg(campaign.value.org_id)])
      mayClose.value = manages(
        roots.items.map((r) => r.path),
        org.path,
      )
    } catch {
      // Cannot tell (e.g. the campaign's organisation is above the caller's scope): not theirs to close.
      mayClose.value = false
    }
  }

  const filters = reactive<EntryFilters>({ org: null, verified: '' })
  const entries = usePagedList<CensusEntry, EntryFilters>(
    (f, page) =>
      unwrap(
        api.GET('/censuses/{id}/entries', {
          params: {
            path: { id: id.value },
            query: cleanQuery({ org: f.org ?? undefined, verified: f.verified === '' ? undefined : f.verified === 'true', ...page }),
          },
        }),
      ),
    filters,
  )

  async function init() {
    await Promise.all([load(), entries.load()])
    await checkMayClose()
  }

  // Verification, one entry at a time.
  const verifyVisible = ref(false)
  const current = shallowRef<CensusEntry | null>(null)
  const form = reactive<EntryForm>(blankEntryForm())
  const errors = useFieldErrors()
  const saving = ref(false)
  const savedCount = ref(0)
  // A message about a field goes once the field is edited.
  for (const key of ['current_place', 'current_employer', 'circumstances', 'thoughts', 'needs'] as const) {
    watch(
      () => form[key],
      () => delete errors.fields[key],
    )
  }

  function openVerify(e: CensusEntry) {
    current.value = e
    Object.assign(form, entryForm(e))
    errors.clear()
    verifyVisible.value = true
  }

  /** Saves the current entry; with `next`, moves on to the next one still to verify. Resolves to whether it saved. */
  async function saveEntry(next = false): Promise<boolean> {
    const e = current.value
    if (!e || !campaign.value) return false
    errors.clear()
    const local = checkEntry(form)
    if (Object.keys(local).length) {
      Object.assign(errors.fields, local)
      return false
    }
    saving.value = true
    try {
      const saved = await unwrap(
        api.PUT('/censuses/{id}/entries/{entry_id}', {
          params: { path: { id: campaign.value.id, entry_id: e.id } },
          body: entryPayload(form),
        }),
      )
      savedCount.value++
      entries.items.value = entries.items.value.map((x) => (x.id === saved.id ? saved : x))
      void load()
      const following = next ? nextUnverified(entries.items.value, saved.id) : null
      if (following) openVerify(following)
      else {
        current.value = saved
        verifyVisible.value = false
      }
      return true
    } catch (err) {
      errors.apply(err, ['current_place', 'current_employer', 'circumstances', 'thoughts', 'needs'])
      return false
    } finally {
      saving.value = false
    }
  }

  const closing = ref(false)
  async function close(): Promise<void> {
    if (!campaign.value) return
    closing.value = true
    try {
      campaign.value = await unwrap(api.POST('/censuses/{id}/close', { params: { path: { id: campaign.value.id } } }))
    } finally {
      closing.value = false
    }
  }

  return {
    id,
    campaign,
    loading,
    error,
    mayClose,
    load,
    init,
    filters,
    entries,
    verifyVisible,
    current,
    form,
    errors,
    saving,
    savedCount,
    openVerify,
    saveEntry,
    closing,
    close,
  }
}
