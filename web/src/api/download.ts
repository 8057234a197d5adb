/**
 * File downloads (xlsx ledgers, the import template): a GET with the session
 * cookie (no CSRF token needed for GET), read as a blob so that a refusal
 * becomes an ApiError with the server's message instead of a saved error page.
 */
import { reportFailure } from './client'
import { toApiError } from './errors'

export const API_BASE = '/api/v1'

/** `{a: 1, b: '', c: null}` → `?a=1` (empty values dropped, keys in the given order). */
export function queryString(query: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === '' || v === null || v === undefined) continue
    params.append(k, String(v))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

/** The file name from `Content-Disposition` (RFC 5987 `filename*=UTF-8''…` first). */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)
  return plain?.[1]?.trim() || fallback
}

async function problemBody(r: Response): Promise<unknown> {
  const text = await r.text().catch(() => '')
  try {
    return text ? JSON.parse(text) : null
  } catch {
    return null
  }
}

/** Fetches `path` (under /api/v1) and hands it to the browser as a download; resolves to the file name. */
export async function downloadFile(path: string, query: Record<string, unknown>, fallbackName: string): Promise<string> {
  let r: Response
  try {
    r = await fetch(`${API_BASE}${path}${queryString(query)}`, { credentials: 'same-origin' })
  } catch (e) {
    throw toApiError(0, { detail: e instanceof Error ? e.message : null })
  }
  if (!r.ok) {
    const body = await problemBody(r)
    reportFailure(r.status, body)
    throw toApiError(r.status, body)
  }
  const blob = await r.blob()
  const name = fileNameFrom(r.headers.get('Content-Disposition'), fallbackName)
  saveBlob(blob, name)
  return name
}

export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
