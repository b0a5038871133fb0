import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/i18n'
import type { GrantableRole } from '@/api/scopeRoles'

const calls: { method: string; path: string; body?: unknown }[] = []
const holders = [{ id: 5, user_id: 3, role: 'organiser', scope_kind: 'organisation', scope_id: 9, display_name: '王组织', email: 'wang@example.org' }]
let refuseEmail = false
let grants: { role: string; scope_kind: string; scope_id: number }[] = []

vi.mock('@/api/client', () => ({
  authHeaders: () => ({}),
  isMissingEndpoint: () => false,
  request: vi.fn(async (method: string, path: string, body?: unknown) => {
    calls.push({ method, path, body })
    if (path === '/me/roles') return grants
    if (method === 'POST' && refuseEmail) {
      const { ApiError } = await import('@/api/errors')
      throw new ApiError(422, 'no such account', 'validation', { email: '没有以邮箱 nobody@example.org 注册的账户，请先请其注册' })
    }
    if (method === 'POST') return { ...holders[0], id: 6 }
    return holders
  }),
}))

const { default: ScopeRoles } = await import('@/components/admin/ScopeRoles.vue')
const { myOrganiserScopes } = await import('@/api/scopeRoles')

function mountIt(roles: GrantableRole[] = ['organiser']) {
  i18n.global.locale.value = 'en'
  return mount(ScopeRoles, { props: { base: '/organisations/9', roles, testid: 'unit-roles' }, global: { plugins: [ElementPlus, i18n] }, attachTo: document.body })
}

function emailInput(w: ReturnType<typeof mountIt>) {
  const found = w.get('[data-testid="unit-roles-email"]')
  return found.element.tagName === 'INPUT' ? found : found.get('input')
}

describe('roles of a scope', () => {
  beforeEach(() => {
    calls.length = 0
    refuseEmail = false
    grants = []
  })

  it('lists the holders by name and e-mail and grants by a typed e-mail', async () => {
    const w = mountIt()
    await flushPromises()
    expect(calls[0]).toEqual({ method: 'GET', path: '/organisations/9/roles', body: undefined })
    const table = w.get('[data-testid="unit-roles-holders"]').text()
    expect(table).toContain('王组织')
    expect(table).toContain('wang@example.org')
    expect(table).toContain('Organiser')
    expect(w.find('[data-testid="unit-roles-role"]').exists()).toBe(false) // one role: no picker
    await emailInput(w).setValue(' new@example.org ')
    await w.get('[data-testid="unit-roles-grant"]').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST')).toEqual({ method: 'POST', path: '/organisations/9/roles', body: { email: 'new@example.org', role: 'organiser' } })
    expect(calls.at(-1)?.method).toBe('GET') // the holders reloaded
    w.unmount()
  })

  it('puts the refusal naming an unknown e-mail on its field', async () => {
    refuseEmail = true
    const w = mountIt(['reviewer', 'organiser'])
    await flushPromises()
    expect(w.find('[data-testid="unit-roles-role"]').exists()).toBe(true)
    await emailInput(w).setValue('nobody@example.org')
    await w.get('[data-testid="unit-roles-grant"]').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 250)) // element-plus shows a field's error after a debounce
    expect(w.find('.el-form-item__error').text()).toContain('nobody@example.org')
    // under the field, in the e-mail's own item (a column as wide as the field), not beside the button
    const item = w.get('[data-testid="unit-roles-email-item"]')
    expect(item.classes()).toContain('scope-roles__email')
    const content = item.get('.el-form-item__content')
    expect(content.find('.el-form-item__error').text()).toContain('nobody@example.org')
    expect(item.find('[data-testid="unit-roles-grant"]').exists()).toBe(false)
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ email: 'nobody@example.org', role: 'reviewer' })
    w.unmount()
  })

  it('asks for an e-mail before calling the API', async () => {
    const w = mountIt()
    await flushPromises()
    await w.get('[data-testid="unit-roles-grant"]').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    w.unmount()
  })
})

describe('what the signed-in user organises', () => {
  it('counts an organiser grant in any scope, and a platform administrator', async () => {
    grants = [{ role: 'judge', scope_kind: 'contest', scope_id: 1 }]
    expect(await myOrganiserScopes()).toEqual({ anywhere: false, platformAdmin: false, lists: [] })
    grants = [{ role: 'organiser', scope_kind: 'challenge_list', scope_id: 4 }, { role: 'reviewer', scope_kind: 'challenge_list', scope_id: 5 }]
    expect(await myOrganiserScopes()).toEqual({ anywhere: true, platformAdmin: false, lists: [4] })
    grants = [{ role: 'organiser', scope_kind: 'organisation', scope_id: 2 }]
    expect((await myOrganiserScopes()).anywhere).toBe(true)
    grants = [{ role: 'platform_admin', scope_kind: 'platform', scope_id: 0 }]
    expect(await myOrganiserScopes()).toEqual({ anywhere: true, platformAdmin: true, lists: [] })
  })
})
