import { afterEach, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia } from 'pinia'
import { defineComponent, h, ref } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import type { TargetIn } from '@/api/types'
import type { TrackGroup } from '@/api/trackOptions'
import TargetRowsEditor from '@/components/TargetRowsEditor.vue'
import ListsView from '@/views/admin/ListsView.vue'
import ListEditView from '@/views/admin/ListEditView.vue'
import { timeZones } from '@/utils/timeZones'

const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
const global = { plugins: [ElementPlus, i18n, createPinia(), router] }
const body = () => new DOMWrapper(document.body)
const box = (id: string) => body().find(`input[data-testid="${id}"], [data-testid="${id}"] input`)
const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })
const settle = () => new Promise((r) => setTimeout(r, 250)) // a form item's error shows after a debounce
const year = new Date().getFullYear()
const list = (y: number, id = y) => ({ id, year: y, title_zh: `榜单 ${y}`, title_en: `List ${y}`, description_zh: '', description_en: '', timezone: 'Asia/Shanghai', status: 'draft', published_at: null })

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('timeZones', () => {
  it('offers Asia/Shanghai and UTC first, each once', () => {
    const zones = timeZones()
    expect(zones.slice(0, 2)).toEqual(['Asia/Shanghai', 'UTC'])
    expect(zones.filter((z) => z === 'Asia/Shanghai')).toHaveLength(1)
  })
})

describe('TargetRowsEditor', () => {
  it("picks a target's track by contest and title", async () => {
    i18n.global.locale.value = 'zh-CN'
    const rows = ref<TargetIn[]>([{ metric: 'psnr', comparator: '>=', threshold: 30, unit: 'dB', track_id: null, note_zh: '', note_en: '' }])
    const tracks = [{ contest: { id: 1, title_zh: '马栏山杯', title_en: 'Malanshan Cup' }, tracks: [{ id: 7, title_zh: '视频编码赛道', title_en: 'Video coding' }] }] as unknown as TrackGroup[]
    const Host = defineComponent(() => () => h(TargetRowsEditor, { modelValue: rows.value, tracks, 'onUpdate:modelValue': (v: TargetIn[]) => (rows.value = v) }))
    mount(Host, { global, attachTo: document.body })
    await body().find('[data-testid="target-track-0"] .el-select__wrapper').trigger('click')
    await flushPromises()
    const option = body().findAll('.el-select-dropdown__item').find((o) => o.text() === '马栏山杯 · 视频编码赛道')
    expect(option).toBeTruthy()
    await option!.trigger('click')
    expect(rows.value[0].track_id).toBe(7)
  })
})

describe('ListsView', () => {
  it('proposes the first free year, refuses a taken one at the field and sends the time zone', { timeout: 30_000 }, async () => {
    i18n.global.locale.value = 'zh-CN'
    vi.spyOn(api, 'GET').mockResolvedValue(ok([list(year), list(year + 1)]) as never)
    const post = vi.spyOn(api, 'POST').mockResolvedValue(ok(list(year + 2, 99)) as never)
    mount(ListsView, { global, attachTo: document.body })
    await flushPromises()
    await body().find('[data-testid="new-list"]').trigger('click')
    await flushPromises()
    expect((box('list-year').element as HTMLInputElement).value).toBe(String(year + 2))

    await box('list-year').setValue(String(year + 1))
    await box('list-year').trigger('blur')
    await box('list-title-zh').setValue('榜单')
    await box('list-title-en').setValue('List')
    await body().find('[data-testid="list-create"]').trigger('click')
    await flushPromises()
    await settle()
    expect(body().text()).toContain(`${year + 1} 年已有榜单`)
    expect(post).not.toHaveBeenCalled()

    await box('list-year').setValue(String(year + 2))
    await box('list-year').trigger('blur')
    await body().find('[data-testid="list-create"]').trigger('click')
    await flushPromises()
    expect(post).toHaveBeenCalledTimes(1)
    expect((post.mock.calls[0][1] as { body: { year: number; timezone: string } }).body).toMatchObject({ year: year + 2, timezone: 'Asia/Shanghai' })
  })
})

describe('ListEditView', () => {
  it('publishes only once the organiser confirms, naming the list and its items', async () => {
    i18n.global.locale.value = 'zh-CN'
    const item = { id: 5, list_id: 3, code: 'AV-1', title_zh: '视频修复', title_en: 'Restoration', category: 'video', application_deadline: '2027-01-01T00:00:00Z', targets: [] }
    vi.spyOn(api, 'GET').mockImplementation(((path: string) => Promise.resolve(ok(path.endsWith('/items') ? [item] : list(year, 3)))) as never)
    const put = vi.spyOn(api, 'PUT').mockResolvedValue(ok({ ...list(year, 3), status: 'published' }) as never)
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel').mockResolvedValueOnce('confirm' as never)
    mount(ListEditView, { props: { id: '3' }, global, attachTo: document.body })
    await flushPromises()
    expect(body().find('[data-testid="list-timezone-shown"]').text()).toBe('时区：Asia/Shanghai')

    await body().find('[data-testid="publish-list"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(String(confirm.mock.calls[0][0])).toContain(`榜单 ${year}`)
    expect(String(confirm.mock.calls[0][0])).toContain('1 个项目')
    expect(put).not.toHaveBeenCalled() // cancelled

    await body().find('[data-testid="publish-list"]').trigger('click')
    await flushPromises()
    expect(put).toHaveBeenCalledTimes(1)
    expect((put.mock.calls[0][1] as { body: unknown }).body).toEqual({ status: 'published' })
  })
})
