import { afterEach, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import type { ChallengeList } from '@/api/types'
import ListSettingsDialog from '@/components/admin/ListSettingsDialog.vue'
import NoticeView from '@/views/notice/NoticeView.vue'
import { createMemoryHistory, createRouter } from 'vue-router'

const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
const global = { plugins: [ElementPlus, i18n, createPinia(), router] }
const body = () => new DOMWrapper(document.body)
const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })
const list = (over: Partial<ChallengeList> = {}) => ({ id: 3, year: 2026, title_zh: '榜单', title_en: 'List', description_zh: '', description_en: '', timezone: 'Asia/Shanghai', working_calendar: 'weekdays', status: 'published', published_at: null, ...over }) as ChallengeList

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('the list working calendar', () => {
  it('lets the organiser of a published list switch to the official calendar', async () => {
    i18n.global.locale.value = 'zh-CN'
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(list({ working_calendar: 'cn' })) as never)
    mount(ListSettingsDialog, { props: { modelValue: true, list: list(), itemCount: 1 }, global, attachTo: document.body })
    await flushPromises()
    const hint = () => body().find('[data-testid="list-edit-calendar-hint"]').text()
    expect(hint()).toContain('只计周一至周五')
    await body().find('[data-testid="list-edit-calendar-cn"] input').setValue(true)
    await flushPromises()
    expect(hint()).toContain('跳过法定节假日，计入调休上班的周末')
    expect(hint()).toContain('已开始的公示期不变')
    await body().find('[data-testid="list-edit-save"]').trigger('click')
    await flushPromises()
    expect(patch.mock.calls[0][1]).toMatchObject({ body: { working_calendar: 'cn' } })
    expect((patch.mock.calls[0][1] as { body: object }).body).not.toHaveProperty('timezone') // published: zone fixed
  })
})

describe('the notice page', () => {
  it('names the working days and warns of a year counted Monday to Friday', async () => {
    i18n.global.locale.value = 'zh-CN'
    const notice = {
      item_id: 5, item_code: 'AV-1', item_title_zh: '编码', item_title_en: 'Codec', reward_zh: '100 万元', reward_en: 'CNY 1m',
      application_id: 9, appointee_org_id: null, appointee_zh: '湘江实验室', appointee_en: 'Xiangjiang Lab',
      appointees: [{ application_id: 9, position: 1, appointee_org_id: null, appointee_zh: '湘江实验室', appointee_en: 'Xiangjiang Lab' }],
      starts_at: '2027-03-05T02:00:00Z', ends_at: '2027-03-12T02:00:00Z', timezone: 'Asia/Shanghai', status: 'in_notice', objections: [],
      working_days: 5, working_calendar: 'cn',
      warnings: [{ code: 'holidays_unannounced', year: 2027, message_zh: '2027 年的节假日安排尚未公布，公示期按周一至周五计算', message_en: 'x' }],
    }
    vi.spyOn(api, 'GET').mockResolvedValue(ok(notice) as never)
    mount(NoticeView, { props: { id: '5' }, global, attachTo: document.body })
    await flushPromises()
    expect(body().find('[data-testid="notice-working-days"]').text()).toBe('（5 个工作日）')
    expect(body().find('[data-testid="notice-warning"]').text()).toContain('2027 年的节假日安排尚未公布，公示期按周一至周五计算')
  })
})
