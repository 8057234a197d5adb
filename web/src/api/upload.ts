/**
 * Multipart upload with upload progress. fetch() cannot report how much of a
 * request body has been sent, so this uses XMLHttpRequest, with the same CSRF
 * header and failure handling as the API client.
 */
import { currentCsrfToken, reportFailure } from './client'
import { API_BASE, queryString } from './download'

export interface UploadAnswer {
  status: number
  body: unknown
}

export interface UploadOptions {
  /** Called with (bytes sent, bytes in all) while the body goes out. */
  onProgress?: (loaded: number, total: number) => void
  signal?: AbortSignal
}

/** POSTs `form` to `path` (under /api/v1); resolves with any HTTP answer, rejects only when no answer came. */
export function uploadForm(path: string, query: Record<string, unknown>, form: FormData, opts: UploadOptions = {}): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `${API_BASE}${path}${queryString(query)}`)
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json')
    const token = currentCsrfToken()
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded, e.total)
    }
    xhr.onload = () => {
      let body: unknown = null
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        body = null
      }
      if (xhr.status >= 400) reportFailure(xhr.status, body)
      resolve({ status: xhr.status, body })
    }
    xhr.onerror = () => reject(new Error('网络错误，文件未能上传'))
    xhr.onabort = () => reject(new DOMException('上传已取消', 'AbortError'))
    opts.signal?.addEventListener('abort', () => xhr.abort())
    xhr.send(form)
  })
}
