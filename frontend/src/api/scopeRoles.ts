/** Roles held in a unit, a challenge list or platform-wide, granted by e-mail (the API still
 * takes a user_id from older clients). Contest roles have their own (contestRoles.ts). */
import { request } from '@/api/client'

export type GrantableRole = 'organiser' | 'reviewer' | 'judge' | 'platform_admin'

export interface RoleHolder {
  id: number
  user_id: number
  role: GrantableRole
  scope_kind: string
  scope_id: number
  display_name: string
  email: string
}

/** ``base`` names the scope: `/organisations/3`, `/challenge-lists/2` or `/platform`. */
export function roleHolders(base: string): Promise<RoleHolder[]> {
  return request<RoleHolder[]>('GET', `${base}/roles`)
}

export function grantRole(base: string, email: string, role: GrantableRole): Promise<RoleHolder> {
  return request<RoleHolder>('POST', `${base}/roles`, { email, role })
}

/** Withdraw a grant of this scope; the API refuses (409, in the user's words) a unit's last
 * organiser, the platform's last administrator and one's own last platform role. */
export function revokeRole(base: string, grantId: number): Promise<void> {
  return request<void>('DELETE', `${base}/roles/${grantId}`)
}

interface Grant { role: string; scope_kind: string; scope_id: number }

/** What the signed-in user organises, from their grants: any scope at all, and the lists. */
export async function myOrganiserScopes(): Promise<{ anywhere: boolean; platformAdmin: boolean; lists: number[] }> {
  const grants = await request<Grant[]>('GET', '/me/roles')
  const organises = grants.filter((g) => g.role === 'organiser' || g.role === 'platform_admin')
  return {
    anywhere: organises.length > 0,
    platformAdmin: grants.some((g) => g.role === 'platform_admin' && g.scope_kind === 'platform'),
    lists: organises.filter((g) => g.scope_kind === 'challenge_list').map((g) => g.scope_id),
  }
}
