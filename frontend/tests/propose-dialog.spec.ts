import { afterEach, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import ProposeDialog from '@/views/notice/ProposeDialog.vue'

const body = () => new DOMWrapper(document.body)
const candidates = [
  { id: 9, name: '湘江实验室', rank: 1 },
  { id: 11, name: '麓山研究院', rank: 2 },
  { id: 12, name: '岳麓数字', rank: 3 },
]
const notice = { item_id: 5, appointees: [], objections: [] }
const nationalDay = {
  starts_at: '2026-09-28T02:00:00Z',
  ends_at: '2026-10-10T02:00:00Z',
  timezone: 'Asia/Shanghai',
  working_days: 5,
  working_calendar: 'cn',
  skipped_holidays: [{ name_zh: '国庆节', name_en: 'National Day' }],
  makeup_days: ['2026-10-10'],
  warnings: [],
}
type Call = [string, { body: Record<string, unknown> }]

/** api.POST answering the preview with `period` and the proposal with the notice. */
function mockPost(period: object = nationalDay) {
  return vi.spyOn(api, 'POST').mockImplementation(((path: string) =>
    Promise.resolve(path.endsWith('/preview')
      ? { data: period, response: new Response(null, { status: 200 }) }
      : { data: notice, response: new Response(null, { status: 201 }) })) as never)
}
const proposals = (post: ReturnType<typeof mockPost>) => (post.mock.calls as unknown as Call[]).filter(([path]) => !path.endsWith('/preview'))
const previews = (post: ReturnType<typeof mockPost>) => (post.mock.calls as unknown as Call[]).filter(([path]) => path.endsWith('/preview'))

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

function open(initial: number[]) {
  return mount(ProposeDialog, {
    props: { modelValue: true, itemId: 5, candidates, initial, reward: '100 万元' },
    global: { plugins: [ElementPlus, i18n, createPinia()] },
    attachTo: document.body,
  })
}

describe('ProposeDialog', () => {
  it('reads each candidate by its rank in words, not a bare #1', async () => {
    mockPost()
    i18n.global.locale.value = 'zh-CN'
    open([])
    await flushPromises()
    expect(body().find('[data-testid="propose-rank-9"]').text()).toBe('第 1 名')
    expect(body().find('[data-testid="propose-pick-11"]').text()).toBe('第 2 名 麓山研究院')
    i18n.global.locale.value = 'en'
    await flushPromises()
    expect(body().find('[data-testid="propose-rank-12"]').text()).toBe('Rank 3')
  })

  it('proposes every ticked candidate in ranking order, naming them all in the confirmation', async () => {
    i18n.global.locale.value = 'zh-CN'
    const post = mockPost()
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const w = open([11])
    await flushPromises()
    const boxes = body().findAll('[data-testid="propose-picks"] input[type="checkbox"]')
    expect(boxes).toHaveLength(3)
    expect(boxes.map((b) => (b.element as HTMLInputElement).checked)).toEqual([false, true, false])
    await boxes[0].setValue(true) // ticked after the second, listed first: the ranking decides
    expect(body().find('[data-testid="propose-who"]').text()).toContain('湘江实验室、麓山研究院')
    await body().find('[data-testid="propose-submit"]').trigger('click')
    await flushPromises()
    expect(String(confirm.mock.calls[0][0])).toContain('2 个单位：湘江实验室、麓山研究院')
    expect(String(confirm.mock.calls[0][0])).not.toContain('岳麓数字')
    expect(proposals(post).map(([, o]) => o.body)).toEqual([{ application_ids: [9, 11], working_days: 5 }])
    expect(w.emitted('proposed')?.[0]).toEqual([notice])
  })

  it('with one candidate ticked keeps the single-appointee wording', async () => {
    i18n.global.locale.value = 'en'
    const post = mockPost()
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    open([9])
    await flushPromises()
    await body().find('[data-testid="propose-submit"]').trigger('click')
    await flushPromises()
    expect(String(confirm.mock.calls[0][0])).toBe('Announce 湘江实验室 (reward 100 万元) on the public-notice page? The notice is public at once and cannot be withdrawn.')
    expect(proposals(post).map(([, o]) => o.body)).toEqual([{ application_ids: [9], working_days: 5 }])
  })

  it('refuses to propose nobody, without asking or sending', async () => {
    i18n.global.locale.value = 'en'
    const post = mockPost()
    const confirm = vi.spyOn(ElMessageBox, 'confirm')
    open([9])
    await flushPromises()
    await body().find('[data-testid="propose-picks"] input[type="checkbox"]').setValue(false)
    await body().find('[data-testid="propose-submit"]').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 250)) // the form item shows its error after a debounce
    expect(body().text()).toContain('Tick at least one appointee')
    expect(confirm).not.toHaveBeenCalled()
    expect(proposals(post)).toEqual([])
  })

  it('shows the end the server computes by the list calendar before confirming', async () => {
    i18n.global.locale.value = 'zh-CN'
    const post = mockPost()
    open([9])
    await flushPromises()
    expect(previews(post).map(([, o]) => o.body)).toEqual([{ working_days: 5 }])
    const shown = body().find('[data-testid="propose-preview"]').text()
    expect(shown).toMatch(/^公示期至 2026\/10\/10 10:00 \(Asia\/Shanghai\)（5 个工作日，已跳过国庆节假期，计入调休上班日 2026-10-10）$/)
    expect(body().find('[data-testid="propose-warning"]').exists()).toBe(false)
    await body().find('[data-testid="propose-days"] input').setValue('3')
    await body().find('[data-testid="propose-days"] input').trigger('change')
    await flushPromises()
    expect(previews(post).map(([, o]) => o.body).at(-1)).toEqual({ working_days: 3 })
    await body().find('[data-testid="propose-mode-end"] input').setValue(true)
    await flushPromises()
    expect(body().find('[data-testid="propose-preview"]').exists()).toBe(false) // an explicit end: nothing to count
    expect(proposals(post)).toEqual([])
  })

  it('warns when a year of the period has no announced holiday schedule', async () => {
    i18n.global.locale.value = 'en'
    const message_en = 'The 2027 public-holiday schedule has not been announced yet; the notice period counts Monday to Friday'
    mockPost({
      ...nationalDay,
      ends_at: '2027-03-12T02:00:00Z',
      skipped_holidays: [],
      makeup_days: [],
      warnings: [{ code: 'holidays_unannounced', year: 2027, message_zh: '2027 年的节假日安排尚未公布，公示期按周一至周五计算', message_en }],
    })
    open([9])
    await flushPromises()
    expect(body().find('[data-testid="propose-preview"]').text()).toBe('Notice period until 03/12/2027, 10:00 AM (Asia/Shanghai) (5 working days)')
    expect(body().find('[data-testid="propose-warning"]').text()).toContain(message_en)
  })

  it('names a weekdays list calendar in the preview', async () => {
    i18n.global.locale.value = 'zh-CN'
    mockPost({ ...nationalDay, ends_at: '2026-10-05T02:00:00Z', working_calendar: 'weekdays', skipped_holidays: [], makeup_days: [] })
    open([9])
    await flushPromises()
    expect(body().find('[data-testid="propose-preview"]').text()).toContain('（5 个工作日，按周一至周五计算）')
  })
})
