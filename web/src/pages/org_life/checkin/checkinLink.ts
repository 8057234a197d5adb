/**
 * The check-in link a meeting shows as a QR code, `${origin}/checkin/${id}?code=${code}`,
 * and reading a code back from what a member has: the link's query, a pasted
 * link, or the digits typed from the screen (with spaces or full-width digits).
 */

export const CODE_LENGTH = 6

export function checkinUrl(origin: string, activityId: number, code: string): string {
  return `${origin.replace(/\/+$/, '')}/checkin/${activityId}?code=${encodeURIComponent(code)}`
}

/** Full-width digits (０-９) as typed by some Chinese input methods → ASCII. */
function asciiDigits(s: string): string {
  return s.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48))
}

/**
 * The 6-digit code in `raw`: digits typed with spaces or dashes, or a whole
 * pasted check-in link (its `code` parameter). '' when there is none.
 */
export function normalizeCode(raw: unknown): string {
  if (Array.isArray(raw)) raw = raw[0]
  if (typeof raw !== 'string') return ''
  const s = asciiDigits(raw.trim())
  const fromLink = /[?&]code=([^&#\s]*)/.exec(s)
  const candidate = fromLink ? decodeURIComponent(fromLink[1]) : s
  const digits = candidate.replace(/[\s\-_.·]/g, '')
  return /^\d{6}$/.test(digits) ? digits : ''
}

/** What the input box should start with, from the route query (`?code=`): digits only, at most 6. */
export function codeFromQuery(query: Record<string, unknown>): string {
  const full = normalizeCode(query.code)
  if (full) return full
  const raw = Array.isArray(query.code) ? query.code[0] : query.code
  return typeof raw === 'string' ? asciiDigits(raw).replace(/\D/g, '').slice(0, CODE_LENGTH) : ''
}

/** `/checkin/12?code=…` or a full URL → 12; anything else → null. */
export function activityIdFromLink(link: string): number | null {
  const m = /\/checkin\/(\d+)(?:[?#/]|$)/.exec(link.trim())
  return m ? Number(m[1]) : null
}
