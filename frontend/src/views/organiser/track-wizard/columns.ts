/** Leaderboard columns between an evaluator's metrics and a track's `leaderboard` setting (the wizard and the edit dialog share it). */
import type { BoardColumn } from './ColumnsEditor.vue'

export interface Metric { key: string; label_zh: string; label_en: string; direction: 'higher' | 'lower'; precision?: number }
interface SavedColumn { key: string; label_zh?: string; label_en?: string; direction?: 'higher' | 'lower'; precision?: number }

/**
 * The editor's rows: the saved columns first, in their order and with their labels, then the
 * metrics not shown yet; with nothing saved, every metric is shown. Returns [rows, primary].
 */
export function boardColumns(metrics: Metric[], leaderboard: Record<string, unknown>, primaryMetric?: string): [BoardColumn[], string] {
  const saved = (Array.isArray(leaderboard.columns) ? leaderboard.columns : []) as SavedColumn[]
  const byKey = new Map(metrics.map((m) => [m.key, m]))
  const row = (m: Metric, c: SavedColumn | undefined, shown: boolean): BoardColumn => ({
    key: m.key, label_zh: c?.label_zh ?? m.label_zh, label_en: c?.label_en ?? m.label_en,
    direction: c?.direction ?? m.direction, precision: c?.precision ?? m.precision ?? 4, shown,
  })
  const rows = saved.filter((c) => byKey.has(c.key)).map((c) => row(byKey.get(c.key)!, c, true))
  const seen = new Set(rows.map((r) => r.key))
  rows.push(...metrics.filter((m) => !seen.has(m.key)).map((m) => row(m, undefined, !saved.length)))
  const primary = typeof leaderboard.primary === 'string' && byKey.has(leaderboard.primary) ? leaderboard.primary : primaryMetric ?? metrics[0]?.key ?? ''
  return [rows, primary]
}

/** The `leaderboard` setting for these rows: the shown ones (and the primary) in order; other settings kept. */
export function leaderboardFrom(existing: Record<string, unknown>, rows: BoardColumn[], primary: string): Record<string, unknown> {
  return {
    ...existing,
    columns: rows.filter((c) => c.shown || c.key === primary).map(({ key, label_zh, label_en, direction, precision }) => ({ key, label_zh, label_en, direction, precision })),
    primary,
  }
}
