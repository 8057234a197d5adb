/**
 * 服务阵地: the places of my subtree by kind (map and list), one place's detail with its inspections
 * and spend, and the forms: register / edit a place, record an inspection against the county's
 * standard (default 六有), record money spent (yuan, exact to the fen).
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { todayInChina } from '@/pages/members/mobility/labels'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { uploadAttachment } from '@/api/attachments'
import { fetchPlace, fetchPlaces, type Place, type PlaceDetail, type PlaceInput, type PlaceKind, type PlaceList } from '@/api/services'
import { useFieldErrors } from '@/composables/useFieldErrors'

export function usePlaces() {
  const filters = reactive<{ org: number | null; kind: PlaceKind | null }>({ org: null, kind: null })
  const list = shallowRef<PlaceList | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const l = await fetchPlaces(filters)
      if (mine === seq) list.value = l
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(filters, load)

  const detail = shallowRef<PlaceDetail | null>(null)
  const detailOpen = ref(false)
  async function open(p: Place) {
    detailOpen.value = true
    detail.value = await fetchPlace(p.id)
  }
  /** After a write: the detail shown and the list both show it. */
  function saved(d: PlaceDetail) {
    detail.value = d
    load()
  }
  const uploading = ref(false)
  const uploadPercent = ref(0)
  /** Adds a photo (JPG, PNG) to the place shown; resolves to an error message or ''. */
  async function addPhoto(file: File): Promise<string> {
    const d = detail.value
    if (!d) return ''
    uploading.value = true
    uploadPercent.value = 0
    try {
      const res = await uploadAttachment(`/service-places/${d.place.id}/photos`, file, (p) => (uploadPercent.value = p), true)
      if ('error' in res) return res.error
      saved(await fetchPlace(d.place.id))
      return ''
    } finally {
      uploading.value = false
    }
  }
  async function removePhoto(photoId: number): Promise<string> {
    const d = detail.value
    if (!d) return ''
    try {
      saved(await unwrap(api.DELETE('/service-places/{id}/photos/{photo_id}', { params: { path: { id: d.place.id, photo_id: photoId } } })))
      return ''
    } catch (e) {
      return errorMessage(e)
    }
  }
  return { filters, list, loading, error, load, detail, detailOpen, open, saved, uploading, uploadPercent, addPhoto, removePhoto }
}

/** Where a place's photo is served (same origin; the session cookie authorises it). */
export function photoUrl(placeId: number, photoId: number): string {
  return `/api/v1/service-places/${placeId}/photos/${photoId}`
}

export function emptyPlace(): PlaceInput {
  return { org_id: null, kind: 'center', name: '', address: '', lng: null, lat: null, hours: '', offers: '', windows: [], ticked: [] }
}

export function usePlaceForm(onSaved: (d: PlaceDetail) => void) {
  const open = ref(false)
  const editing = ref<number | null>(null)
  const form = reactive<PlaceInput>(emptyPlace())
  const errors = useFieldErrors()
  const saving = ref(false)
  function openNew() {
    Object.assign(form, emptyPlace())
    editing.value = null
    errors.clear()
    open.value = true
  }
  function openEdit(p: Place) {
    Object.assign(form, {
      org_id: p.org.id,
      kind: p.kind,
      name: p.name,
      address: p.address,
      lng: p.lng ?? null,
      lat: p.lat ?? null,
      hours: p.hours,
      offers: p.offers,
      windows: [...p.windows],
      ticked: [...p.ticked],
    })
    editing.value = p.id
    errors.clear()
    open.value = true
  }
  async function save() {
    saving.value = true
    try {
      const body = { ...form, lng: form.lng ?? null, lat: form.lat ?? null }
      const d = editing.value
        ? await unwrap(api.PATCH('/service-places/{id}', { params: { path: { id: editing.value } }, body }))
        : await unwrap(api.POST('/service-places', { body }))
      open.value = false
      onSaved(d)
    } catch (e) {
      errors.apply(e, ['org_id', 'kind', 'name', 'address', 'lng', 'lat', 'hours', 'offers', 'windows', 'ticked'])
    } finally {
      saving.value = false
    }
  }
  return { open, editing, form, errors, saving, openNew, openEdit, save }
}

export function useInspectionForm(onSaved: (d: PlaceDetail) => void) {
  const open = ref(false)
  const place = ref(0)
  const form = reactive({ inspected_on: '', inspector: '', ticked: [] as string[], note: '' })
  const errors = useFieldErrors()
  const saving = ref(false)
  function start(p: Place) {
    place.value = p.id
    Object.assign(form, { inspected_on: todayInChina(), inspector: '', ticked: [...p.ticked], note: '' })
    errors.clear()
    open.value = true
  }
  async function save() {
    saving.value = true
    try {
      const d = await unwrap(api.POST('/service-places/{id}/inspections', { params: { path: { id: place.value } }, body: { ...form } }))
      open.value = false
      onSaved(d)
    } catch (e) {
      errors.apply(e, ['inspected_on', 'inspector', 'ticked', 'note'])
    } finally {
      saving.value = false
    }
  }
  return { open, form, errors, saving, start, save }
}

export function useSpendForm(onSaved: (d: PlaceDetail) => void) {
  const open = ref(false)
  const place = ref(0)
  const form = reactive({ spent_on: '', amount: '', purpose: '' })
  const errors = useFieldErrors()
  const saving = ref(false)
  function start(p: Place) {
    place.value = p.id
    Object.assign(form, { spent_on: todayInChina(), amount: '', purpose: '' })
    errors.clear()
    open.value = true
  }
  async function save() {
    saving.value = true
    try {
      const d = await unwrap(api.POST('/service-places/{id}/spends', { params: { path: { id: place.value } }, body: { ...form } }))
      open.value = false
      onSaved(d)
    } catch (e) {
      errors.apply(e, ['spent_on', 'amount', 'purpose'])
    } finally {
      saving.value = false
    }
  }
  return { open, form, errors, saving, start, save }
}
