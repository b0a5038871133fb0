import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '@/i18n'

const posted: { path: string; body: unknown }[] = []

vi.mock('@/api/client', () => ({
  authHeaders: () => ({}),
  isMissingEndpoint: () => false,
  unwrap: (r: { data: unknown }) => r.data,
  api: {
    GET: vi.fn(async () => ({
      data: { queue_depth: 2, running: 0, workers: [], sandbox: { mechanism: 'bubblewrap', isolated: true }, email_queue: { pending: 1, last_error: '<…@…> rejected' } },
      response: { status: 200, ok: true },
    })),
    POST: vi.fn(),
  },
  request: vi.fn(async (method: string, path: string, body?: unknown) => {
    if (path === '/me/roles') return [{ role: 'organiser', scope_kind: 'organisation', scope_id: 4 }]
    if (path === '/me/organisations') return [{ id: 4, name_zh: '湘江实验室', name_en: 'Xiangjiang Lab' }]
    posted.push({ path, body })
    return { changes: ['contest tiny: created'] }
  }),
}))

const { default: HealthView } = await import('@/views/admin/HealthView.vue')
const { useAuthStore } = await import('@/stores/auth')

function mountAs(role: 'participant' | 'organiser') {
  i18n.global.locale.value = 'en'
  setActivePinia(createPinia())
  useAuthStore().user = { id: 1, email: 'a@example.org', display_name: 'A', role, locale: 'en' } as never
  return mount(HealthView, { global: { plugins: [ElementPlus, i18n], stubs: { 'el-upload': true } } })
}

describe('the health page for a unit’s organiser', () => {
  beforeEach(() => {
    posted.length = 0
    vi.stubGlobal('fetch', vi.fn(async () => ({ json: async () => ({ status: 'ok', checks: { database: 'ok' } }) })))
  })

  it('shows the shared state, no self-test, and imports into their unit', async () => {
    const w = mountAs('participant')
    await flushPromises()
    expect(w.get('[data-testid="health"]').text()).toContain('2')
    expect(w.text()).not.toContain('Run the sandbox self-test')
    expect(w.get('[data-testid="bundle-scope-hint"]').text()).toContain('re-import a contest')
    expect(w.get('[data-testid="health-privacy"]').text()).toContain('masked')
    const vm = w.vm as unknown as { bundle: File | null; unit: number | null; importBundle: () => Promise<void> }
    expect(vm.unit).toBe(4) // the only unit they organise, picked for them
    vm.bundle = new File(['zip'], 'b.zip')
    await vm.importBundle()
    await flushPromises()
    expect(posted[0].path).toBe('/admin/bundles')
    const form = posted[0].body as FormData
    expect(form.get('organisation_id')).toBe('4')
    expect(w.get('[data-testid="bundle-changes"]').text()).toContain('contest tiny: created')
  })

  it('offers platform organisers the self-test and the platform’s own contests', async () => {
    const w = mountAs('organiser')
    await flushPromises()
    expect(w.text()).toContain('Run the sandbox self-test')
    const vm = w.vm as unknown as { bundle: File | null; unit: number | null; importBundle: () => Promise<void> }
    expect(vm.unit).toBeNull()
    vm.bundle = new File(['zip'], 'b.zip')
    await vm.importBundle()
    expect((posted[0].body as FormData).has('organisation_id')).toBe(false)
  })
})
