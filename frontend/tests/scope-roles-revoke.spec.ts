import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { i18n } from '@/i18n'

const calls: { method: string; path: string }[] = []
let holders = [
  { id: 5, user_id: 3, role: 'organiser', scope_kind: 'organisation', scope_id: 9, display_name: '王组织', email: 'wang@example.org' },
  { id: 6, user_id: 4, role: 'organiser', scope_kind: 'organisation', scope_id: 9, display_name: '李协办', email: 'li@example.org' },
]
let refuse = false

vi.mock('@/api/client', () => ({
  authHeaders: () => ({}),
  isMissingEndpoint: () => false,
  request: vi.fn(async (method: string, path: string) => {
    calls.push({ method, path })
    if (method === 'DELETE') {
      if (refuse) {
        const { ApiError } = await import('@/api/errors')
        throw new ApiError(409, "王组织 (wang@example.org) is this unit's last organiser", 'last_unit_organiser')
      }
      holders = holders.filter((h) => !path.endsWith(`/${h.id}`))
      return null
    }
    return holders
  }),
}))

const { default: ScopeRoles } = await import('@/components/admin/ScopeRoles.vue')

function mountIt(locale: 'en' | 'zh-CN' = 'en') {
  i18n.global.locale.value = locale
  return mount(ScopeRoles, { props: { base: '/organisations/9', roles: ['organiser'], testid: 'unit-roles' }, global: { plugins: [ElementPlus, i18n] } })
}

describe('removing a role of a scope', () => {
  beforeEach(() => {
    calls.length = 0
    refuse = false
  })
  afterEach(() => vi.restoreAllMocks())

  it('asks first, naming the person and the role, and removes nothing when cancelled', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValue('cancel')
    const w = mountIt()
    await flushPromises()
    await w.get('[data-testid="unit-roles-revoke-6"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledOnce()
    const asked = String(confirm.mock.calls[0][0])
    expect(asked).toContain('李协办')
    expect(asked).toContain('li@example.org')
    expect(asked).toContain('Organiser')
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
  })

  it('removes the grant once confirmed and reloads the holders', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const w = mountIt('zh-CN')
    await flushPromises()
    await w.get('[data-testid="unit-roles-revoke-6"]').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.method === 'DELETE')).toEqual({ method: 'DELETE', path: '/organisations/9/roles/6' })
    expect(calls.at(-1)?.method).toBe('GET')
    expect(w.get('[data-testid="unit-roles-holders"]').text()).not.toContain('李协办')
  })

  it('shows the API’s refusal of the last organiser in the user’s words', async () => {
    refuse = true
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const error = vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
    const w = mountIt('zh-CN')
    await flushPromises()
    await w.get('[data-testid="unit-roles-revoke-5"]').trigger('click')
    await flushPromises()
    expect(String(confirm.mock.calls[0][0])).toContain('王组织（wang@example.org）的“组织者”角色')
    expect(String(error.mock.calls[0][0])).toContain("this unit's last organiser")
    expect(w.get('[data-testid="unit-roles-holders"]').text()).toContain('王组织')
  })
})
