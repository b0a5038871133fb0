/** Every contest's tracks, for picking the track whose verified scores check an item's target. */
import { api, unwrap } from './client'
import type { components } from './schema'

type S = components['schemas']
export interface TrackGroup { contest: S['ContestPublic']; tracks: S['TrackPublic'][] }

export async function trackGroups(): Promise<TrackGroup[]> {
  const contests = unwrap(await api.GET('/api/v1/contests'))
  const groups = await Promise.all(
    contests.map(async (contest) => ({
      contest,
      tracks: unwrap(await api.GET('/api/v1/contests/{contest_id}/tracks', { params: { path: { contest_id: contest.id } } })),
    })),
  )
  return groups.filter((g) => g.tracks.length)
}
