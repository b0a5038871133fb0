/** The contests the signed-in user judges through a contest grant (a judge or organiser role
 * held on a contest, not the global role): such a judge reaches the judge console from the
 * nav, and its phase picker offers only these contests. The API decides every action. */
import { ref, watch } from 'vue'
import { request } from '@/api/client'
import { useAuthStore } from '@/stores/auth'

interface Grant { role: string; scope_kind: string; scope_id: number }

export async function contestsIJudge(): Promise<Set<number>> {
  const grants = await request<Grant[]>('GET', '/me/roles')
  return new Set(grants.filter((g) => g.scope_kind === 'contest' && (g.role === 'judge' || g.role === 'organiser')).map((g) => g.scope_id))
}

export function useContestJudge() {
  const auth = useAuthStore()
  const contests = ref<Set<number>>(new Set())
  watch(
    () => auth.signedIn && !auth.isJudge,
    async (ask) => {
      contests.value = new Set()
      if (!ask) return
      contests.value = await contestsIJudge().catch(() => new Set<number>())
    },
    { immediate: true },
  )
  return contests
}
