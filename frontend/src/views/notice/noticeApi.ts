/** Public notice (公示), objections and appointment: shapes, calls, and what blocks the appointment. */
import { api, authHeaders, request, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

type S = components['schemas']
export type Notice = S['NoticePublic']
export type Objection = S['ObjectionPublic']
export type Appointee = S['AppointeePublic']
export type RankingRow = S['RankingRow']
export type ApplicationStatus = S['ApplicationStatus']
export type PeriodPreview = S['PeriodPreview']
export type PeriodWarning = S['PeriodWarning']

/** Every notice, current and past (readable without signing in). */
export function listNotices(): Promise<Notice[]> {
  return request<Notice[]>('GET', '/notices')
}

/** The item's notice, or null when none has been proposed. */
export async function readNotice(itemId: number): Promise<Notice | null> {
  const res = await api.GET('/api/v1/challenge-items/{item_id}/notice', { params: { path: { item_id: itemId } } })
  if (res.response.status === 404) return null
  return unwrap(res)
}

export function fileObjection(itemId: number, text: string, document: File | null): Promise<Objection> {
  const form = new FormData()
  form.append('text', text)
  if (document) form.append('document', document, document.name)
  return request<Objection>('POST', `/challenge-items/${itemId}/notice/objections`, form)
}

/** Open the notice for one or more appointees (``application_ids``, in the order the notice lists them). */
export async function proposeAppointees(
  itemId: number,
  body: { application_ids: number[]; working_days?: number; starts_at?: string | null; ends_at?: string | null },
): Promise<Notice> {
  return unwrap(await api.POST('/api/v1/challenge-items/{item_id}/notice', { params: { path: { item_id: itemId } }, body }))
}

/** The period a notice proposed now would get, computed by the server with the list's working
 * calendar (holidays skipped, 调休 days counted, a warning for a year not yet announced). */
export async function previewPeriod(
  itemId: number,
  body: { working_days?: number; starts_at?: string | null; ends_at?: string | null },
): Promise<PeriodPreview> {
  return unwrap(await api.POST('/api/v1/challenge-items/{item_id}/notice/preview', { params: { path: { item_id: itemId } }, body }))
}

export async function answerObjection(itemId: number, objectionId: number, answer: string): Promise<Notice> {
  return unwrap(
    await api.PUT('/api/v1/challenge-items/{item_id}/notice/objections/{objection_id}/answer', {
      params: { path: { item_id: itemId, objection_id: objectionId } },
      body: { answer },
    }),
  )
}

export async function appoint(itemId: number): Promise<Notice> {
  return unwrap(await api.POST('/api/v1/challenge-items/{item_id}/appointment', { params: { path: { item_id: itemId } } }))
}

/** Download an authenticated file (objection document, exports) under the given name. */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: authHeaders() })
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`)
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Whether objections may be filed now: before, during or after the period. */
export function periodPhase(notice: Pick<Notice, 'starts_at' | 'ends_at' | 'status'>, now = new Date()): 'before' | 'open' | 'closed' {
  if (notice.status === 'final' || now.getTime() > Date.parse(notice.ends_at)) return 'closed'
  if (now.getTime() < Date.parse(notice.starts_at)) return 'before'
  return 'open'
}

/** Every appointee the notice names, in its order (a notice from before several appointees names one). */
export function appointeesOf(notice: Pick<Notice, 'application_id' | 'appointee_org_id' | 'appointee_zh' | 'appointee_en'> & { appointees?: Appointee[] }): Appointee[] {
  if (notice.appointees?.length) return notice.appointees
  const { application_id, appointee_org_id, appointee_zh, appointee_en } = notice
  return [{ application_id, position: 1, appointee_org_id, appointee_zh, appointee_en }]
}

export function openObjections(notice: Pick<Notice, 'objections'>): number {
  return notice.objections.filter((o) => !o.answered_at).length
}

/** Why the appointment cannot be made final yet (an i18n key with its values), or null when it can. */
export function appointmentBlock(
  notice: Pick<Notice, 'starts_at' | 'ends_at' | 'status' | 'objections'>,
  now = new Date(),
): { key: string; values: Record<string, string | number> } | null {
  if (notice.status === 'final') return { key: 'notice.alreadyFinal', values: {} }
  if (periodPhase(notice, now) !== 'closed') return { key: 'notice.blockedPeriod', values: {} }
  const open = openObjections(notice)
  if (open) return { key: 'notice.blockedObjections', values: { n: open } }
  return null
}
