/** Units (发榜单位 / 揭榜单位), their members, applications by units and the formal check. */
import { api, unwrap } from './client'
import type { components } from './schema'
import { postForm } from '@/upload/formPost'

type S = components['schemas']
export type Organisation = S['OrganisationPublic']
export type OrganisationCreate = S['OrganisationCreate']
export type OrganisationUpdate = S['OrganisationUpdate']
export type OrgType = S['OrgType']
export type Member = S['MembershipPublic']
export type UnitApplication = S['ApplicationPublic']
export type FormalCheck = S['FormalCheck']
export interface TeamMember { name: string; role: string }

export const ORG_TYPES: OrgType[] = ['enterprise', 'university', 'research_institute', 'government', 'other']

export const allUnits = async (): Promise<Organisation[]> => unwrap(await api.GET('/api/v1/organisations'))
export const myUnits = async (): Promise<Organisation[]> => unwrap(await api.GET('/api/v1/me/organisations'))
export const getUnit = async (id: number): Promise<Organisation> =>
  unwrap(await api.GET('/api/v1/organisations/{organisation_id}', { params: { path: { organisation_id: id } } }))

export const createUnit = async (body: OrganisationCreate): Promise<Organisation> =>
  unwrap(await api.POST('/api/v1/organisations', { body }))

export const updateUnit = async (id: number, body: OrganisationUpdate): Promise<Organisation> =>
  unwrap(await api.PATCH('/api/v1/organisations/{organisation_id}', { params: { path: { organisation_id: id } }, body }))

export const unitMembers = async (id: number): Promise<Member[]> =>
  unwrap(await api.GET('/api/v1/organisations/{organisation_id}/members', { params: { path: { organisation_id: id } } }))

/** Add the account with this e-mail to the unit (422 on `email` for an unknown address). */
export async function addMember(id: number, email: string): Promise<void> {
  unwrap(await api.POST('/api/v1/organisations/{organisation_id}/members', { params: { path: { organisation_id: id } }, body: { email } }))
}

export async function removeMember(id: number, userId: number): Promise<void> {
  unwrap(await api.DELETE('/api/v1/organisations/{organisation_id}/members/{user_id}', { params: { path: { organisation_id: id, user_id: userId } } }))
}

export const myUnitApplications = async (): Promise<UnitApplication[]> => unwrap(await api.GET('/api/v1/applications/units/mine'))

export const itemApplications = async (itemId: number): Promise<UnitApplication[]> =>
  unwrap(await api.GET('/api/v1/challenge-items/{item_id}/applications', { params: { path: { item_id: itemId } } }))

export interface UnitApplicationIn {
  organisation_id: number
  lead_name: string
  lead_email: string
  members: TeamMember[]
  budget_cny: number | null
  team_id: number | null
  summary: string
  proposal: File
  commitment: File
}

/** The multipart body of an application by a unit (the server reads members as JSON). */
export function unitApplicationForm(body: UnitApplicationIn): FormData {
  const fd = new FormData()
  fd.append('organisation_id', String(body.organisation_id))
  fd.append('lead_name', body.lead_name)
  fd.append('lead_email', body.lead_email)
  fd.append('members', JSON.stringify(body.members.filter((m) => m.name.trim() || m.role.trim())))
  if (body.budget_cny != null) fd.append('budget_cny', String(body.budget_cny))
  if (body.team_id != null) fd.append('team_id', String(body.team_id))
  fd.append('summary', body.summary)
  fd.append('proposal', body.proposal, body.proposal.name)
  fd.append('commitment', body.commitment, body.commitment.name)
  return fd
}

export const applyAsUnit = (itemId: number, body: UnitApplicationIn, onProgress: (fraction: number) => void): Promise<UnitApplication> =>
  postForm<UnitApplication>('POST', `/challenge-items/${itemId}/unit-applications`, unitApplicationForm(body), onProgress)

export interface ResubmissionIn { proposal: File | null; commitment: File | null; summary: string | null; budget_cny: number | null }

export function resubmit(appId: number, body: ResubmissionIn, onProgress: (fraction: number) => void): Promise<UnitApplication> {
  const fd = new FormData()
  if (body.proposal) fd.append('proposal', body.proposal, body.proposal.name)
  if (body.commitment) fd.append('commitment', body.commitment, body.commitment.name)
  if (body.summary != null) fd.append('summary', body.summary)
  if (body.budget_cny != null) fd.append('budget_cny', String(body.budget_cny))
  return postForm<UnitApplication>('PUT', `/applications/${appId}/resubmission`, fd, onProgress)
}

export const formalCheck = async (appId: number, body: FormalCheck): Promise<UnitApplication> =>
  unwrap(await api.PUT('/api/v1/applications/{application_id}/formal-check', { params: { path: { application_id: appId } }, body }))
