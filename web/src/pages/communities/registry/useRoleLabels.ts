/** 角色名称: the county admin renames the "2+1+X+N" roles (GET/PUT /community-roles). */
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchRoleLabels, type RoleLabel } from '@/api/goals'
import { useDialogForm } from '@/composables/useDialogForm'

/** Which part of "2+1+X+N" a role is. */
export const ROLE_SYMBOLS: Record<string, string> = { lead: '2', coordinator: '1', member: 'X', partner: 'N' }

export const ROLE_LABEL_MAX = 20

/** The first problem of the labels, worded like the server's, or undefined. */
export function roleLabelProblem(labels: Pick<RoleLabel, 'label'>[]): string | undefined {
  for (const l of labels) {
    const t = l.label.trim()
    if (!t) return '角色名称不能为空'
    if ([...t].length > ROLE_LABEL_MAX) return `角色名称不能超过 ${ROLE_LABEL_MAX} 个字`
  }
  return undefined
}

export function useRoleLabels(onSaved?: (labels: RoleLabel[]) => void) {
  const form = useDialogForm({
    blank: () => ({ labels: [] as RoleLabel[] }),
    check: (f) => ({ label: roleLabelProblem(f.labels) }),
    send: (f) => unwrap(api.PUT('/community-roles', { body: f.labels.map((l) => ({ role: l.role, label: l.label.trim() })) })),
    fields: ['label'],
    onSaved,
  })

  /** Opens the dialog with the labels in use; a failed read shows above the (empty) form. */
  async function open() {
    form.open()
    try {
      form.form.labels = (await fetchRoleLabels()).map((l) => ({ ...l }))
    } catch (e) {
      form.errors.general.value = errorMessage(e)
    }
  }

  return { form, open }
}
