/** Expert review (专家评审): the list's rubric, an item's reviewers, blind score sheets, ranking. */
import { api, request, unwrap } from './client'
import { ApiError } from './errors'
import type { components } from './schema'

type S = components['schemas']
export type Aggregation = S['Aggregation']
export type CriterionIn = S['CriterionIn']
export type Criterion = S['CriterionPublic']
export type RubricIn = S['RubricIn']
export type Rubric = S['RubricPublic']
export type Assignment = S['AssignmentPublic']
export type ScoreIn = S['ScoreIn']
export type SheetIn = S['SheetIn']
export type Sheet = S['SheetPublic']
export type RankingRow = S['RankingRow']
export type CriterionResult = S['CriterionResult']

/** Applications in these states are scored (the server's REVIEWABLE). */
export const REVIEWABLE = ['complete', 'shortlisted', 'awarded']

/** The list's rubric, or null while it has none (the server answers 404). */
export async function getRubric(listId: number): Promise<Rubric | null> {
  try {
    return unwrap(await api.GET('/api/v1/challenge-lists/{list_id}/rubric', { params: { path: { list_id: listId } } }))
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null
    throw err
  }
}

export const setRubric = async (listId: number, body: RubricIn): Promise<Rubric> =>
  unwrap(await api.PUT('/api/v1/challenge-lists/{list_id}/rubric', { params: { path: { list_id: listId } }, body }))

export const itemReviewers = async (itemId: number): Promise<Assignment[]> =>
  unwrap(await api.GET('/api/v1/challenge-items/{item_id}/reviewers', { params: { path: { item_id: itemId } } }))

/** Assign the account with this e-mail (422 on `email` when unknown, 409 naming the unit). */
export const assignReviewer = async (itemId: number, email: string): Promise<Assignment[]> =>
  unwrap(await api.POST('/api/v1/challenge-items/{item_id}/reviewers', { params: { path: { item_id: itemId } }, body: { email } }))

export const saveSheet = async (appId: number, body: SheetIn): Promise<Sheet> =>
  unwrap(await api.PUT('/api/v1/applications/{application_id}/my-review', { params: { path: { application_id: appId } }, body }))

/** Sheets I may see: all for organisers; for a reviewer, only their own until they submit it. */
export const visibleSheets = async (appId: number): Promise<Sheet[]> =>
  unwrap(await api.GET('/api/v1/applications/{application_id}/reviews', { params: { path: { application_id: appId } } }))

export const itemRanking = async (itemId: number): Promise<RankingRow[]> =>
  unwrap(await api.GET('/api/v1/challenge-items/{item_id}/ranking', { params: { path: { item_id: itemId } } }))

/** The items I was assigned to review (reviewer grants held on an item). */
export async function myReviewItemIds(): Promise<number[]> {
  const grants = unwrap(await api.GET('/api/v1/me/roles'))
  return [...new Set(grants.filter((g) => g.role === 'reviewer' && g.scope_kind === 'challenge_item').map((g) => g.scope_id))]
}

/** The 0–100 weighted total of a complete sheet, as the server computes it. */
export function weightedTotal(scores: Record<number, number | null | undefined>, criteria: Criterion[]): number | null {
  let total = 0
  for (const c of criteria) {
    const s = scores[c.id]
    if (s == null || Number.isNaN(s)) return null
    total += (s / (c.max_score ?? 100)) * c.weight
  }
  return total
}

export interface ConflictIn { organisation_id: number | null; reason: string }

/** Declare a conflict of interest and recuse myself from the item (not in the schema snapshot yet). */
export const declareConflict = (itemId: number, body: ConflictIn): Promise<void> =>
  request<void>('POST', `/challenge-items/${itemId}/conflict-declarations`, body)
