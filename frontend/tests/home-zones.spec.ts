/** The home page shows a contest's dates and a list item's deadline in their own zones, not the
 * reader's: a Shanghai contest opening at 00:30 on 1 March reads 1 March in London too. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import HomeView from '@/views/HomeView.vue'

const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
const global = { plugins: [ElementPlus, i18n, createPinia(), router] }
const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })

const list = { id: 3, year: 2027, title_zh: '2027 年榜单', title_en: 'List 2027', description_zh: '', description_en: '', timezone: 'Asia/Shanghai', status: 'published', published_at: null }
// 18:00 in Shanghai is 10:00 in London
const item = { id: 5, list_id: 3, code: 'AV-1', title_zh: '视频修复', title_en: 'Restoration', category: 'video', status: 'open', application_deadline: '2027-03-10T10:00:00Z', deadline_timezone: 'Asia/Shanghai', targets: [], issuing_unit_id: null }
// opens 00:30 on 1 March and closes 23:30 on 30 April in Shanghai: 28 February and 30 April in London
const contest = { id: 7, slug: 'mlc', year: 2027, title_zh: '马栏山杯', title_en: 'Malanshan Cup', description_zh: '', description_en: '', status: 'published', timezone: 'Asia/Shanghai', stage: 'upcoming', opens_at: '2027-02-28T16:30:00Z', closes_at: '2027-04-30T15:30:00Z' }

beforeAll(() => {
  process.env.TZ = 'Europe/London' // the reader's computer
})

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

async function home(locale: 'zh-CN' | 'en') {
  i18n.global.locale.value = locale
  vi.spyOn(api, 'GET').mockImplementation(((path: string) =>
    Promise.resolve(ok(path === '/api/v1/challenge-lists' ? [list] : path.endsWith('/items') ? [item] : path === '/api/v1/contests' ? [contest] : []))) as never)
  const wrapper = mount(HomeView, { global, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('the home page', () => {
  it("dates a contest by its own zone's calendar, named once", async () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('Europe/London')
    const text = (await home('zh-CN')).text()
    expect(text).toContain('2027/03/01 – 2027/04/30 (Asia/Shanghai)')
    expect(text).not.toContain('2027/02/28')
  })

  it("shows an item's deadline as the wall clock of its list's zone", async () => {
    const text = (await home('en')).text()
    expect(text).toContain('03/10/2027, 06:00 PM (Asia/Shanghai)')
    expect(text).not.toContain('10:00 AM')
  })
})
