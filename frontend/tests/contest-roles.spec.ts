import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { i18n } from '@/i18n'

const calls: { method: string; path: string; body?: unknown }[] = []
const holders = [
  { id: 7, user_id: 3, display_name: '李评委', email: 'judge@example.org', role: 'judge' },
  { id: 8, user_id: 4, display_name: 'Co Org', email: 'co@example.org', role: 'organiser' },
]
let refuseEmail = false

vi.mock('@/api/client', () => ({
  authHeaders: () => ({}),
  isMissingEndpoint: () => false,
  request: vi.fn(async (method: string, path: string, body?: unknown) => {
    calls.push({ method, path, body })
    if (method === 'POST' && refuseEmail) {
      const { ApiError } = await import('@/api/errors') // the module the component checks against
      throw new ApiError(422, 'user not found', 'validation', { email: '未找到用户' })
    }
    if (method === 'DELETE') return undefined
    return { contest_id: 12, organisation: { id: 2, name_zh: '湘江实验室', name_en: 'Xiangjiang Lab' }, holders }
  }),
}))

const { default: ContestRoles } = await import('@/components/admin/ContestRoles.vue')

function mountIt() {
  i18n.global.locale.value = 'en'
  return mount(ContestRoles, { props: { contestId: 12, contestTitle: 'Malanshan Cup' }, global: { plugins: [ElementPlus, i18n] }, attachTo: document.body })
}

function emailInput(w: ReturnType<typeof mountIt>) {
  const found = w.get('[data-testid="contest-role-email"]')
  return found.element.tagName === 'INPUT' ? found : found.get('input')
}

describe('contest roles', () => {
  beforeEach(() => {
    calls.length = 0
    refuseEmail = false
    vi.restoreAllMocks()
  })

  it('shows the running unit and the holders, and assigns by e-mail', async () => {
    const w = mountIt()
    await flushPromises()
    expect(calls[0]).toEqual({ method: 'GET', path: '/contests/12/role-holders', body: undefined })
    expect(w.get('[data-testid="contest-owner"]').text()).toContain('Xiangjiang Lab')
    expect(w.get('[data-testid="contest-role-holders"]').text()).toContain('李评委')
    expect(w.get('[data-testid="contest-role-holders"]').text()).toContain('Co-organiser')
    await emailInput(w).setValue(' new@example.org ')
    await w.get('[data-testid="contest-role-add"]').trigger('click')
    await flushPromises()
    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/contests/12/role-holders', body: { email: 'new@example.org', role: 'judge' } })
    w.unmount()
  })

  it('puts an unknown e-mail on its field', async () => {
    refuseEmail = true
    const w = mountIt()
    await flushPromises()
    await emailInput(w).setValue('nobody@example.org')
    await w.get('[data-testid="contest-role-add"]').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 250)) // element-plus shows a field's error after a debounce
    expect(w.find('.el-form-item__error').text()).toBe('未找到用户')
    w.unmount()
  })

  it('revokes only after a confirmation naming the person, the role and the contest', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel')
    const w = mountIt()
    await flushPromises()
    await w.get('[data-testid="revoke-role-7"]').trigger('click')
    await flushPromises()
    expect(String(confirm.mock.calls[0][0])).toContain('李评委')
    expect(String(confirm.mock.calls[0][0])).toContain('Judge')
    expect(String(confirm.mock.calls[0][0])).toContain('Malanshan Cup')
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false) // cancelled: nothing revoked
    confirm.mockResolvedValueOnce('confirm' as never)
    await w.get('[data-testid="revoke-role-7"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '/contests/12/roles/7', body: undefined }])
    w.unmount()
  })
})
