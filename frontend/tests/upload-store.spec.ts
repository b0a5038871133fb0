import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const calls: { method: string; path: string; body?: unknown }[] = []
let responses: Record<string, unknown> = {}
const putLog: number[] = []
let failParts = new Set<number>()

vi.mock('@/api/client', () => ({
  request: vi.fn(async (method: string, path: string, body?: unknown) => {
    calls.push({ method, path, body })
    const r = responses[`${method} ${path}`]
    if (r instanceof Error) throw r
    return r
  }),
  authHeaders: () => ({}),
}))
vi.mock('@/upload/hash', () => ({ sha256File: vi.fn(async () => 'a'.repeat(64)) }))
vi.mock('@/upload/transport', () => ({
  putPart: vi.fn(async (url: string, body: Blob, onBytes: (n: number) => void) => {
    const n = Number(url.split('/').pop())
    putLog.push(n)
    if (failParts.has(n)) throw new Error('network error')
    onBytes(body.size)
    return `etag-${n}`
  }),
}))

import { useUploadStore, loadResume } from '@/stores/upload'

const file = (size: number) => new File([new Uint8Array(size)], 'sub.zip', { lastModified: 1700000000000 })
const plan = (n: number, partSize: number) => ({ upload_id: 'u1', part_size: partSize, parts: Array.from({ length: n }, (_, i) => ({ number: i + 1, url: `/api/v1/uploads/u1/parts/${i + 1}` })) })

describe('upload store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    localStorage.clear()
    calls.length = 0
    putLog.length = 0
    failParts = new Set()
    vi.useFakeTimers({ toFake: ['setTimeout'] })
  })

  it('hashes, creates, sends every part and completes with the etags', async () => {
    responses = {
      'POST /phases/7/submissions': { submission: { id: 42 }, upload: plan(3, 4) },
      'POST /submissions/42/complete': { id: 42, status: 'queued' },
    }
    const s = useUploadStore()
    await s.start(7, file(10), 'first try')
    expect(calls[0].body).toMatchObject({ filename: 'sub.zip', size: 10, sha256: 'a'.repeat(64), description: 'first try' })
    expect(putLog.sort()).toEqual([1, 2, 3])
    expect(calls.at(-1)!.body).toEqual({ parts: [1, 2, 3].map((n) => ({ number: n, etag: `etag-${n}` })) })
    expect(s.phase).toBe('done')
    expect(s.percent).toBe(100)
    expect(loadResume(7)).toBeNull()
  })

  it('pauses on a part that keeps failing and resumes only the missing parts', async () => {
    responses = { 'POST /phases/7/submissions': { submission: { id: 42 }, upload: plan(3, 4) } }
    failParts = new Set([3])
    const s = useUploadStore()
    const started = s.start(7, file(10))
    await vi.runAllTimersAsync()
    await started
    expect(s.phase).toBe('paused')
    expect(s.failedPart).toBe(3)
    expect(loadResume(7)).toMatchObject({ submissionId: 42, size: 10, partSize: 4 })

    // after a reload: a fresh store finds the record, the user picks the same file again
    setActivePinia(createPinia())
    const again = useUploadStore()
    expect(again.restore(7)?.submissionId).toBe(42)
    expect(again.phase).toBe('paused')
    expect(again.matches(file(10))).toBe(true)
    expect(again.matches(new File(['x'], 'sub.zip'))).toBe(false)

    failParts = new Set()
    putLog.length = 0
    responses = {
      'GET /submissions/42/upload': {
        part_size: 4,
        parts: plan(3, 4).parts,
        parts_received: [
          { number: 1, size: 4, etag: 'etag-1' },
          { number: 2, size: 4, etag: 'etag-2' },
        ],
      },
      'POST /submissions/42/complete': { id: 42, status: 'queued' },
    }
    await again.resume(file(10))
    expect(putLog).toEqual([3])
    expect(calls.at(-1)!.body).toEqual({ parts: [1, 2, 3].map((n) => ({ number: n, etag: `etag-${n}` })) })
    expect(again.phase).toBe('done')
  })

  it('shows the server message when the archive is rejected at completion', async () => {
    const { ApiError } = await import('@/api/errors')
    responses = {
      'POST /phases/7/submissions': { submission: { id: 5 }, upload: plan(1, 16) },
      'POST /submissions/5/complete': new ApiError(422, 'entry ../x escapes the archive', 'validation', { parts: 'entry ../x escapes the archive' }),
    }
    const s = useUploadStore()
    await s.start(7, file(10))
    expect(s.phase).toBe('paused')
    expect(s.error).toBe('entry ../x escapes the archive')
  })

  it('cancels on the server and forgets the upload', async () => {
    responses = { 'POST /phases/7/submissions': { submission: { id: 9 }, upload: plan(1, 16) } }
    failParts = new Set([1])
    const s = useUploadStore()
    const p = s.start(7, file(10))
    await vi.runAllTimersAsync()
    await p
    responses['POST /submissions/9/cancel'] = { id: 9, status: 'cancelled' }
    await s.cancel()
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/submissions/9/cancel' })
    expect(loadResume(7)).toBeNull()
    expect(s.phase).toBe('idle')
  })
})
