/**
 * Live submission status: Server-Sent Events from /submissions/events, falling back to
 * calling `poll` every 3 s when the stream cannot be opened or drops.
 */
import { onBeforeUnmount, ref } from 'vue'
import { API_BASE } from '@/api/client'
import { useAuthStore } from '@/stores/auth'

export const POLL_MS = 3000

export function useLiveStatus(onEvent: (ev: { id: number; status: string }) => void, poll: () => void | Promise<unknown>, active: () => boolean = () => true) {
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

  function start(): void {
    if (typeof EventSource === 'undefined' || !auth.token) return startPolling()
    try {
      source = new EventSource(`${API_BASE}/submissions/events?token=${encodeURIComponent(auth.token)}`)
    } catch {
      return startPolling()
    }
    source.addEventListener('open', () => (mode.value = 'live'))
    source.addEventListener('submission', (e) => {
      try {
        onEvent(JSON.parse((e as MessageEvent).data))
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

  start()
  onBeforeUnmount(stop)
  return { mode, stop }
}
