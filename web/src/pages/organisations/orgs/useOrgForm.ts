import { computed, reactive, ref } from 'vue'
import { api, unwrap } from '@/api/client'
import { fetchOrg } from '@/api/orgs'
import type { CodeLabel, NewOrg, Org } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { useMetaStore } from '@/stores/meta'
import { PARTY_GROUP, childKinds, defaultChildKind } from './kinds'

export type OrgFormMode = 'create' | 'edit'

interface OrgFormState {
  name: string
  kind: string
  host_kind: string
  host_name: string
  region: string[]
  secretary: string
  founded_on: string
  contact: string
}

const FIELDS = ['name', 'kind', 'host_kind', 'host_name', 'province_code', 'city_code', 'county_code', 'secretary', 'founded_on', 'contact']

function blank(): OrgFormState {
  return { name: '', kind: 'branch', host_kind: 'none', host_name: '', region: [], secretary: '', founded_on: '', contact: '' }
}

/** Create-child / edit form for an organisation. */
export function useOrgForm(onSaved: (org: Org, mode: OrgFormMode) => void | Promise<void>) {
  const visible = ref(false)
  const mode = ref<OrgFormMode>('create')
  const parent = ref<Org | null>(null)
  const editing = ref<Org | null>(null)
  const form = reactive<OrgFormState>(blank())
  const errors = useFieldErrors()
  const saving = ref(false)
  const meta = useMetaStore()
  /** Kind of the parent of the org being created or edited (null: a root, or not known yet). */
  const parentKind = ref<string | null>(null)
  /** Kinds the form offers: what the parent may hold (the server still decides). */
  const kindOptions = computed<CodeLabel[]>(() => {
    const all = meta.meta?.org_kinds ?? []
    if (mode.value === 'edit' && editing.value?.kind === PARTY_GROUP) return all.filter((k) => k.code === PARTY_GROUP)
    const allowed = childKinds(parentKind.value, all)
    // Never hide what the org already is.
    if (editing.value && !allowed.some((k) => k.code === editing.value!.kind)) {
      const own = all.find((k) => k.code === editing.value!.kind)
      if (own) return [...allowed, own]
    }
    return allowed
  })
  const title = computed(() =>
    mode.value === 'create' ? `新建下级组织${parent.value ? `（上级：${parent.value.name}）` : ''}` : `编辑组织：${editing.value?.name ?? ''}`,
  )

  function openCreate(p: Org) {
    mode.value = 'create'
    parent.value = p
    editing.value = null
    parentKind.value = p.kind
    Object.assign(form, blank(), {
      kind: defaultChildKind(p.kind),
      region: [p.province_code, p.city_code, p.county_code].filter((c): c is string => !!c),
    })
    errors.clear()
    visible.value = true
  }

  function openEdit(o: Org) {
    mode.value = 'edit'
    editing.value = o
    parent.value = null
    parentKind.value = null
    if (o.parent_id != null) {
      const pid = o.parent_id
      fetchOrg(pid)
        .then((p) => {
          if (editing.value?.id === o.id) parentKind.value = p.kind
        })
        .catch(() => {})
    }
    Object.assign(form, {
      name: o.name,
      kind: o.kind,
      host_kind: o.host_kind,
      host_name: o.host_name ?? '',
      region: [o.province_code, o.city_code, o.county_code].filter((c): c is string => !!c),
      secretary: o.secretary ?? '',
      founded_on: o.founded_on ?? '',
      contact: o.contact ?? '',
    })
    errors.clear()
    visible.value = true
  }

  function payload() {
    const [province, city, county] = form.region
    return {
      name: form.name.trim(),
      kind: form.kind,
      host_kind: form.host_kind,
      host_name: form.host_name.trim() || null,
      province_code: province ?? null,
      city_code: city ?? null,
      county_code: county ?? null,
      secretary: form.secretary.trim() || null,
      founded_on: form.founded_on || null,
      contact: form.contact.trim() || null,
    }
  }

  async function submit() {
    errors.clear()
    if (!form.name.trim()) errors.fields.name = '请输入组织名称'
    if (!form.kind) errors.fields.kind = '请选择组织类型'
    if (Object.keys(errors.fields).length) return
    saving.value = true
    try {
      let org: Org
      if (mode.value === 'create') {
        const body: NewOrg = { parent_id: parent.value!.id, ...payload() }
        org = await unwrap(api.POST('/orgs', { body }))
      } else {
        org = await unwrap(api.PATCH('/orgs/{id}', { params: { path: { id: editing.value!.id } }, body: payload() }))
      }
      visible.value = false
      await onSaved(org, mode.value)
    } catch (e) {
      errors.apply(e, FIELDS)
      // Region errors may come per level; show them on the cascader.
      const region = ['province_code', 'city_code', 'county_code'].map((k) => errors.fields[k]).filter(Boolean)
      if (region.length) errors.fields.region = region.join('；')
    } finally {
      saving.value = false
    }
  }

  return { visible, mode, parent, editing, form, errors, saving, title, kindOptions, openCreate, openEdit, submit }
}
