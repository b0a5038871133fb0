/** The item editor types deadlines in the list's zone (an organiser in London, a Shanghai list),
 * and the list's edit dialog changes the zone while the list is a draft. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { ChallengeList } from '@/api/types'
import ListEditView from '@/views/admin/ListEditView.vue'
import ListSettingsDialog from '@/components/admin/ListSettingsDialog.vue'

const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
const global = { plugins: [ElementPlus, i18n, createPinia(), router] }
const body = () => new DOMWrapper(document.body)
const box = (id: string) => body().find(`input[data-testid="${id}"], [data-testid="${id}"] input`)
const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })
const list = (over: Partial<ChallengeList> = {}) => ({ id: 3, year: 2027, title_zh: '榜单 2027', title_en: 'List 2027', description_zh: '', description_en: '', timezone: 'Asia/Shanghai', status: 'draft', published_at: null, ...over }) as ChallengeList
const item = { id: 5, list_id: 3, code: 'AV-1', title_zh: '视频修复', title_en: 'Restoration', category: 'video', application_deadline: '2027-03-10T17:00:00+08:00', targets: [], issuing_unit_id: null }

beforeAll(() => {
  process.env.TZ = 'Europe/London' // the organiser's computer
})

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

async function openEditor(items: unknown[]) {
  i18n.global.locale.value = 'zh-CN'
  vi.spyOn(api, 'GET').mockImplementation(((path: string) => Promise.resolve(ok(path.endsWith('/items') ? items : path.startsWith('/api/v1/challenge-lists/') ? list() : []))) as never)
  mount(ListEditView, { props: { id: '3' }, global, attachTo: document.body })
  await flushPromises()
}

describe('the item editor', () => {
  it("reads a typed deadline as the list zone's wall clock, not the computer's", async () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('Europe/London')
    await openEditor([])
    const post = vi.spyOn(api, 'POST').mockResolvedValue(ok(item) as never)
    await body().find('[data-testid="new-item"]').trigger('click')
    await flushPromises()
    await box('item-code').setValue('AV-1')
    await box('item-category').setValue('video')
    await box('item-title-zh').setValue('视频修复')
    await box('item-title-en').setValue('Restoration')
    const deadline = box('item-deadline')
    await deadline.setValue('2027-03-10 17:00:00')
    await deadline.trigger('keydown', { key: 'Enter', code: 'Enter' })
    await deadline.trigger('change')
    await flushPromises()
    expect(body().find('[data-testid="item-deadline-zone"]').text()).toBe('Asia/Shanghai 时间（UTC+08:00）')
    expect(body().find('[data-testid="item-deadline-own"]').text()).toBe('本机时间（Europe/London）：2027-03-10 09:00')
    expect(body().text()).not.toContain('本机时区')
    await body().find('[data-testid="item-save"]').trigger('click')
    await flushPromises()
    expect(post).toHaveBeenCalledTimes(1)
    expect((post.mock.calls[0][1] as { body: { application_deadline: string } }).body.application_deadline).toBe('2027-03-10T09:00:00.000Z')
  })

  it('shows a saved deadline back the same way and keeps it when saved unchanged', async () => {
    await openEditor([item])
    expect(body().find('[data-testid="items-table"]').text()).toContain('(Asia/Shanghai)')
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(item) as never)
    await body().findAll('[data-testid="items-table"] button').find((b) => b.text() === '编辑')!.trigger('click')
    await flushPromises()
    expect((box('item-deadline').element as HTMLInputElement).value).toBe('2027-03-10 17:00') // to the minute
    await body().find('[data-testid="item-save"]').trigger('click')
    await flushPromises()
    expect((patch.mock.calls[0][1] as { body: { application_deadline: string } }).body.application_deadline).toBe('2027-03-10T09:00:00.000Z')
  })
})

describe('ListSettingsDialog', () => {
  const mountDialog = (l: ChallengeList, itemCount = 2) => {
    i18n.global.locale.value = 'zh-CN'
    const saved = vi.fn()
    mount(ListSettingsDialog, { props: { modelValue: true, list: l, itemCount, onSaved: saved }, global, attachTo: document.body })
    return saved
  }

  it("changes a draft list's zone, saying the deadlines set keep their moment", async () => {
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(list({ timezone: 'Europe/London' })) as never)
    const saved = mountDialog(list())
    await flushPromises()
    await body().find('[data-testid="list-edit-timezone"] .el-select__wrapper').trigger('click')
    await flushPromises()
    await body().findAll('.el-select-dropdown__item').find((o) => o.text() === 'Europe/London')!.trigger('click')
    await flushPromises()
    expect(body().find('[data-testid="list-edit-timezone-hint"]').text()).toContain('已设置的 2 个截止时间保持原来的时刻，将按 Europe/London 显示')
    await body().find('[data-testid="list-edit-save"]').trigger('click')
    await flushPromises()
    expect(patch.mock.calls[0][1]).toMatchObject({ params: { path: { list_id: 3 } }, body: { timezone: 'Europe/London', title_en: 'List 2027' } })
    expect(saved).toHaveBeenCalledTimes(1)
  })

  it("leaves a published list's zone alone", async () => {
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(list({ status: 'published' })) as never)
    mountDialog(list({ status: 'published' }))
    await flushPromises()
    expect(box('list-edit-timezone').attributes('disabled')).toBeDefined()
    expect(body().find('[data-testid="list-edit-timezone-hint"]').text()).toContain('请先退回草稿')
    await body().find('[data-testid="list-edit-save"]').trigger('click')
    await flushPromises()
    expect((patch.mock.calls[0][1] as { body: Record<string, unknown> }).body).not.toHaveProperty('timezone')
  })

  it('shows the refusal at the field when the list was published meanwhile', async () => {
    vi.spyOn(api, 'PATCH').mockRejectedValue(new ApiError(409, '榜单已发布，其时区（Asia/Shanghai）不能再修改', 'list_timezone_fixed') as never)
    mountDialog(list())
    await flushPromises()
    await body().find('[data-testid="list-edit-save"]').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 250)) // a form item's error shows after a debounce
    expect(body().find('[data-testid="list-settings-dialog"] .el-form-item__error').text()).toContain('不能再修改')
  })
})
