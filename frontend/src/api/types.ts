/** Shapes re-exported from the generated schema, plus the contract of endpoints still being built. */
import type { components } from './schema'

type S = components['schemas']
export type User = S['UserPublic']
export type Contest = S['ContestPublic']
export type Track = S['TrackPublic']
export type Phase = S['PhasePublic']
export type Team = S['TeamPrivate']
export type TeamPublic = S['TeamPublic']
export type ChallengeList = S['ChallengeListPublic']
export type ChallengeItem = S['ChallengeItemPublic']
export type TargetIn = S['TargetIn']
export type Target = S['TargetPublic']
export type Application = S['ApplicationPublic']
export type Locale = S['UserLocale']
export type Role = S['Role']

export interface EvaluatorMetric {
  key: string
  label_zh: string
  label_en: string
  direction: 'higher' | 'lower'
  unit?: string
  formula_zh?: string
  formula_en?: string
  precision?: number
}
export interface EvaluatorSpec {
  key: string
  version: string
  spec: {
    title_zh?: string
    title_en?: string
    submission_format_zh?: string
    submission_format_en?: string
    metrics?: EvaluatorMetric[]
  }
}

// ------------------------------------------------------------ submissions (contract)
export type SubmissionStatus = 'uploading' | 'queued' | 'running' | 'scored' | 'failed' | 'cancelled'

export interface UploadPart {
  number: number
  url: string
  method?: string
}
export interface UploadPlan {
  upload_id?: string
  part_size: number
  parts: UploadPart[]
}
export interface ReceivedPart {
  number: number
  size: number
  etag: string
}
export interface UploadState {
  parts_received: ReceivedPart[]
  parts: UploadPart[]
  part_size?: number
}
export interface RdCurve {
  sequence: string
  metric: string
  anchor: [number, number][]
  submission: [number, number][]
}
export interface HistoryEntry {
  status: string
  at: string
  actor?: string | null
  note?: string | null
}
export interface Submission {
  id: number
  phase_id: number
  team_id: number
  status: SubmissionStatus
  failure_category?: string | null
  failure_message?: string | null
  refunded?: boolean
  created_at: string
  filename: string
  size: number
  sha256: string
  description?: string
  selected?: boolean
  scores?: Record<string, number | null>
  items?: { id: string; metrics: Record<string, number | null> }[]
  plots?: { rd_curves?: RdCurve[] }
  logs?: { stderr_tail?: string }
  history?: HistoryEntry[]
  judge_status?: string | null
}
export interface SubmissionCreated {
  submission: Submission
  upload: UploadPlan
}
export interface Quota {
  remaining_today: number
  remaining_total: number
  running: number
  concurrent_limit: number
  resets_at: string
}

// ------------------------------------------------------------ leaderboard (contract)
export interface LeaderboardColumn {
  key: string
  label_zh: string
  label_en: string
  direction: 'higher' | 'lower'
  precision?: number
}
export interface LeaderboardRow {
  rank: number
  team_id: number
  team_name: string
  submission_id: number
  scores: Record<string, number | null>
  submitted_at: string
  verified: boolean
  flagged: boolean
  disqualified?: boolean
}
export interface Leaderboard {
  columns: LeaderboardColumn[]
  rows: LeaderboardRow[]
  split: 'public' | 'private'
  frozen: boolean
  published: boolean
}

export interface AuditEntry {
  id?: number
  at: string
  actor?: string | number | null
  action: string
  submission_id?: number | null
  reason?: string | null
  [k: string]: unknown
}
export interface HallOfFameEntry {
  year?: number
  contest_title_zh?: string
  contest_title_en?: string
  track_title_zh?: string
  track_title_en?: string
  item_title_zh?: string
  item_title_en?: string
  team_name: string
  rank?: number
  award?: string
  [k: string]: unknown
}
export interface TargetMet {
  metric: string
  comparator?: string
  threshold?: number
  team_name?: string
  value?: number | null
  met?: boolean
  [k: string]: unknown
}
