/**
 * One resumable submission upload at a time: hash (worker) → create → PUT parts → complete.
 * The unfinished upload is remembered per phase in localStorage so a reload can resume it.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { request } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { Submission, SubmissionCreated, UploadPart, UploadState } from '@/api/types'
import { sha256File } from '@/upload/hash'
import { completionList, PartError, partRange, pendingParts, receivedBytes, runParts, SpeedMeter, type PartResult } from '@/upload/scheduler'
import { putPart } from '@/upload/transport'

export type UploadPhase = 'idle' | 'hashing' | 'creating' | 'uploading' | 'completing' | 'done' | 'paused' | 'error'

export interface ResumeRecord {
  submissionId: number
  phaseId: number
  filename: string
  size: number
  lastModified: number
  sha256: string
  partSize: number
}

const key = (phaseId: number) => `jiebang.upload.${phaseId}`

export function loadResume(phaseId: number): ResumeRecord | null {
  try {
    const raw = localStorage.getItem(key(phaseId))
    return raw ? (JSON.parse(raw) as ResumeRecord) : null
  } catch {
    return null
  }
}
function saveResume(r: ResumeRecord): void {
  localStorage.setItem(key(r.phaseId), JSON.stringify(r))
}
export function clearResume(phaseId: number): void {
  localStorage.removeItem(key(phaseId))
}

export const PART_RETRIES = 4
export const PART_CONCURRENCY = 3

export const useUploadStore = defineStore('upload', () => {
  const phase = ref<UploadPhase>('idle')
  const file = ref<File | null>(null)
  const phaseId = ref<number | null>(null)
  const sha256 = ref('')
  const hashDone = ref(0)
  const sent = ref(0)
  const speed = ref(0)
  const error = ref('')
  const fieldErrors = ref<Record<string, string>>({})
  const submission = ref<Submission | null>(null)
  const record = ref<ResumeRecord | null>(null)
  const failedPart = ref<number | null>(null)
  let controller: AbortController | null = null
  const meter = new SpeedMeter()

  const total = computed(() => file.value?.size ?? 0)
  const percent = computed(() => {
    if (phase.value === 'hashing') return total.value ? Math.floor((hashDone.value / total.value) * 100) : 0
    if (phase.value === 'done' || phase.value === 'completing') return 100
    return total.value ? Math.min(100, Math.floor((sent.value / total.value) * 100)) : 0
  })
  const eta = computed(() => (speed.value > 0 ? (total.value - sent.value) / speed.value : Infinity))
  const busy = computed(() => ['hashing', 'creating', 'uploading', 'completing'].includes(phase.value))

  function reset(): void {
    controller?.abort()
    phase.value = 'idle'
    file.value = null
    sha256.value = ''
    hashDone.value = 0
    sent.value = 0
    speed.value = 0
    error.value = ''
    fieldErrors.value = {}
    submission.value = null
    failedPart.value = null
  }

  function fail(err: unknown, to: UploadPhase): void {
    if (err instanceof ApiError) {
      error.value = err.message
      fieldErrors.value = err.fields
    } else if (err instanceof PartError) {
      // the title names the part; the detail is what the network said
      error.value = err.cause instanceof Error ? err.cause.message : err.message
    } else error.value = err instanceof Error ? err.message : String(err)
    const part = (err as { number?: number })?.number
    failedPart.value = typeof part === 'number' ? part : null
    phase.value = to
  }

  async function sendParts(parts: UploadPart[], already: number, partSize: number): Promise<PartResult[]> {
    const f = file.value!
    controller = new AbortController()
    meter.reset()
    sent.value = already
    meter.add(already)
    phase.value = 'uploading'
    return runParts({
      parts,
      concurrency: PART_CONCURRENCY,
      retries: PART_RETRIES,
      signal: controller.signal,
      send: (part, onBytes, signal) => {
        const [s, e] = partRange(part.number, partSize, f.size)
        return putPart(part.url, f.slice(s, e), onBytes, signal, part.method ?? 'PUT')
      },
      onProgress: (bytes) => {
        sent.value = already + bytes
        meter.add(sent.value)
        speed.value = meter.rate()
      },
    })
  }

  async function complete(id: number, parts: PartResult[]): Promise<void> {
    phase.value = 'completing'
    submission.value = await request<Submission>('POST', `/submissions/${id}/complete`, { parts })
    if (phaseId.value != null) clearResume(phaseId.value)
    record.value = null
    phase.value = 'done'
  }

  /** Hash, create the submission, send every part and complete; `beforeUpload` runs once
   * the submission exists (e.g. to send its fact sheet answers). */
  async function start(pid: number, f: File, description = '', beforeUpload?: (submissionId: number) => Promise<void>): Promise<void> {
    reset()
    phaseId.value = pid
    file.value = f
    try {
      phase.value = 'hashing'
      sha256.value = await sha256File(f, (done) => (hashDone.value = done))
      phase.value = 'creating'
      const created = await request<SubmissionCreated>('POST', `/phases/${pid}/submissions`, {
        filename: f.name,
        size: f.size,
        sha256: sha256.value,
        description: description || undefined,
      })
      submission.value = created.submission
      record.value = {
        submissionId: created.submission.id,
        phaseId: pid,
        filename: f.name,
        size: f.size,
        lastModified: f.lastModified,
        sha256: sha256.value,
        partSize: created.upload.part_size,
      }
      saveResume(record.value)
      if (beforeUpload) await beforeUpload(created.submission.id)
      const results = await sendParts(created.upload.parts, 0, created.upload.part_size)
      await complete(created.submission.id, completionList([], results))
    } catch (err) {
      fail(err, record.value ? 'paused' : 'error')
    }
  }

  /** Continue an unfinished upload: ask the server what it has, send the rest, complete. */
  async function resume(f?: File): Promise<void> {
    const rec = record.value
    if (!rec) return
    if (f) file.value = f
    if (!file.value) return
    error.value = ''
    fieldErrors.value = {}
    sha256.value = rec.sha256
    try {
      const state = await request<UploadState>('GET', `/submissions/${rec.submissionId}/upload`)
      const partSize = state.part_size ?? rec.partSize
      const todo = pendingParts(state.parts, state.parts_received, partSize, file.value.size)
      const have = receivedBytes(state.parts_received, partSize, file.value.size)
      const results = todo.length ? await sendParts(todo, have, partSize) : []
      await complete(rec.submissionId, completionList(state.parts_received, results))
    } catch (err) {
      fail(err, 'paused')
    }
  }

  /** Look for an unfinished upload in this phase (after a reload). */
  function restore(pid: number): ResumeRecord | null {
    phaseId.value = pid
    record.value = loadResume(pid)
    if (record.value && phase.value === 'idle') phase.value = 'paused'
    return record.value
  }

  /** Whether `f` is the file the unfinished upload was started with. */
  function matches(f: File): boolean {
    const r = record.value
    return !!r && r.filename === f.name && r.size === f.size && r.lastModified === f.lastModified
  }

  async function cancel(): Promise<void> {
    controller?.abort()
    const rec = record.value
    if (rec) {
      try {
        await request('POST', `/submissions/${rec.submissionId}/cancel`)
      } catch {
        /* already gone: nothing to cancel */
      }
      clearResume(rec.phaseId)
    }
    record.value = null
    reset()
  }

  /** Stop sending (e.g. the connection dropped); resume() picks up from the server's state. */
  function pause(): void {
    if (phase.value === 'uploading') {
      controller?.abort(new DOMException('paused', 'AbortError'))
    }
  }

  return {
    phase, file, phaseId, sha256, hashDone, sent, speed, error, fieldErrors, submission, record, failedPart,
    total, percent, eta, busy,
    start, resume, restore, matches, cancel, pause, reset,
  }
})
