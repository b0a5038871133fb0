/// <reference lib="webworker" />
/** SHA-256 of a File, incrementally over 8 MiB slices, off the main thread. */
import { createSHA256 } from 'hash-wasm'

const SLICE = 8 * 1024 * 1024

self.onmessage = async (ev: MessageEvent<{ file: Blob }>) => {
  try {
    const file = ev.data.file
    const hasher = await createSHA256()
    hasher.init()
    for (let off = 0; off < file.size; off += SLICE) {
      const buf = new Uint8Array(await file.slice(off, off + SLICE).arrayBuffer())
      hasher.update(buf)
      self.postMessage({ type: 'progress', done: Math.min(off + SLICE, file.size), total: file.size })
    }
    self.postMessage({ type: 'done', sha256: hasher.digest('hex') })
  } catch (err) {
    self.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) })
  }
}
