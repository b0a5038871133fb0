/** A multipart upload with progress (fetch has no upload progress): the platform's auth and locale headers, errors as ApiError. */
import { authHeaders } from '@/api/client'
import { toApiError } from '@/api/errors'

export function uploadWithProgress<T>(method: string, url: string, field: string, file: File, onProgress: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, url)
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100))
    xhr.onload = () => {
      let body: unknown = null
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = null
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100)
        resolve(body as T)
      } else {
        const err = toApiError(xhr.status, body, xhr.statusText || 'Upload failed')
        Object.assign(err, { body })
        reject(err)
      }
    }
    xhr.onerror = () => reject(new Error('network'))
    const form = new FormData()
    form.append(field, file, file.name)
    xhr.send(form)
  })
}
