/** Every phase the user can see, labelled with its contest and track (for pickers). */
import { api, unwrap } from '@/api/client'
import type { Contest, Phase, Track } from '@/api/types'

export interface PhaseChoice {
  phase: Phase
  track: Track
  contest: Contest
}

export async function loadAllPhases(): Promise<PhaseChoice[]> {
  const contests = unwrap(await api.GET('/api/v1/contests'))
  const out: PhaseChoice[] = []
  for (const contest of contests) {
    const tracks = unwrap(await api.GET('/api/v1/contests/{contest_id}/tracks', { params: { path: { contest_id: contest.id } } }))
    for (const track of tracks) {
      const phases = unwrap(await api.GET('/api/v1/tracks/{track_id}/phases', { params: { path: { track_id: track.id } } }))
      for (const phase of phases) out.push({ phase, track, contest })
    }
  }
  return out
}
