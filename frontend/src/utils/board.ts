/** Final boards from published result versions, and ties on any board. */
import type { Leaderboard, LeaderboardRow, ResultVersion } from '@/api/types'

export interface FinalBoard extends Leaderboard {
  published_at: string
  note: string
  tie_rule_zh?: string
  tie_rule_en?: string
}

/** A board row with the tie fields of boards published since ties are shown as ties. */
export type TiedRow = LeaderboardRow & { shared_rank?: number | null; tied?: boolean; tie_break?: string | null }

/** The rank to show: the shared (equal) rank when the board has one. */
export function shownRank(row: TiedRow): number {
  return row.shared_rank ?? row.rank
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
    tie_rule_zh: text('tie_rule_zh'),
    tie_rule_en: text('tie_rule_en'),
  }
}

/** Shown ranks held by more than one row (or rows the server marks tied): these rows are tied. */
export function tiedRanks(rows: readonly TiedRow[]): Set<number> {
  const seen = new Map<number, number>()
  for (const r of rows) seen.set(shownRank(r), (seen.get(shownRank(r)) ?? 0) + (r.tied ? 2 : 1))
  return new Set([...seen].filter(([, n]) => n > 1).map(([rank]) => rank))
}

/** The row of `teamIds` (the viewer's teams) on a board, if any. */
export function rowOfTeam<R extends { team_id: number }>(rows: readonly R[], teamIds: readonly number[]): R | undefined {
  return rows.find((r) => teamIds.includes(r.team_id))
}
