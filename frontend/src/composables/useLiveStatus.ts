/**
 * Live status: Server-Sent Events from /events (`submission` events for the user's team,
 * `leaderboard` events for the watched phases), falling back to calling `poll` every 3 s
 * when the stream cannot be opened or drops, and trying the stream again with back-off.
 *
 * The access token never goes into the URL (URLs land in access logs): the page first asks
 * for a single-use stream ticket with its bearer token, and opens the stream with that.
 */
import { onBeforeUnmount, ref } from 'vue'
import { API_BASE, request } from '@/api/client'
import { useAuthStore } from '@/stores/auth'

export const POLL_MS = 3000
export const RETRY_MS = [5_000, 15_000, 60_000]

export function eventsUrl(ticket: string, phaseIds: number[] = []): string {
  const q = new URLSearchParams({ ticket })
  for (const id of phaseIds) q.append('phase_id', String(id))
  return `${API_BASE}/events?${q.toString()}`
}

export async function streamTicket(): Promise<string> {
  const issued = await request<{ ticket: string; expires_in: number }>('POST', '/events/tickets')
  return issued.ticket
}

export function useLiveStatus(
  onEvent: (ev: { id: number; status: string }) => void,
  poll: () => void | Promise<unknown>,
  active: () => boolean = () => true,
  opts: { phaseIds?: number[]; onLeaderboard?: (ev: { phase_id: number }) => void; lazy?: boolean } = {},
) {
  const mode = ref<'live' | 'polling' | 'off'>('off')
  const auth = useAuthStore()
  let source: EventSource | null = null
  let timer: ReturnType<typeof setInterval> | null = null
  let retry: ReturnType<typeof setTimeout> | null = null
  let failures = 0
  let generation = 0 // a start() or stop() makes older pending openings moot

  function startPolling(): void {
    source?.close()
    source = null
    mode.value = 'polling'
    if (!timer) timer = setInterval(() => {
      if (active()) void poll()
    }, POLL_MS)
  }

  function scheduleRetry(): void {
    if (retry) return
    const wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]
    failures += 1
    retry = setTimeout(() => {
      retry = null
      void open(generation)
    }, wait)
  }

  function fallBack(): void {
    startPolling()
    scheduleRetry()
  }

  async function open(mine: number): Promise<void> {
    if (typeof EventSource === 'undefined' || !auth.token) return startPolling()
    let ticket: string
    try {
      ticket = await streamTicket()
    } catch {
      if (mine === generation) fallBack()
      return
    }
    if (mine !== generation) return
    source?.close()
    try {
      source = new EventSource(eventsUrl(ticket, opts.phaseIds))
    } catch {
      return fallBack()
    }
    // once subscribed, fetch again: a change between the page's first fetch and the
    // subscription would otherwise never arrive as an event
    const subscribed = () => {
      failures = 0
      if (timer) clearInterval(timer)
      timer = null
      if (mode.value !== 'live' && active()) void poll()
      mode.value = 'live'
    }
    source.addEventListener('ready', subscribed)
    source.addEventListener('resync', () => {
      if (active()) void poll()
    })
    source.addEventListener('leaderboard', (e) => {
      try {
        opts.onLeaderboard?.(JSON.parse((e as MessageEvent).data))
      } catch {
        /* malformed event: ignore */
      }
    })
    source.addEventListener('submission', (e) => {
      try {
        // the server names the id `submission_id`
        const data = JSON.parse((e as MessageEvent).data) as { submission_id?: number; id?: number; status: string }
        onEvent({ id: Number(data.submission_id ?? data.id), status: data.status })
      } catch {
        /* malformed event: ignore */
      }
    })
    // a ticket opens one stream only: when it ends (or fails), poll, then ask for a new one
    source.addEventListener('error', () => {
      source?.close()
      source = null
      if (mine === generation) fallBack()
    })
  }

  function start(phaseIds?: number[]): void {
    if (phaseIds) opts.phaseIds = phaseIds
    stop()
    failures = 0
    void open(generation)
  }

  function stop(): void {
    generation += 1
    source?.close()
    source = null
    if (timer) clearInterval(timer)
    timer = null
    if (retry) clearTimeout(retry)
    retry = null
    mode.value = 'off'
  }

  if (!opts.lazy) start()
  onBeforeUnmount(stop)
  return { mode, stop, start }
}
