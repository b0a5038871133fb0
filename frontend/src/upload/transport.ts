/** PUT one part with XMLHttpRequest (fetch has no upload progress). */
import { authHeaders } from '@/api/client'

export function putPart(
  url: string,
  body: Blob,
  onBytes: (loaded: number) => void,
  signal: AbortSignal,
  method = 'PUT',
): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, url)
    // Our own API (local store) needs the bearer token; a presigned URL must not get it.
    const sameOrigin = url.startsWith('/') || url.startsWith(location.origin)
    if (sameOrigin) for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v)
    xhr.upload.onprogress = (e) => onBytes(e.loaded)
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        let etag = xhr.getResponseHeader('ETag') ?? ''
        if (!etag) {
          try {
            etag = String(JSON.parse(xhr.responseText)?.etag ?? '')
          } catch {
            etag = ''
          }
        }
        onBytes(body.size)
        resolve(etag.replace(/^W\//, ''))
      } else reject(new Error(`HTTP ${xhr.status}`))
    }
    xhr.onerror = () => reject(new Error('network error'))
    xhr.ontimeout = () => reject(new Error('timeout'))
    const abort = () => {
      xhr.abort()
      reject(signal.reason ?? new DOMException('aborted', 'AbortError'))
    }
    if (signal.aborted) return abort()
    signal.addEventListener('abort', abort, { once: true })
    xhr.send(body)
  })
}
