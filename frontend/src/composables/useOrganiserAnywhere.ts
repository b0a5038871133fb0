/** Whether the signed-in user organises something without the global role: a unit, a
 * contest, a challenge list (an organiser grant in any scope) or the platform (a platform
 * grant). Such a user reads the health page and imports bundles into what they organise;
 * the nav offers both. The API decides every action. */
import { ref, watch } from 'vue'
import { myOrganiserScopes } from '@/api/scopeRoles'
import { useAuthStore } from '@/stores/auth'

export function useOrganiserAnywhere() {
  const auth = useAuthStore()
  const organises = ref(false)
  watch(
    () => auth.signedIn && !auth.isOrganiser,
    async (ask) => {
      organises.value = false
      if (!ask) return
      organises.value = await myOrganiserScopes().then((s) => s.anywhere).catch(() => false)
    },
    { immediate: true },
  )
  return organises
}
