/** Final boards from published result versions, and ties on any board. */
import type { Leaderboard, LeaderboardRow, ResultVersion } from '@/api/types'

export interface FinalBoard extends Leaderboard {
  published_at: string
  note: string
  tie_break_zh?: string
  tie_break_en?: string
}

/** A published version as a board (private split, awards and verification marks as published). */
export function finalBoard(phaseId: number, version: ResultVersion): FinalBoard {
  const b = (version.board ?? {}) as Record<string, unknown>
  const text = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined)
  return {
    phase_id: phaseId,
    columns: (b.columns as Leaderboard['columns']) ?? [],
    rows: (b.rows as LeaderboardRow[]) ?? [],
    split: 'private',
    frozen: false,
    published: true,
    version: version.version,
    published_at: version.published_at,
    note: version.note,
    tie_break_zh: text('tie_break_zh'),
    tie_break_en: text('tie_break_en'),
  }
}

/** Ranks held by more than one row: these rows are tied. */
export function tiedRanks(rows: readonly Pick<LeaderboardRow, 'rank'>[]): Set<number> {
  const seen = new Map<number, number>()
  for (const r of rows) seen.set(r.rank, (seen.get(r.rank) ?? 0) + 1)
  return new Set([...seen].filter(([, n]) => n > 1).map(([rank]) => rank))
}

/** The row of `teamIds` (the viewer's teams) on a board, if any. */
export function rowOfTeam<R extends { team_id: number }>(rows: readonly R[], teamIds: readonly number[]): R | undefined {
  return rows.find((r) => teamIds.includes(r.team_id))
}
