/**
 * Multipart upload scheduling, free of Vue and of the network so it can be unit-tested:
 * which parts remain, what byte range each covers, and a bounded-concurrency runner
 * that retries each part and reports progress.
 */
import type { ReceivedPart, UploadPart } from '@/api/types'

export interface PartResult {
  number: number
  etag: string
}

/** Byte range [start, end) of part `number` (1-based). */
export function partRange(number: number, partSize: number, fileSize: number): [number, number] {
  const start = (number - 1) * partSize
  return [Math.min(start, fileSize), Math.min(start + partSize, fileSize)]
}

/** Number of parts a file of `fileSize` needs (at least one, even for an empty file). */
export function partCount(fileSize: number, partSize: number): number {
  return Math.max(1, Math.ceil(fileSize / partSize))
}

/**
 * Parts still to send: those offered by the server that it has not received whole.
 * A received part whose size does not match the expected range is sent again.
 */
export function pendingParts(
  parts: UploadPart[],
  received: ReceivedPart[],
  partSize: number,
  fileSize: number,
): UploadPart[] {
  const ok = new Set(
    received
      .filter((r) => {
        const [s, e] = partRange(r.number, partSize, fileSize)
        return r.size === e - s
      })
      .map((r) => r.number),
  )
  return parts.filter((p) => !ok.has(p.number)).sort((a, b) => a.number - b.number)
}

/** Bytes already on the server, counting only whole parts. */
export function receivedBytes(received: ReceivedPart[], partSize: number, fileSize: number): number {
  return received.reduce((sum, r) => {
    const [s, e] = partRange(r.number, partSize, fileSize)
    return sum + (r.size === e - s ? r.size : 0)
  }, 0)
}

/** The list the complete call needs: every part once, in order, newest etag wins. */
export function completionList(received: ReceivedPart[], sent: PartResult[]): PartResult[] {
  const byNumber = new Map<number, string>()
  for (const r of received) byNumber.set(r.number, r.etag)
  for (const s of sent) byNumber.set(s.number, s.etag)
  return [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([number, etag]) => ({ number, etag }))
}

export class PartError extends Error {
  number: number
  attempts: number
  cause?: unknown
  constructor(number: number, attempts: number, cause?: unknown) {
    super(`part ${number} failed after ${attempts} attempts`)
    this.number = number
    this.attempts = attempts
    this.cause = cause
  }
}

export interface RunOptions {
  parts: UploadPart[]
  /** Send one part; resolve with its etag. `onBytes` reports bytes sent so far for this attempt. */
  send: (part: UploadPart, onBytes: (loaded: number) => void, signal: AbortSignal) => Promise<string>
  concurrency?: number
  retries?: number
  /** Delay before retry k (1-based). */
  backoffMs?: (attempt: number) => number
  signal?: AbortSignal
  /** Called with the number of bytes confirmed or in flight across all parts of this run. */
  onProgress?: (bytes: number) => void
  onPartDone?: (result: PartResult) => void
  sleep?: (ms: number) => Promise<void>
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Send `parts` with at most `concurrency` in flight; each part is tried up to `retries` times. */
export async function runParts(opts: RunOptions): Promise<PartResult[]> {
  const concurrency = Math.max(1, opts.concurrency ?? 3)
  const retries = Math.max(1, opts.retries ?? 4)
  const backoff = opts.backoffMs ?? ((a: number) => Math.min(8000, 500 * 2 ** (a - 1)))
  const sleep = opts.sleep ?? defaultSleep
  const controller = new AbortController()
  opts.signal?.addEventListener('abort', () => controller.abort(opts.signal?.reason))
  const inFlight = new Map<number, number>()
  let doneBytes = 0
  const results: PartResult[] = []
  const queue = [...opts.parts]

  const report = () => {
    let sum = doneBytes
    for (const v of inFlight.values()) sum += v
    opts.onProgress?.(sum)
  }

  async function one(part: UploadPart): Promise<void> {
    let lastErr: unknown
    for (let attempt = 1; attempt <= retries; attempt++) {
      if (controller.signal.aborted) throw controller.signal.reason ?? new DOMException('aborted', 'AbortError')
      let loaded = 0
      try {
        const etag = await opts.send(
          part,
          (n) => {
            loaded = n
            inFlight.set(part.number, n)
            report()
          },
          controller.signal,
        )
        inFlight.delete(part.number)
        doneBytes += loaded
        const r = { number: part.number, etag }
        results.push(r)
        opts.onPartDone?.(r)
        report()
        return
      } catch (err) {
        inFlight.delete(part.number)
        report()
        lastErr = err
        if (controller.signal.aborted) throw err
        if (attempt < retries) await sleep(backoff(attempt))
      }
    }
    throw new PartError(part.number, retries, lastErr)
  }

  async function worker(): Promise<void> {
    while (queue.length) {
      const part = queue.shift()!
      await one(part)
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length || 1) }, worker))
  } catch (err) {
    controller.abort(err)
    throw err
  }
  return results.sort((a, b) => a.number - b.number)
}

/** Bytes per second over a sliding window of samples. */
export class SpeedMeter {
  private samples: { t: number; bytes: number }[] = []
  constructor(private windowMs = 5000) {}

  add(bytes: number, t = Date.now()): void {
    this.samples.push({ t, bytes })
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift()
  }

  /** Bytes per second; 0 until two samples exist. */
  rate(): number {
    if (this.samples.length < 2) return 0
    const a = this.samples[0]
    const b = this.samples[this.samples.length - 1]
    const dt = (b.t - a.t) / 1000
    return dt > 0 ? Math.max(0, (b.bytes - a.bytes) / dt) : 0
  }

  reset(): void {
    this.samples = []
  }
}
