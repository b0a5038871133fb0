/** A contest's own organisers and judges (grants in the contest's scope), and its unit. */
import { request } from '@/api/client'

export type ContestRole = 'organiser' | 'judge'

export interface ContestRoleHolder {
  id: number
  user_id: number
  display_name: string
  email: string
  role: ContestRole
}

export interface OwningUnit {
  id: number
  name_zh: string
  name_en: string
}

export interface ContestRoles {
  contest_id: number
  organisation: OwningUnit | null
  holders: ContestRoleHolder[]
}

export function contestRoles(contestId: number): Promise<ContestRoles> {
  return request<ContestRoles>('GET', `/contests/${contestId}/role-holders`)
}

export function addContestRole(contestId: number, email: string, role: ContestRole): Promise<ContestRoles> {
  return request<ContestRoles>('POST', `/contests/${contestId}/role-holders`, { email, role })
}

export function revokeContestRole(contestId: number, grantId: number): Promise<void> {
  return request<void>('DELETE', `/contests/${contestId}/roles/${grantId}`)
}

/** The units I organise (organiser grants held on an organisation), for a new contest's owner. */
export async function unitsIOrganise(): Promise<OwningUnit[]> {
  const [grants, units] = await Promise.all([
    request<{ role: string; scope_kind: string; scope_id: number }[]>('GET', '/me/roles'),
    request<OwningUnit[]>('GET', '/me/organisations'),
  ])
  const mine = new Set(grants.filter((g) => g.role === 'organiser' && g.scope_kind === 'organisation').map((g) => g.scope_id))
  return units.filter((u) => mine.has(u.id))
}
