/** Names for ids shown in tables (challenge items, tracks), fetched once per id and shared. */
import { reactive } from 'vue'
import { api, unwrap } from '@/api/client'
import { tr } from '@/utils/format'

interface Named {
  title_zh?: string
  title_en?: string
  code?: string
}
const items = reactive(new Map<number, Named | null>())
const tracks = reactive(new Map<number, Named | null>())

function fetchOnce(cache: Map<number, Named | null>, id: number, get: () => Promise<Named>): void {
  if (cache.has(id)) return
  cache.set(id, null)
  get().then((v) => cache.set(id, v)).catch(() => undefined)
}

/** "CODE · title" of a challenge item (its code alone until the title arrives). */
export function itemName(id: number): string {
  fetchOnce(items, id, async () => unwrap(await api.GET('/api/v1/challenge-items/{item_id}', { params: { path: { item_id: id } } })))
  const it = items.get(id)
  return it ? [it.code, tr(it, 'title')].filter(Boolean).join(' · ') : '…'
}

/** A track's title. */
export function trackName(id: number): string {
  fetchOnce(tracks, id, async () => unwrap(await api.GET('/api/v1/tracks/{track_id}', { params: { path: { track_id: id } } })))
  const tk = tracks.get(id)
  return tk ? tr(tk, 'title') : '…'
}
