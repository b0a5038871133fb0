/** A phase with its track and the signed-in user's team in that contest. */
import { api, unwrap } from '@/api/client'
import type { Phase, Team, Track } from '@/api/types'

export async function loadPhaseContext(phaseId: number): Promise<{ phase: Phase; track: Track; team: Team | null }> {
  const phase = unwrap(await api.GET('/api/v1/phases/{phase_id}', { params: { path: { phase_id: phaseId } } }))
  const [track, teams] = await Promise.all([
    api.GET('/api/v1/tracks/{track_id}', { params: { path: { track_id: phase.track_id } } }).then(unwrap),
    api.GET('/api/v1/teams/mine').then(unwrap),
  ])
  const team = teams.find((tm) => tm.contest_id === track.contest_id) ?? null
  return { phase, track, team }
}
