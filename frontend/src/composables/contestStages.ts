/** Every listed contest with its phases and its stage (running / upcoming / past by phase dates). */
import { api, unwrap } from '@/api/client'
import type { Contest, Phase } from '@/api/types'
import { contestStage, dateSpan, type Stage } from '@/utils/stage'

export interface StagedContest {
  contest: Contest
  phases: Phase[]
  stage: Stage
  span: { from: string; to: string } | null
}

export async function loadStagedContests(now = Date.now()): Promise<StagedContest[]> {
  const contests = unwrap(await api.GET('/api/v1/contests')) as Contest[]
  return Promise.all(
    contests.map(async (contest) => {
      const told = contest as Contest & { stage?: Stage; opens_at?: string | null; closes_at?: string | null }
      if (told.stage && 'opens_at' in told) {
        // the server derives the stage from the phase dates (first start, last end)
        const span = told.opens_at && told.closes_at ? { from: told.opens_at, to: told.closes_at } : null
        return { contest, phases: [], stage: told.stage, span }
      }
      const tracks = unwrap(await api.GET('/api/v1/contests/{contest_id}/tracks', { params: { path: { contest_id: contest.id } } }))
      const lists = await Promise.all(
        tracks.map((tk) => api.GET('/api/v1/tracks/{track_id}/phases', { params: { path: { track_id: tk.id } } }).then(unwrap)),
      )
      const phases = lists.flat() as Phase[]
      return { contest, phases, stage: contestStage(phases, now), span: dateSpan(phases) }
    }),
  )
}
