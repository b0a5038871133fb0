/** The manual phase migration's API (GET preview, POST run) and when its button is offered. */
import { request } from '@/api/client'

export interface MigrationPreview {
  phase_id: number
  source_phase_id: number | null // null: no earlier phase to migrate from
  source_title_zh: string
  source_title_en: string
  automatic: boolean // the phase also migrates by itself when it opens
  migrated_at: string | null
  pending: number // ranked submissions of the source not yet copied
  already_migrated: number
}

export interface MigrationResult {
  phase_id: number
  source_phase_id: number
  migrated: number[] // the copies' submission ids
  already_migrated: number
}

export function migrationPreview(phaseId: number): Promise<MigrationPreview> {
  return request<MigrationPreview>('GET', `/phases/${phaseId}/migration`)
}

export function runMigration(phaseId: number): Promise<MigrationResult> {
  return request<MigrationResult>('POST', `/phases/${phaseId}/migration`)
}

/** Whether a phase has an earlier one in its track to migrate from (the first phase has none). */
export function hasEarlierPhase(phase: { id: number; starts_at: string }, siblings: { id: number; starts_at: string }[]): boolean {
  const start = new Date(phase.starts_at).getTime()
  return siblings.some((s) => s.id !== phase.id && new Date(s.starts_at).getTime() < start)
}
