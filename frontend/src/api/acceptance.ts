/** Milestones and acceptance (中期检查, 验收) of an appointed item. Typed by hand (the OpenAPI
 * snapshot is regenerated with `npm run gen:api`; these mirror backend/jiebang/acceptance/models.py). */
import { API_BASE, authHeaders, request } from './client'
import { postForm } from '@/upload/formPost'

export type Verdict = 'pass' | 'needs_revision' | 'fail'
export type Outcome = 'accepted' | 'accepted_with_conditions' | 'not_accepted'
export const VERDICTS: Verdict[] = ['pass', 'needs_revision', 'fail']
export const OUTCOMES: Outcome[] = ['accepted', 'accepted_with_conditions', 'not_accepted']

export interface VerdictPublic {
  reviewer_id: number
  reviewer_name: string
  verdict: Verdict
  comment: string
  created_at: string
}
export interface ReportPublic {
  id: number
  version: number
  note: string
  filename: string
  size: number
  submitted_by: number
  submitted_at: string
  verdicts: VerdictPublic[]
}
export interface MilestonePublic {
  id: number
  item_id: number
  due_date: string
  title: string
  deliverables: string
  reports: ReportPublic[]
}
export interface DecisionPublic {
  outcome: Outcome
  note: string
  decided_by: number | null
  decided_at: string
  document_filename: string
}
/** One appointee's side: its reports on the item's milestones and its decision (several appointees: 赛马制). */
export interface AppointeeRecord {
  application_id: number
  appointee_org_id: number | null
  appointee_zh: string
  appointee_en: string
  team_id: number | null
  milestones: MilestonePublic[]
  decision: DecisionPublic | null
  may_report: boolean
}
/** The flat fields are one appointee's record (the chosen one, else the caller's own, else the first);
 * ``appointees`` holds every record the caller may read (staff: all; an appointee: its own). */
export interface AcceptanceRoom {
  item_id: number
  application_id: number
  appointee_org_id: number | null
  appointee_zh: string
  appointee_en: string
  appointed_at: string | null
  timezone: string
  deadline: string | null
  milestones: MilestonePublic[]
  decision: DecisionPublic | null
  may_edit: boolean
  may_report: boolean
  may_review: boolean
  appointees?: AppointeeRecord[]
}
export interface TargetCheck {
  target_id: number
  metric: string
  comparator: string
  threshold: number
  unit: string
  track_id: number | null
  value: number | null
  met: boolean
  submission_id: number | null
  note_zh: string
  note_en: string
}
export interface DeskVerdicts {
  milestone_id: number
  title: string
  due_date: string
  report_id: number | null
  verdicts: VerdictPublic[]
}
export interface AcceptanceDesk {
  item_id: number
  application_id?: number
  appointee_zh?: string
  appointee_en?: string
  team_id: number | null
  team_name: string
  targets: TargetCheck[]
  all_targets_met: boolean
  milestones: DeskVerdicts[]
  decision: DecisionPublic | null
}
export interface MilestoneIn {
  due_date: string
  title: string
  deliverables: string
}

const item = (id: number) => `/challenge-items/${id}`
/** ``?application_id=`` naming one appointee, or nothing (the server's default). */
const whose = (applicationId?: number | null) => (applicationId == null ? '' : `?application_id=${applicationId}`)

export const getRoom = (itemId: number, applicationId?: number | null) =>
  request<AcceptanceRoom>('GET', `${item(itemId)}/acceptance${whose(applicationId)}`)
export const setDeadline = (itemId: number, deadline: string) =>
  request<AcceptanceRoom>('PUT', `${item(itemId)}/acceptance/deadline`, { deadline })
export const addMilestone = (itemId: number, body: MilestoneIn) =>
  request<MilestonePublic>('POST', `${item(itemId)}/milestones`, body)
export const updateMilestone = (itemId: number, milestoneId: number, body: Partial<MilestoneIn>) =>
  request<MilestonePublic>('PATCH', `${item(itemId)}/milestones/${milestoneId}`, body)
export const deleteMilestone = (itemId: number, milestoneId: number) =>
  request<null>('DELETE', `${item(itemId)}/milestones/${milestoneId}`)

export function submitReport(itemId: number, milestoneId: number, file: File, note: string, onProgress: (f: number) => void): Promise<MilestonePublic> {
  const form = new FormData()
  form.append('document', file)
  form.append('note', note)
  return postForm<MilestonePublic>('POST', `${item(itemId)}/milestones/${milestoneId}/reports`, form, onProgress)
}

export const recordVerdict = (itemId: number, milestoneId: number, reportId: number, verdict: Verdict, comment: string) =>
  request<MilestonePublic>('PUT', `${item(itemId)}/milestones/${milestoneId}/reports/${reportId}/verdict`, { verdict, comment })

export const getDesk = (itemId: number, applicationId?: number | null) =>
  request<AcceptanceDesk>('GET', `${item(itemId)}/acceptance/desk${whose(applicationId)}`)

export function decide(itemId: number, outcome: Outcome, note: string, file: File, onProgress: (f: number) => void, applicationId?: number | null): Promise<DecisionPublic> {
  const form = new FormData()
  if (applicationId != null) form.append('application_id', String(applicationId))
  form.append('outcome', outcome)
  form.append('note', note)
  form.append('document', file)
  return postForm<DecisionPublic>('POST', `${item(itemId)}/acceptance/decision`, form, onProgress)
}

export const reportUrl = (itemId: number, milestoneId: number, reportId: number) =>
  `${item(itemId)}/milestones/${milestoneId}/reports/${reportId}/document`
export const decisionUrl = (itemId: number, applicationId?: number | null) =>
  `${item(itemId)}/acceptance/decision/document${whose(applicationId)}`

/** Fetch a PDF with the session's headers and hand it to the browser as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(`${API_BASE}${path}`, { headers: authHeaders() })
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`)
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
