/** GB 11643-1999 citizen ID numbers: only for convenience (pre-filling); the server validates. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export function checkDigit(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK[sum % 11]!
}

export interface IdFacts {
  birthDate: string
  gender: 'male' | 'female'
}

/** Birth date and gender of a well-formed 18-digit ID number with a correct check digit. */
export function idFacts(raw: string): IdFacts | null {
  const id = raw.trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(id)) return null
  if (checkDigit(id.slice(0, 17)) !== id[17]) return null
  const y = id.slice(6, 10)
  const m = id.slice(10, 12)
  const d = id.slice(12, 14)
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`)
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(d)) return null
  return { birthDate: `${y}-${m}-${d}`, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' }
}
