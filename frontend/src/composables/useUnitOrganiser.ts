/** Whether the signed-in user organises some unit (an organiser grant on an organisation):
 * such a user runs the unit's contests without a global role, so the nav offers them. */
import { ref, watch } from 'vue'
import { unitsIOrganise } from '@/api/contestRoles'
import { useAuthStore } from '@/stores/auth'

export function useUnitOrganiser() {
  const auth = useAuthStore()
  const organisesUnit = ref(false)
  watch(
    () => auth.signedIn && !auth.isOrganiser,
    async (ask) => {
      organisesUnit.value = false
      if (!ask) return
      organisesUnit.value = await unitsIOrganise().then((u) => u.length > 0).catch(() => false)
    },
    { immediate: true },
  )
  return organisesUnit
}
