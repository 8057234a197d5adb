/**
 * 通知公告 in the console: the bulletins of my subtree, newest first, with read counts; publishing one
 * (organisation, kind, title, body, whether the outflow members received there get it too, attachments
 * uploaded once it is saved); correcting, withdrawing, removing an attachment. Publishing also sends the
 * title (never the body) by email and to the group robots, so a title with a phone or ID number is
 * refused on `title`.
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { api, unwrap } from '@/api/client'
import { checkAttachment, uploadAttachment } from '@/api/attachments'
import { errorMessage } from '@/api/errors'
import { fetchBulletin, fetchBulletins, removeBulletinFile, type Bulletin, type BulletinKind, type BulletinPage } from '@/api/portal'
import { useFieldErrors } from '@/composables/useFieldErrors'

export type StatusFilter = '' | 'published' | 'withdrawn'

export function useBulletins() {
  const filters = reactive<{ kind: BulletinKind | ''; status: StatusFilter; page: number }>({ kind: '', status: '', page: 1 })
  const result = shallowRef<BulletinPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const withdrawn = filters.status === '' ? null : filters.status === 'withdrawn'
      const r = await fetchBulletins({ kind: filters.kind, withdrawn, page: filters.page, per_page: 20 })
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(() => [filters.kind, filters.status], () => (filters.page === 1 ? load() : (filters.page = 1)))
  watch(() => filters.page, load)
  async function withdraw(b: Bulletin): Promise<Bulletin> {
    const r = await unwrap(api.POST('/bulletins/{id}/withdraw', { params: { path: { id: b.id } } }))
    await load()
    return r
  }
  /** Removes an attachment of a bulletin still published: the bulletin as it is now (the list's count follows). */
  async function removeAttachment(b: Bulletin, fileId: number): Promise<Bulletin> {
    const r = await removeBulletinFile(b.id, fileId)
    void load()
    return r
  }
  return { filters, result, loading, error, load, withdraw, removeAttachment }
}

/** The form of a bulletin, new or corrected; files chosen before saving are uploaded after it. */
export function useBulletinForm(onSaved: (b: Bulletin, problems: string[]) => void) {
  const open = ref(false)
  const editing = ref<number | null>(null)
  const form = reactive<{ org_id: number | null; kind: BulletinKind; title: string; body: string; include_outflow: boolean }>({
    org_id: null,
    kind: 'notice',
    title: '',
    body: '',
    include_outflow: false,
  })
  const files = ref<File[]>([])
  const fileError = ref('')
  const errors = useFieldErrors()
  const saving = ref(false)
  function start(b?: Bulletin) {
    errors.clear()
    fileError.value = ''
    files.value = []
    editing.value = b?.id ?? null
    Object.assign(form, {
      org_id: b?.org.id ?? null,
      kind: b?.kind ?? 'notice',
      title: b?.title ?? '',
      body: b?.body ?? '',
      include_outflow: b?.include_outflow ?? false,
    })
    open.value = true
  }
  function addFiles(list: FileList | null) {
    fileError.value = ''
    for (const f of Array.from(list ?? [])) {
      const problem = checkAttachment(f)
      if (problem) fileError.value = `${f.name}：${problem}`
      else files.value = [...files.value, f]
    }
  }
  function dropFile(i: number) {
    files.value = files.value.filter((_, k) => k !== i)
  }
  async function submit() {
    saving.value = true
    try {
      const body = { ...form, org_id: form.org_id ?? 0 }
      const saved = editing.value
        ? await unwrap(api.PATCH('/bulletins/{id}', { params: { path: { id: editing.value } }, body }))
        : await unwrap(api.POST('/bulletins', { body }))
      const problems: string[] = []
      for (const f of files.value) {
        const r = await uploadAttachment(`/bulletins/${saved.id}/attachments`, f)
        if ('error' in r) problems.push(`${f.name}：${r.error}`)
      }
      open.value = false
      onSaved(files.value.length ? await fetchBulletin(saved.id) : saved, problems)
    } catch (e) {
      errors.apply(e, ['org_id', 'kind', 'title', 'body', 'include_outflow'])
    } finally {
      saving.value = false
    }
  }
  return { open, editing, form, files, fileError, errors, saving, start, addFiles, dropFile, submit }
}
