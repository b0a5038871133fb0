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
  /** the first anchor's encoder (e.g. libx265) */
  anchor_encoder?: string
  /** further anchors of the track (e.g. SVT-AV1), each with its own points */
  extra_anchors?: { file: string; encoder: string; points: [number, number][] }[]
}
export interface HistoryEntry {
  status: string
  at: string
  actor?: string | null
  note?: string | null
}
/** A submission as the API returns it, with the evaluator's loose fields given their documented shape. */
export type Submission = Omit<S['SubmissionDetail'], 'scores' | 'items' | 'plots' | 'logs' | 'history'> & {
  scores?: Record<string, number | null>
  items?: { id: string; metrics: Record<string, number | null> }[]
  plots?: { rd_curves?: RdCurve[] }
  logs?: Record<string, string>
  history?: HistoryEntry[]
}
export interface SubmissionCreated {
  submission: Submission
  upload: UploadPlan
}
export type Quota = S['Quota']

// ------------------------------------------------------------ leaderboards, judging, hall of fame
export type Leaderboard = S['Leaderboard']
export type LeaderboardColumn = S['LeaderboardColumn']
export type LeaderboardRow = S['LeaderboardRow'] & { disqualified?: boolean }
export type AuditEntry = S['AuditEntryPublic']
export type HallOfFameEntry = S['HallOfFameEntry']
export type TargetMet = S['TargetResult']
export type JudgeSubmissionRow = S['JudgeSubmissionRow']
export type ReviewState = S['ReviewState']
export type JudgeSubmission = Omit<S['JudgeSubmissionDetail'], 'items' | 'plots' | 'logs' | 'history'> &
  Pick<Submission, 'items' | 'plots' | 'logs' | 'history'>

// ------------------------------------------------------------ publication, re-scoring, edits
export type AwardTier = S['AwardTier']
export type PublishRequest = S['PublishRequest']
export type ResultVersion = S['ResultVersionPublic']
export type RescoreResult = S['RescoreResult']
export type ScoreVersion = S['ScoreVersion']
export type ContestUpdate = S['ContestUpdate']
export type TrackUpdate = S['TrackUpdate']
export type PhaseUpdate = S['PhaseUpdate']
