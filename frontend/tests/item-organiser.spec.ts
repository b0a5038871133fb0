import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent, h, nextTick, ref } from 'vue'
import { i18n } from '@/i18n'

let grants: { role: string; scope_kind: string; scope_id: number }[] = []
const asked: string[] = []

vi.mock('@/api/client', () => ({
  authHeaders: () => ({}),
  isMissingEndpoint: () => false,
  unwrap: (r: { data: unknown }) => r.data,
  api: {
    GET: vi.fn(async (path: string) => {
      asked.push(path)
      if (path === '/api/v1/me/roles') return { data: grants, response: { status: 200, ok: true } }
      return { data: [{ organisation_id: 4, user_id: 9, display_name: '王五', email: 'wang@example.org' }], response: { status: 200, ok: true } }
    }),
  },
}))

const { itemScopes, organisesIn, useItemOrganiser } = await import('@/composables/useItemOrganiser')
const { useAuthStore } = await import('@/stores/auth')
const { default: UnitMembers } = await import('@/components/units/UnitMembers.vue')

const ITEM = { id: 11, list_id: 3, issuing_unit_id: 4 }
const grant = (role: string, scope_kind: string, scope_id = 0) => ({ role, scope_kind, scope_id }) as never

describe('who organises an item', () => {
  it('widens an item to its list and its issuing unit, as the server does', () => {
    expect(itemScopes(ITEM)).toEqual([
      { kind: 'challenge_item', id: 11 },
      { kind: 'challenge_list', id: 3 },
      { kind: 'organisation', id: 4 },
    ])
    expect(itemScopes({ id: 11, list_id: 3, issuing_unit_id: null })).toHaveLength(2)
  })

  it('answers yes for a global organiser and an organiser of the item, its list or its unit', () => {
    const scopes = itemScopes(ITEM)
    expect(organisesIn([], true, scopes)).toBe(true)
    expect(organisesIn([grant('organiser', 'challenge_item', 11)], false, scopes)).toBe(true)
    expect(organisesIn([grant('organiser', 'challenge_list', 3)], false, scopes)).toBe(true)
    expect(organisesIn([grant('organiser', 'organisation', 4)], false, scopes)).toBe(true)
    expect(organisesIn([grant('organiser', 'platform')], false, scopes)).toBe(true)
    expect(organisesIn([grant('platform_admin', 'platform')], false, scopes)).toBe(true)
  })

  it('answers no for another unit, another list, a reviewer or a judge of this item, or nobody', () => {
    const scopes = itemScopes(ITEM)
    expect(organisesIn([], false, scopes)).toBe(false)
    expect(organisesIn([grant('organiser', 'organisation', 5)], false, scopes)).toBe(false)
    expect(organisesIn([grant('organiser', 'challenge_list', 4)], false, scopes)).toBe(false)
    expect(organisesIn([grant('organiser', 'contest', 11)], false, scopes)).toBe(false) // same id, other kind
    expect(organisesIn([grant('reviewer', 'challenge_item', 11), grant('judge', 'organisation', 4)], false, scopes)).toBe(false)
    // an item without an issuing unit: a unit's organiser is not its organiser
    expect(organisesIn([grant('organiser', 'organisation', 4)], false, itemScopes({ id: 11, list_id: 3 }))).toBe(false)
  })
})

describe('useItemOrganiser and the members panel', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    localStorage.clear()
    asked.length = 0
    i18n.global.locale.value = 'en'
  })

  function probe(item: typeof ITEM | null) {
    const itemRef = ref(item)
    let result: { value: boolean } = { value: false }
    const wrapper = mount(defineComponent({ setup: () => { result = useItemOrganiser(itemRef); return () => h('div') } }))
    return { wrapper, itemRef, result: () => result.value }
  }

  it('asks /me/roles and follows the item once it has loaded', async () => {
    useAuthStore().setToken('t')
    grants = [grant('organiser', 'organisation', 4)]
    const { itemRef, result } = probe(null)
    await flushPromises()
    expect(asked).toContain('/api/v1/me/roles')
    expect(result()).toBe(false) // no item yet
    itemRef.value = ITEM
    await nextTick()
    expect(result()).toBe(true)
    itemRef.value = { ...ITEM, issuing_unit_id: 8 }
    await nextTick()
    expect(result()).toBe(false)
  })

  it('answers no when signed out, without asking', async () => {
    grants = [grant('organiser', 'organisation', 4)]
    const { result } = probe(ITEM)
    await flushPromises()
    expect(result()).toBe(false)
    expect(asked).not.toContain('/api/v1/me/roles')
  })

  it('shows a plain member a note instead of loading the members (a 403)', async () => {
    useAuthStore().setToken('t')
    grants = [grant('organiser', 'organisation', 7)] // organiser of another unit only
    const unit = { id: 4, name_zh: '湘江实验室', name_en: 'Xiangjiang Lab' } as never
    const plain = mount(UnitMembers, { props: { unit }, global: { plugins: [ElementPlus, i18n] } })
    await flushPromises()
    expect(plain.find('[data-testid="unit-members-organisers-only"]').text()).toContain('organisers')
    expect(plain.find('[data-testid="member-email"]').exists()).toBe(false)
    expect(asked).not.toContain('/api/v1/organisations/{organisation_id}/members')

    grants = [grant('organiser', 'organisation', 4)]
    const own = mount(UnitMembers, { props: { unit }, global: { plugins: [ElementPlus, i18n] } })
    await flushPromises()
    expect(own.find('[data-testid="unit-members-organisers-only"]').exists()).toBe(false)
    expect(own.find('[data-testid="member-email"]').exists()).toBe(true)
    expect(own.text()).toContain('wang@example.org')
    expect(asked).toContain('/api/v1/organisations/{organisation_id}/members')
  })
})
