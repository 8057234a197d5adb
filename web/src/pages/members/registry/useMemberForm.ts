import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ElMessage } from 'element-plus'
import { api, unwrap } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import type { Member, MemberInput } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { useMetaStore } from '@/stores/meta'
import { idFacts } from '@/idNumber'

export interface MemberFormState {
  org_id: number | null
  name: string
  gender: string
  ethnicity: string
  birth_date: string
  id_number: string
  phone: string
  address: string
  education: string
  occupation: string
  employer: string
  joined_on: string
  category: string
  full_on: string
  tags: string[]
  status: string
  /** With status `suspended`: the day the membership was suspended (empty: today). */
  suspended_on: string
}

export const MEMBER_FIELDS: (keyof MemberFormState)[] = [
  'org_id',
  'name',
  'gender',
  'ethnicity',
  'birth_date',
  'id_number',
  'phone',
  'address',
  'education',
  'occupation',
  'employer',
  'joined_on',
  'category',
  'full_on',
  'tags',
  'status',
  'suspended_on',
]

/** Sensitive fields come back masked; in edit mode an empty input means "unchanged". */
const SENSITIVE = ['id_number', 'phone', 'address'] as const
const DATE_FIELDS: string[] = ['birth_date', 'joined_on', 'full_on', 'suspended_on']

function blank(): MemberFormState {
  return {
    org_id: null,
    name: '',
    gender: '',
    ethnicity: '汉族',
    birth_date: '',
    id_number: '',
    phone: '',
    address: '',
    education: '',
    occupation: '',
    employer: '',
    joined_on: '',
    category: 'full',
    full_on: '',
    tags: [],
    status: 'normal',
    suspended_on: '',
  }
}

function fromMember(m: Member): MemberFormState {
  return {
    org_id: m.org_id,
    name: m.name,
    gender: m.gender,
    ethnicity: m.ethnicity ?? '',
    // Views show the birth year only; left empty, the server keeps the date (or takes it from a new ID number).
    birth_date: '',
    id_number: '',
    phone: '',
    address: '',
    education: m.education ?? '',
    occupation: m.occupation ?? '',
    employer: m.employer ?? '',
    joined_on: m.joined_on ?? '',
    category: m.category,
    full_on: m.full_on ?? '',
    tags: [...m.tags],
    status: m.status,
    suspended_on: m.suspended_on ?? '',
  }
}

const orNull = (s: string) => (s.trim() ? s.trim() : null)

export function useMemberForm() {
  const route = useRoute()
  const router = useRouter()
  const meta = useMetaStore()
  const editId = computed(() => (route.params.id ? Number(route.params.id) : null))
  const isEdit = computed(() => editId.value !== null)
  const original = shallowRef<Member | null>(null)
  const form = reactive<MemberFormState>(blank())
  const errors = useFieldErrors()
  const loading = ref(false)
  const loadError = ref('')
  const saving = ref(false)

  async function init() {
    errors.clear()
    loadError.value = ''
    if (editId.value === null) {
      Object.assign(form, blank())
      const org = Number(route.query.org)
      if (Number.isInteger(org) && org > 0) form.org_id = org
      return
    }
    loading.value = true
    try {
      original.value = await unwrap(api.GET('/members/{id}', { params: { path: { id: editId.value } } }))
      Object.assign(form, fromMember(original.value))
    } catch (e) {
      loadError.value = e instanceof ApiError && (e.status === 403 || e.status === 404) ? '无权访问或不存在' : errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  // A valid ID number tells birth date and gender: fill them in if still empty.
  watch(
    () => form.id_number,
    (v) => {
      const facts = idFacts(v)
      if (!facts) return
      if (!form.birth_date) form.birth_date = facts.birthDate
      if (!form.gender) {
        const label = facts.gender === 'male' ? '男' : '女'
        form.gender = meta.meta?.genders.find((g) => g.label === label || g.code === facts.gender)?.code ?? facts.gender
      }
    },
  )

  // Editing a field the server complained about clears its message.
  let snapshot = JSON.stringify(form)
  watch(
    form,
    () => {
      const before = JSON.parse(snapshot) as Record<string, unknown>
      for (const key of MEMBER_FIELDS) {
        if (JSON.stringify(before[key]) !== JSON.stringify(form[key])) delete errors.fields[key]
      }
      snapshot = JSON.stringify(form)
    },
    { deep: true },
  )

  function localCheck(): boolean {
    if (form.org_id == null) errors.fields.org_id = '请选择所属组织'
    if (!form.name.trim()) errors.fields.name = '请输入姓名'
    if (!isEdit.value && !form.id_number.trim()) errors.fields.id_number = '请输入身份证号'
    if (!form.joined_on) errors.fields.joined_on = '请选择入党日期'
    if (!form.category) errors.fields.category = '请选择类别'
    return Object.keys(errors.fields).length === 0
  }

  function createBody(): MemberInput {
    return {
      org_id: form.org_id!,
      name: form.name.trim(),
      // Empty: the server takes it from the ID number.
      gender: orNull(form.gender),
      ethnicity: orNull(form.ethnicity),
      birth_date: orNull(form.birth_date),
      id_number: form.id_number.trim().toUpperCase(),
      phone: orNull(form.phone),
      address: orNull(form.address),
      education: orNull(form.education),
      occupation: orNull(form.occupation),
      employer: orNull(form.employer),
      joined_on: orNull(form.joined_on),
      category: form.category,
      full_on: orNull(form.full_on),
      tags: [...form.tags],
      status: form.status,
      suspended_on: form.status === 'suspended' ? orNull(form.suspended_on) : null,
    }
  }

  /** Only what changed; the org is changed by a transfer, not by editing. */
  function patchBody(): MemberInput {
    const before = fromMember(original.value!)
    const full = createBody() as unknown as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const key of MEMBER_FIELDS) {
      if (key === 'org_id') continue
      if ((SENSITIVE as readonly string[]).includes(key)) {
        if ((form[key] as string).trim()) out[key] = full[key]
        continue
      }
      if (JSON.stringify(before[key]) === JSON.stringify(form[key])) continue
      // The server keeps a field that is missing or null; an empty string clears optional text.
      out[key] = typeof form[key] === 'string' && !DATE_FIELDS.includes(key) ? (form[key] as string).trim() : full[key]
    }
    return out as MemberInput
  }

  async function submit() {
    errors.clear()
    if (!localCheck()) return
    saving.value = true
    try {
      let saved: Member
      if (isEdit.value) {
        const body = patchBody()
        if (Object.keys(body).length === 0) {
          ElMessage.info('没有需要保存的修改')
          await router.push(`/members/${editId.value}`)
          return
        }
        saved = await unwrap(api.PATCH('/members/{id}', { params: { path: { id: editId.value! } }, body }))
        ElMessage.success('已保存')
      } else {
        saved = await unwrap(api.POST('/members', { body: createBody() }))
        ElMessage.success(`已新增党员“${saved.name}”`)
      }
      await router.replace(`/members/${saved.id}`)
    } catch (e) {
      errors.apply(e, MEMBER_FIELDS)
    } finally {
      saving.value = false
    }
  }

  return { isEdit, editId, original, form, errors, loading, loadError, saving, init, submit }
}
