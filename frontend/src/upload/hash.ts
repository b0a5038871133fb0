/** Run the SHA-256 worker on a file. */
export function sha256File(file: Blob, onProgress?: (done: number, total: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../workers/sha256.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (ev: MessageEvent<{ type: string; done?: number; total?: number; sha256?: string; message?: string }>) => {
      const m = ev.data
      if (m.type === 'progress') onProgress?.(m.done ?? 0, m.total ?? 0)
      else if (m.type === 'done') {
        worker.terminate()
        resolve(m.sha256!)
      } else {
        worker.terminate()
        reject(new Error(m.message))
      }
    }
    worker.onerror = (e) => {
      worker.terminate()
      reject(new Error(e.message))
    }
    worker.postMessage({ file })
  })
}
