import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'

vi.mock('@/api/client', () => ({
  unwrap: (r: { data: unknown }) => r.data,
  api: { GET: vi.fn(async () => ({ data: { id: 7, title_zh: '赛道一', title_en: 'Track one' } })) },
}))
const { default: MissingList } = await import('@/views/organiser/track-wizard/MissingList.vue')

const missing = [{ track_id: 7, track_slug: 't1', code: 'no_phase', field: 'phases', message_zh: '尚无阶段', message_en: 'No phase yet' }]

async function render(locale: 'zh-CN' | 'en') {
  i18n.global.locale.value = locale
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/admin/contests/:id', name: 'admin-contest', component: { template: '<div />' } }] })
  const w = mount(MissingList, { props: { missing, contestId: 4 }, global: { plugins: [i18n, router] } })
  await flushPromises()
  return w.get('[data-testid=readiness-missing]').text()
}

describe('what a contest lacks before publishing', () => {
  it('names the track by its title in Chinese, with a full-width colon', async () => {
    expect(await render('zh-CN')).toContain('赛道一 t1：尚无阶段')
  })
  it('names the track by its title in English', async () => {
    expect(await render('en')).toContain('Track one t1: No phase yet')
  })
})

describe('a contest without tracks', () => {
  it('says so and links to adding a track, with no track name', async () => {
    i18n.global.locale.value = 'zh-CN'
    const routes = [
      { path: '/admin/contests/:id', name: 'admin-contest', component: { template: '<div />' } },
      { path: '/admin/contests/:id/tracks/new', name: 'track-wizard', component: { template: '<div />' } },
    ]
    const router = createRouter({ history: createMemoryHistory(), routes })
    const none = [{ track_id: 0, track_slug: '', code: 'tracks', field: 'tracks', message_zh: '尚无赛道', message_en: 'no tracks yet' }]
    const w = mount(MissingList, { props: { missing: none, contestId: 4 }, global: { plugins: [i18n, router] } })
    await flushPromises()
    expect(w.get('[data-testid=readiness-missing]').text()).toBe('尚无赛道 添加赛道')
    expect(w.get('[data-testid=readiness-add-track]').attributes('href')).toBe('/admin/contests/4/tracks/new')
  })
})
