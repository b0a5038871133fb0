/**
 * Live status: Server-Sent Events from /events (`submission` events for the user's team,
 * `leaderboard` events for the watched phases), falling back to calling `poll` every 3 s
 * when the stream cannot be opened or drops.
 */
import { onBeforeUnmount, ref } from 'vue'
import { API_BASE } from '@/api/client'
import { useAuthStore } from '@/stores/auth'

export const POLL_MS = 3000

export function eventsUrl(token: string, phaseIds: number[] = []): string {
  const q = new URLSearchParams({ token })
  for (const id of phaseIds) q.append('phase_id', String(id))
  return `${API_BASE}/events?${q.toString()}`
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

  function startPolling(): void {
    source?.close()
    source = null
    mode.value = 'polling'
    if (!timer) timer = setInterval(() => {
      if (active()) void poll()
    }, POLL_MS)
  }

  function start(phaseIds?: number[]): void {
    if (phaseIds) opts.phaseIds = phaseIds
    stop()
    if (typeof EventSource === 'undefined' || !auth.token) return startPolling()
    try {
      source = new EventSource(eventsUrl(auth.token, opts.phaseIds))
    } catch {
      return startPolling()
    }
    // once subscribed, fetch again: a change between the page's first fetch and the
    // subscription would otherwise never arrive as an event
    const subscribed = () => {
      if (mode.value !== 'live' && active()) void poll()
      mode.value = 'live'
    }
    source.addEventListener('open', subscribed)
    source.addEventListener('ready', subscribed)
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
    source.addEventListener('error', () => startPolling())
  }

  function stop(): void {
    source?.close()
    source = null
    if (timer) clearInterval(timer)
    timer = null
    mode.value = 'off'
  }

  if (!opts.lazy) start()
  onBeforeUnmount(stop)
  return { mode, stop, start }
}
