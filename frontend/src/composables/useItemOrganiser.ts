/** Whether the signed-in user organises an item (or a unit) as the server decides it: a global
 * organiser, or an organiser grant (GET /me/roles) on the item, its list or its issuing unit.
 * A unit's or a list's own organisers run their items without a global role, so the item page
 * offers them the organiser's pages too. */
import { computed, ref, watch, type Ref } from 'vue'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { useAuthStore } from '@/stores/auth'

type S = components['schemas']
export type Grant = Pick<S['RoleGrantPublic'], 'role' | 'scope_kind' | 'scope_id'>
export interface Scope { kind: S['ScopeKind']; id: number }
export interface ItemRef { id: number; list_id: number; issuing_unit_id?: number | null }

/** The scopes an item widens to on the server (permissions.item_scopes). */
export function itemScopes(item: ItemRef): Scope[] {
  const found: Scope[] = [{ kind: 'challenge_item', id: item.id }, { kind: 'challenge_list', id: item.list_id }]
  if (item.issuing_unit_id != null) found.push({ kind: 'organisation', id: item.issuing_unit_id })
  return found
}

/** The decision: a global organiser, a platform-wide grant, or an organiser grant in a scope. */
export function organisesIn(grants: Grant[], globalOrganiser: boolean, scopes: Scope[]): boolean {
  if (globalOrganiser) return true
  return grants.some((g) => {
    if (g.role === 'platform_admin') return true // the server lets a platform administrator do anything
    if (g.role !== 'organiser') return false
    if (g.scope_kind === 'platform') return true
    return scopes.some((s) => s.kind === g.scope_kind && s.id === g.scope_id)
  })
}

/** My grants, asked once the user is signed in without a global organiser role; `known` turns
 * true once the answer (or the global role) is in. */
function useMyGrants() {
  const auth = useAuthStore()
  const grants = ref<Grant[]>([])
  const known = ref(false)
  watch(
    () => auth.signedIn && !auth.isOrganiser,
    async (ask) => {
      grants.value = []
      known.value = !ask
      if (!ask) return
      grants.value = await api.GET('/api/v1/me/roles').then(unwrap).catch(() => [])
      known.value = true
    },
    { immediate: true },
  )
  return { auth, grants, known }
}

/** True when the user may run this item's organiser pages (formal check, reviewers, ranking,
 * the notice desk, applications and exports). */
export function useItemOrganiser(item: Ref<ItemRef | null | undefined>) {
  const { auth, grants } = useMyGrants()
  return computed(() => !!item.value && auth.signedIn && organisesIn(grants.value, auth.isOrganiser, itemScopes(item.value)))
}

/** Whether the user organises this unit (sees and manages its members); null until known. */
export function useUnitOrganises(unitId: Ref<number>) {
  const { auth, grants, known } = useMyGrants()
  return computed<boolean | null>(() => {
    if (!known.value) return null
    return auth.signedIn && organisesIn(grants.value, auth.isOrganiser, [{ kind: 'organisation', id: unitId.value }])
  })
}
