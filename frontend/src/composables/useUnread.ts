/** The unread count the header shows: shared, refreshed on demand and every minute. */
import { ref } from 'vue'
import { api } from '@/api/client'

const unread = ref(0)
let timer: ReturnType<typeof setInterval> | null = null

export async function refreshUnread(): Promise<void> {
  const { data } = await api.GET('/api/v1/notifications/unread-count')
  unread.value = data?.unread ?? 0
}

export function useUnread(): { unread: typeof unread; start: () => void; stop: () => void } {
  return {
    unread,
    start() {
      if (timer) return
      void refreshUnread()
      timer = setInterval(() => void refreshUnread(), 60_000)
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = null
      unread.value = 0
    },
  }
}
