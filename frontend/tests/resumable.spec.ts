import { afterEach, describe, expect, it, vi } from 'vitest'
import { pendingUpload, resumableUpload, type Progress } from '@/upload/resumable'

const json = (data: unknown, status = 200) => new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } })

afterEach(() => {
  vi.restoreAllMocks()
  localStorage.clear()
})

/** A server that keeps the parts it received, as /staged-uploads does. */
function server(partSize: number, parts: number) {
  const received = new Map<number, { size: number; etag: string }>()
  const calls: string[] = []
  let completed: unknown = null
  const plan = () => ({
    id: 7, part_size: partSize,
    parts: Array.from({ length: parts }, (_, i) => ({ number: i + 1, url: `/api/v1/staged-uploads/7/parts/${i + 1}` })),
    parts_received: [...received.entries()].map(([number, p]) => ({ number, ...p })),
  })
  vi.spyOn(globalThis, 'fetch').mockImplementation((async (url: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${url}`)
    if (url === '/api/v1/staged-uploads' && init?.method === 'POST') return json(plan(), 201)
    if (url === '/api/v1/staged-uploads/7' && (init?.method ?? 'GET') === 'GET') return completed ? json({ detail: 'upload not found' }, 404) : json(plan())
    if (url === '/api/v1/staged-uploads/7/complete') {
      completed = JSON.parse(String(init?.body))
      return json({ id: 1, filename: 'ref.tar', size: partSize * parts, sha256: 'f'.repeat(64) })
    }
    return json({ detail: 'unexpected' }, 500)
  }) as never)
  return { received, calls, completed: () => completed }
}

describe('resumableUpload', () => {
  it('resumes an interrupted upload of the same file: only the missing parts are sent', async () => {
    const srv = server(4, 3)
    const file = new File(['abcdefghij'], 'ref.tar', { lastModified: 1000 })
    let dropAfter = 1 // the connection drops after the first part
    const sendPart = vi.fn(async (url: string, body: Blob) => {
      const n = Number(url.split('/').pop())
      if (dropAfter-- <= 0) throw new Error('network error')
      srv.received.set(n, { size: body.size, etag: `e${n}` })
      return `e${n}`
    })
    const hash = vi.fn(async () => 'a'.repeat(64))
    const options = { purpose: 'reference' as const, targetId: 21, file, hash, sendPart, retries: 1 }
    await expect(resumableUpload(options)).rejects.toThrow(/failed after 1 attempts/)
    expect(pendingUpload('reference', 21)).toMatchObject({ id: 7, filename: 'ref.tar', size: 10 })
    expect(srv.completed()).toBeNull()

    dropAfter = 99
    sendPart.mockClear()
    const seen: Progress[] = []
    const result = await resumableUpload({ ...options, onProgress: (p) => seen.push(p) })
    expect(result).toMatchObject({ filename: 'ref.tar' })
    expect(hash).toHaveBeenCalledTimes(1) // not hashed again
    expect(sendPart.mock.calls.map(([url]) => Number(String(url).split('/').pop())).sort()).toEqual([2, 3])
    expect(srv.completed()).toEqual({ parts: [{ number: 1, etag: 'e1' }, { number: 2, etag: 'e2' }, { number: 3, etag: 'e3' }] })
    expect(seen[0]).toMatchObject({ stage: 'uploading', resumedFrom: 40 })
    expect(seen.at(-1)).toMatchObject({ stage: 'completing', percent: 100 })
    expect(pendingUpload('reference', 21)).toBeNull()
  })

  it('starts afresh for another file, and forgets an upload the server refused', async () => {
    const srv = server(4, 1)
    localStorage.setItem('jiebang.staged.program.0', JSON.stringify({ id: 3, filename: 'old.zip', size: 4, lastModified: 1, sha256: 'b'.repeat(64) }))
    const file = new File(['abcd'], 'new.zip', { lastModified: 2 })
    vi.mocked(globalThis.fetch).mockImplementation((async (url: string, init?: RequestInit) => {
      srv.calls.push(`${init?.method ?? 'GET'} ${url}`)
      if (url === '/api/v1/staged-uploads') return json({ id: 7, part_size: 4, parts: [{ number: 1, url: '/p/1' }], parts_received: [] }, 201)
      return json({ detail: 'Scoring program rejected: scorer.json: runtime.archive_digest: no image' }, 422)
    }) as never)
    await expect(resumableUpload({ purpose: 'program', targetId: 0, file, hash: async () => 'c'.repeat(64), sendPart: async () => 'e1' }))
      .rejects.toThrow('runtime.archive_digest')
    expect(srv.calls).toEqual(['POST /api/v1/staged-uploads', 'POST /api/v1/staged-uploads/7/complete'])
    expect(pendingUpload('program', 0)).toBeNull()
  })
})
