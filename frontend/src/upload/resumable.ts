/**
 * Resumable organiser uploads (POST /staged-uploads): hash → open → PUT the parts the server
 * lacks → complete. The open upload is remembered per purpose and target in localStorage, so
 * choosing the same file again after a break (or a reload) sends only the missing parts.
 */
import { request } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { ReceivedPart, UploadPart } from '@/api/types'
import { sha256File } from './hash'
import { completionList, partRange, pendingParts, receivedBytes, runParts } from './scheduler'
import { putPart } from './transport'

export type StagedPurpose = 'reference' | 'sample' | 'devkit' | 'program'
export interface StagedRecord { id: number; filename: string; size: number; lastModified: number; sha256: string }
interface Plan { id: number; part_size: number; parts: UploadPart[]; parts_received: ReceivedPart[] }
export interface Progress { stage: 'hashing' | 'uploading' | 'completing'; percent: number; resumedFrom?: number }

const storageKey = (purpose: StagedPurpose, target: number) => `jiebang.staged.${purpose}.${target}`

/** The interrupted upload of this purpose and target, if any (to say it can be resumed). */
export function pendingUpload(purpose: StagedPurpose, target: number): StagedRecord | null {
  try {
    const raw = localStorage.getItem(storageKey(purpose, target))
    return raw ? (JSON.parse(raw) as StagedRecord) : null
  } catch {
    return null
  }
}

const sameFile = (r: StagedRecord, f: File) => r.filename === f.name && r.size === f.size && r.lastModified === f.lastModified

export interface ResumableOptions {
  purpose: StagedPurpose
  targetId: number
  file: File
  onProgress?: (p: Progress) => void
  signal?: AbortSignal
  hash?: (file: File, onProgress: (done: number) => void) => Promise<string>
  /** How a part travels (tests swap it); XMLHttpRequest by default, for progress. */
  sendPart?: typeof putPart
  retries?: number
}

/** Upload `file` for `purpose`, resuming an interrupted upload of the same file; resolves with what the server answers on completion. */
export async function resumableUpload<T>(opts: ResumableOptions): Promise<T> {
  const { purpose, targetId, file } = opts
  const key = storageKey(purpose, targetId)
  const report = (p: Progress) => opts.onProgress?.(p)
  let plan: Plan | null = null
  let resumedFrom: number | undefined
  const saved = pendingUpload(purpose, targetId)
  if (saved && sameFile(saved, file)) {
    try {
      plan = await request<Plan>('GET', `/staged-uploads/${saved.id}`)
      resumedFrom = Math.floor((receivedBytes(plan.parts_received, plan.part_size, file.size) / Math.max(1, file.size)) * 100)
    } catch {
      plan = null // finished or gone: start again
    }
  }
  if (!plan) {
    localStorage.removeItem(key)
    const hash = opts.hash ?? ((f: File, cb: (done: number) => void) => sha256File(f, (done) => cb(done)))
    const sha256 = await hash(file, (done) => report({ stage: 'hashing', percent: Math.floor((done / Math.max(1, file.size)) * 100) }))
    plan = await request<Plan>('POST', '/staged-uploads', { purpose, target_id: targetId, filename: file.name, size: file.size, sha256 })
    localStorage.setItem(key, JSON.stringify({ id: plan.id, filename: file.name, size: file.size, lastModified: file.lastModified, sha256 }))
  }
  const { id, part_size: partSize } = plan
  const have = receivedBytes(plan.parts_received, partSize, file.size)
  const todo = pendingParts(plan.parts, plan.parts_received, partSize, file.size)
  const percent = (bytes: number) => Math.min(99, Math.floor((bytes / Math.max(1, file.size)) * 100))
  report({ stage: 'uploading', percent: percent(have), resumedFrom })
  const sent = await runParts({
    parts: todo,
    signal: opts.signal,
    retries: opts.retries,
    send: (part, onBytes, signal) => {
      const [s, e] = partRange(part.number, partSize, file.size)
      return (opts.sendPart ?? putPart)(part.url, file.slice(s, e), onBytes, signal, part.method ?? 'PUT')
    },
    onProgress: (bytes) => report({ stage: 'uploading', percent: percent(have + bytes), resumedFrom }),
  })
  report({ stage: 'completing', percent: 99, resumedFrom })
  try {
    const result = await request<T>('POST', `/staged-uploads/${id}/complete`, { parts: completionList(plan.parts_received, sent) })
    localStorage.removeItem(key)
    report({ stage: 'completing', percent: 100, resumedFrom })
    return result
  } catch (err) {
    // refused for what the file is (422 and the like): nothing left to resume
    if (err instanceof ApiError && err.status >= 400 && err.status < 500) localStorage.removeItem(key)
    throw err
  }
}
