/** Photos and documents attached to records (activities, task reports, service requests, places): the server's rules checked before uploading, and the upload itself. */
import { errorMessage, toApiError } from './errors'
import { uploadForm } from './upload'
import type { components } from './schema'

export type Attachment = components['schemas']['AttachmentView']

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
export const ATTACHMENT_EXTENSIONS = ['jpg', 'jpeg', 'png', 'pdf', 'docx', 'xlsx']
export const ATTACHMENT_ACCEPT = '.jpg,.jpeg,.png,.pdf,.docx,.xlsx'
export const PHOTO_ACCEPT = '.jpg,.jpeg,.png'

/** '' when the file may go; else why not. `photosOnly`: JPG and PNG only. */
export function checkAttachment(file: { name: string; size: number }, photosOnly = false): string {
  const ext = file.name.toLowerCase().split('.').pop() ?? ''
  const allowed = photosOnly ? ['jpg', 'jpeg', 'png'] : ATTACHMENT_EXTENSIONS
  if (!file.name.includes('.') || !allowed.includes(ext)) return photosOnly ? '只接受 JPG、PNG 图片' : '只接受照片（JPG、PNG）和文档（PDF、Word、Excel）'
  if (file.size === 0) return '文件是空的'
  if (file.size > MAX_ATTACHMENT_BYTES) return '文件过大，上限 20 MB'
  return ''
}

export function isImage(a: Pick<Attachment, 'content_type'>): boolean {
  return a.content_type === 'image/jpeg' || a.content_type === 'image/png'
}

/** Uploads `file` to `path` (under /api/v1) as the form's `file`: the stored attachment, or the reason it was refused. */
export async function uploadAttachment(
  path: string,
  file: File,
  onProgress?: (percent: number) => void,
  photosOnly = false,
): Promise<{ attachment: Attachment } | { error: string }> {
  const problem = checkAttachment(file, photosOnly)
  if (problem) return { error: problem }
  try {
    const form = new FormData()
    form.append('file', file, file.name)
    const res = await uploadForm(path, {}, form, { onProgress: (loaded, total) => onProgress?.(Math.round((loaded / total) * 100)) })
    if (res.status >= 400) {
      const err = toApiError(res.status, res.body)
      return { error: err.fieldError('file') ?? err.summary }
    }
    return { attachment: res.body as Attachment }
  } catch (e) {
    return { error: errorMessage(e) }
  }
}
