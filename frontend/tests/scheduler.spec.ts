import { describe, expect, it } from 'vitest'
import { completionList, partCount, partRange, PartError, pendingParts, receivedBytes, runParts, SpeedMeter } from '@/upload/scheduler'

const MiB = 1024 * 1024
const parts = (n: number) => Array.from({ length: n }, (_, i) => ({ number: i + 1, url: `/p/${i + 1}` }))
const noSleep = async () => {}

describe('part geometry', () => {
  it('splits a file into ranges, the last one short', () => {
    expect(partCount(20 * MiB, 8 * MiB)).toBe(3)
    expect(partCount(0, 8 * MiB)).toBe(1)
    expect(partRange(1, 8 * MiB, 20 * MiB)).toEqual([0, 8 * MiB])
    expect(partRange(3, 8 * MiB, 20 * MiB)).toEqual([16 * MiB, 20 * MiB])
  })
})

describe('resume planning', () => {
  it('skips parts the server has whole and resends short ones', () => {
    const received = [
      { number: 1, size: 8 * MiB, etag: 'a' },
      { number: 2, size: 3, etag: 'b' }, // truncated by a dropped connection
    ]
    const todo = pendingParts(parts(3), received, 8 * MiB, 20 * MiB)
    expect(todo.map((p) => p.number)).toEqual([2, 3])
    expect(receivedBytes(received, 8 * MiB, 20 * MiB)).toBe(8 * MiB)
  })

  it('lists every part once, in order, newest etag winning', () => {
    const list = completionList(
      [{ number: 2, size: 1, etag: 'old' }, { number: 1, size: 1, etag: 'one' }],
      [{ number: 3, etag: 'three' }, { number: 2, etag: 'new' }],
    )
    expect(list).toEqual([{ number: 1, etag: 'one' }, { number: 2, etag: 'new' }, { number: 3, etag: 'three' }])
  })
})

describe('runParts', () => {
  it('never exceeds the concurrency limit and returns etags in order', async () => {
    let inFlight = 0
    let peak = 0
    const res = await runParts({
      parts: parts(7),
      concurrency: 3,
      sleep: noSleep,
      send: async (p, onBytes) => {
        inFlight++
        peak = Math.max(peak, inFlight)
        await new Promise((r) => setTimeout(r, 5 + (p.number % 3)))
        onBytes(10)
        inFlight--
        return `etag-${p.number}`
      },
    })
    expect(peak).toBe(3)
    expect(res.map((r) => r.etag)).toEqual(parts(7).map((p) => `etag-${p.number}`))
  })

  it('retries a failing part and reports the bytes of finished parts only', async () => {
    const attempts: Record<number, number> = {}
    const progress: number[] = []
    const res = await runParts({
      parts: parts(2),
      retries: 3,
      sleep: noSleep,
      onProgress: (b) => progress.push(b),
      send: async (p, onBytes) => {
        attempts[p.number] = (attempts[p.number] ?? 0) + 1
        onBytes(50)
        if (p.number === 2 && attempts[2] < 3) throw new Error('connection reset')
        onBytes(100)
        return `e${p.number}`
      },
    })
    expect(attempts).toEqual({ 1: 1, 2: 3 })
    expect(res).toHaveLength(2)
    expect(progress[progress.length - 1]).toBe(200)
  })

  it('gives up after N attempts with the part number', async () => {
    const backoffs: number[] = []
    await expect(
      runParts({
        parts: parts(1),
        retries: 4,
        backoffMs: (a) => a * 100,
        sleep: async (ms) => void backoffs.push(ms),
        send: async () => {
          throw new Error('offline')
        },
      }),
    ).rejects.toMatchObject({ number: 1, attempts: 4 })
    expect(backoffs).toEqual([100, 200, 300])
    expect(new PartError(2, 3)).toBeInstanceOf(Error)
  })

  it('stops when aborted', async () => {
    const ctrl = new AbortController()
    const p = runParts({
      parts: parts(3),
      concurrency: 1,
      signal: ctrl.signal,
      sleep: noSleep,
      send: (_p, _b, signal) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    })
    ctrl.abort()
    await expect(p).rejects.toBeTruthy()
  })
})

describe('SpeedMeter', () => {
  it('computes bytes per second over its window', () => {
    const m = new SpeedMeter(5000)
    expect(m.rate()).toBe(0)
    m.add(0, 0)
    m.add(1000, 1000)
    m.add(3000, 2000)
    expect(m.rate()).toBe(1500)
    m.add(3000, 10_000) // stalled: old samples fall out of the window
    expect(m.rate()).toBeLessThan(1500)
  })
})

describe('live status URL', () => {
  it('passes a stream ticket (never the access token) and each watched phase', async () => {
    const { eventsUrl } = await import('@/composables/useLiveStatus')
    expect(eventsUrl('abc', [3, 4])).toBe('/api/v1/events?ticket=abc&phase_id=3&phase_id=4')
  })
})
