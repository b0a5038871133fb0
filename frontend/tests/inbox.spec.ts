import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'

const NOTE = { id: 7, kind: 'team.member_joined', title: 'A member joined your team', body: 'Li joined Alpha.', link: '/teams', read: false, created_at: '2026-12-01T10:00:00Z' }
const calls: string[] = []
let unreadNow = 3

vi.mock('@/api/client', () => ({
  unwrap: (r: { data: unknown }) => r.data,
  api: {
    GET: vi.fn(async (path: string) => {
      calls.push(`GET ${path}`)
      if (path.endsWith('/preferences')) return { data: [{ kind: 'team.member_joined', email: true, in_app: true }] }
      if (path.endsWith('/unread-count')) return { data: { unread: unreadNow } }
      return { data: [NOTE] }
    }),
    POST: vi.fn(async (path: string, opts?: { params?: { path?: { notification_id?: number } } }) => {
      calls.push(`POST ${path.replace('{notification_id}', String(opts?.params?.path?.notification_id))}`)
      return { data: null }
    }),
    PUT: vi.fn(async (path: string) => {
      calls.push(`PUT ${path}`)
      return { data: [] }
    }),
  },
}))

const { default: InboxView } = await import('@/views/inbox/InboxView.vue')
const { refreshUnread, useUnread } = await import('@/composables/useUnread')
const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
const plugins = [ElementPlus, i18n, createPinia(), router]

describe('inbox', () => {
  it('lists notifications, marks one read and shows email preferences per kind', async () => {
    i18n.global.locale.value = 'en'
    const w = mount(InboxView, { global: { plugins } })
    await flushPromises()
    expect(w.findAll('[data-testid="inbox-item"]')).toHaveLength(1)
    expect(w.text()).toContain('Li joined Alpha.')
    expect(w.find('[data-testid="inbox-preferences"]').text()).toContain('A member joined your team')
    await w.find('[data-testid="inbox-mark-read"]').trigger('click')
    await flushPromises()
    expect(calls).toContain('POST /api/v1/notifications/7/read')
    expect(calls).toContain('GET /api/v1/notifications/unread-count')
  })

  it('keeps the header count', async () => {
    unreadNow = 3
    await refreshUnread()
    expect(useUnread().unread.value).toBe(3)
    useUnread().stop()
    expect(useUnread().unread.value).toBe(0)
  })
})
