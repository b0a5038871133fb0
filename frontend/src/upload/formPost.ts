/** A multipart request with upload progress (fetch has none), answering like `request`. */
import { API_BASE, authHeaders } from '@/api/client'
import { toApiError } from '@/api/errors'

export function postForm<T>(method: 'POST' | 'PUT', path: string, body: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, `${API_BASE}${path}`)
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      let data: unknown = null
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        data = xhr.responseText
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1)
        resolve(data as T)
      } else reject(toApiError(xhr.status, data, `${xhr.status} ${xhr.statusText}`))
    }
    xhr.onerror = () => reject(new Error('network error'))
    xhr.send(body)
  })
}
