/** Which organiser links the nav offers someone without the global organiser role.
 *
 * Health: to whoever organises something that runs (a contest, a challenge list or an item,
 * the platform, or a unit that runs a contest or issues an item), as the API decides it
 * (GET /me/organising, the health endpoint's own rule). Registering a unit makes its creator
 * its organiser, so an applicant unit's organiser sees no Health link. Roles: to the
 * organisers of a challenge list and platform administrators, whose grants that page hands
 * out (a unit's organisers are granted on the unit's card). The API decides every action. */
import { computed, ref, watch, type ComputedRef } from 'vue'
import { request } from '@/api/client'
import { myOrganiserScopes } from '@/api/scopeRoles'
import { useAuthStore } from '@/stores/auth'

export interface OrganiserReach {
  runsSomething: boolean
  platformAdmin: boolean
  lists: number[]
}

export function showsHealth(globalOrganiser: boolean, reach: OrganiserReach | null): boolean {
  return globalOrganiser || Boolean(reach?.runsSomething)
}

export function showsRoles(globalOrganiser: boolean, reach: OrganiserReach | null): boolean {
  return globalOrganiser || Boolean(reach && (reach.platformAdmin || reach.lists.length > 0))
}

export async function myReach(): Promise<OrganiserReach> {
  const [running, scopes] = await Promise.all([
    request<{ runs_something: boolean }>('GET', '/me/organising'),
    myOrganiserScopes(),
  ])
  return { runsSomething: running.runs_something, platformAdmin: scopes.platformAdmin, lists: scopes.lists }
}

export function useOrganiserNav(): { health: ComputedRef<boolean>; roles: ComputedRef<boolean> } {
  const auth = useAuthStore()
  const reach = ref<OrganiserReach | null>(null)
  watch(
    () => auth.signedIn && !auth.isOrganiser,
    async (ask) => {
      reach.value = null
      if (!ask) return
      reach.value = await myReach().catch(() => null)
    },
    { immediate: true },
  )
  return {
    health: computed(() => showsHealth(auth.isOrganiser, reach.value)),
    roles: computed(() => showsRoles(auth.isOrganiser, reach.value)),
  }
}
