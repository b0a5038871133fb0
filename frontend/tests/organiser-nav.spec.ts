import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { effectScope } from 'vue'

let runs = false
let grants: { role: string; scope_kind: string; scope_id: number }[] = []
const asked: string[] = []

vi.mock('@/api/client', () => ({
  authHeaders: () => ({}),
  isMissingEndpoint: () => false,
  request: vi.fn(async (_method: string, path: string) => {
    asked.push(path)
    if (path === '/me/organising') return { runs_something: runs }
    if (path === '/me/roles') return grants
    return []
  }),
}))

const { showsHealth, showsRoles, useOrganiserNav } = await import('@/composables/useOrganiserNav')
const { useAuthStore } = await import('@/stores/auth')

async function navFor(role: 'participant' | 'organiser') {
  setActivePinia(createPinia())
  const auth = useAuthStore()
  auth.token = 'signed-in'
  auth.user = { id: 1, email: 'a@example.org', display_name: 'A', role, locale: 'en' } as never
  const nav = effectScope().run(() => useOrganiserNav())!
  await flushPromises()
  return { health: nav.health.value, roles: nav.roles.value }
}

describe('the organiser links in the nav', () => {
  beforeEach(() => {
    runs = false
    grants = []
    asked.length = 0
  })

  it('shows an applicant unit’s organiser neither Health nor Roles', async () => {
    grants = [{ role: 'organiser', scope_kind: 'organisation', scope_id: 4 }] // registered their unit
    expect(await navFor('participant')).toEqual({ health: false, roles: false })
    expect(asked).toContain('/me/organising') // the API's rule, not a guess from the grants
  })

  it('shows Health to the organiser of a unit that runs something, Roles to a list’s', async () => {
    runs = true
    grants = [{ role: 'organiser', scope_kind: 'organisation', scope_id: 4 }]
    expect(await navFor('participant')).toEqual({ health: true, roles: false })
    grants = [{ role: 'organiser', scope_kind: 'challenge_list', scope_id: 2 }]
    expect(await navFor('participant')).toEqual({ health: true, roles: true })
    grants = [{ role: 'platform_admin', scope_kind: 'platform', scope_id: 0 }]
    expect(await navFor('participant')).toEqual({ health: true, roles: true })
  })

  it('shows both to global organisers without asking', async () => {
    expect(await navFor('organiser')).toEqual({ health: true, roles: true })
    expect(asked).toEqual([])
  })

  it('is a plain rule over what the API says', () => {
    const reach = { runsSomething: false, platformAdmin: false, lists: [] }
    expect(showsHealth(false, null)).toBe(false)
    expect(showsHealth(false, reach)).toBe(false)
    expect(showsHealth(false, { ...reach, runsSomething: true })).toBe(true)
    expect(showsRoles(false, { ...reach, runsSomething: true })).toBe(false)
    expect(showsRoles(false, { ...reach, lists: [3] })).toBe(true)
    expect(showsHealth(true, null) && showsRoles(true, null)).toBe(true)
  })
})
