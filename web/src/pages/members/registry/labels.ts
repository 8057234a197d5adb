/** Labels and tag colours for member enums (the dictionaries come from /meta). */
export const STATUS_TAG: Record<string, 'success' | 'warning' | 'info' | 'danger'> = {
  normal: 'success',
  suspended: 'warning',
  left: 'info',
  deceased: 'info',
  transferred_out: 'info',
}

export const CATEGORY_TAG: Record<string, 'danger' | 'warning'> = {
  full: 'danger',
  probationary: 'warning',
}
