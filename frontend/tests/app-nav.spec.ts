/** The nav bar keeps one row: the organiser's pages (lists, contests, health, roles, and an
 * organiser's audit log) sit under one "Manage" / 管理 menu, every entry keeping its test id. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { computed, ref } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'

const unit = ref(false)
const reach = { health: ref(false), roles: ref(false) }
vi.mock('@/composables/useUnread', () => ({ useUnread: () => ({ unread: ref(0), start: () => undefined, stop: () => undefined }) }))
vi.mock('@/composables/useUnitOrganiser', () => ({ useUnitOrganiser: () => unit }))
vi.mock('@/composables/useContestJudge', () => ({ useContestJudge: () => ref(new Set()) }))
vi.mock('@/composables/useOrganiserNav', () => ({ useOrganiserNav: () => ({ health: computed(() => reach.health.value), roles: computed(() => reach.roles.value) }) }))
const { default: App } = await import('@/App.vue')

const body = () => new DOMWrapper(document.body)
let mounted: { unmount: () => void } | null = null
afterEach(() => {
  mounted?.unmount()
  mounted = null
  document.body.innerHTML = ''
  unit.value = false
  reach.health.value = false
  reach.roles.value = false
})

async function nav(role: 'organiser' | 'judge' | 'participant') {
  i18n.global.locale.value = 'zh-CN'
  const pinia = createPinia()
  setActivePinia(pinia)
  const auth = useAuthStore()
  auth.token = 'signed-in'
  auth.user = { id: 1, email: 'a@example.org', display_name: 'A', role, locale: 'zh-CN' } as never
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
  await router.push('/')
  const w = mount(App, { global: { plugins: [ElementPlus, i18n, pinia, router] }, attachTo: document.body })
  mounted = w
  await flushPromises()
  const bar = w.findAll('.nav-links > a').map((a) => a.attributes('data-testid'))
  const menu = w.find('[data-testid="nav-manage"]')
  if (menu.exists()) {
    await menu.trigger('click')
    await flushPromises()
  }
  const manage = body().findAll('.nav-manage__item a').map((a) => a.attributes('data-testid'))
  return { bar, manage, label: menu.exists() ? menu.text() : null }
}

describe('the nav bar', () => {
  it("puts an organiser's pages under 管理, audit log included", async () => {
    reach.health.value = true
    reach.roles.value = true
    const { bar, manage, label } = await nav('organiser')
    expect(label).toContain('管理')
    expect(manage).toEqual(['nav-admin-lists', 'nav-admin-contests', 'nav-health', 'nav-roles', 'nav-audit'])
    expect(bar).toEqual(['nav-home', 'nav-hall', 'nav-notices', 'nav-teams', 'nav-applications', 'nav-units', 'nav-review-desk', 'nav-judge'])
  })
  it("keeps a judge's audit log in the bar, with no Manage menu", async () => {
    const { bar, manage, label } = await nav('judge')
    expect(label).toBeNull()
    expect(manage).toEqual([])
    expect(bar.slice(-2)).toEqual(['nav-judge', 'nav-audit'])
  })
  it("gives a unit's organiser the contests page under Manage", async () => {
    unit.value = true
    const { bar, manage } = await nav('participant')
    expect(manage).toEqual(['nav-admin-contests'])
    expect(bar).not.toContain('nav-admin-contests')
  })
})
