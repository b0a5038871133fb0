/** Asks before a contest is published (participants cannot be un-told), naming it and how many
 * tracks and phases it has; resolves true when the organiser confirms. */
import { ElMessageBox } from 'element-plus'
import { api, unwrap } from '@/api/client'
import { i18n } from '@/i18n'
import { tr } from '@/utils/format'

export interface ContestSummary { title: string; tracks: number; phases: number }

/** The contest's title (reader's language) and its track and phase counts, from the API. */
export async function contestSummary(contestId: number): Promise<ContestSummary> {
  const path = { contest_id: contestId }
  const [contest, tracks] = await Promise.all([
    api.GET('/api/v1/contests/{contest_id}', { params: { path } }).then(unwrap),
    api.GET('/api/v1/contests/{contest_id}/tracks', { params: { path } }).then(unwrap),
  ])
  const phases = await Promise.all(tracks.map(async (tk) => unwrap(await api.GET('/api/v1/tracks/{track_id}/phases', { params: { path: { track_id: tk.id } } })).length))
  return { title: tr(contest, 'title'), tracks: tracks.length, phases: phases.reduce((a, b) => a + b, 0) }
}

export function contestPublishText({ title, tracks, phases }: ContestSummary): string {
  const t = i18n.global.t
  return t('contestPublish.confirm', { title, tracks: t('contestPublish.tracks', { n: tracks }, tracks), phases: t('contestPublish.phases', { n: phases }, phases) })
}

export async function confirmContestPublish(summary: ContestSummary): Promise<boolean> {
  const t = i18n.global.t
  try {
    await ElMessageBox.confirm(contestPublishText(summary), t('contestPublish.title'), { type: 'warning', confirmButtonText: t('contestPublish.title'), cancelButtonText: t('common.cancel') })
    return true
  } catch {
    return false // cancelled
  }
}
