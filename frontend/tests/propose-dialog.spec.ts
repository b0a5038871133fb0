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
  it('proposes every ticked candidate in ranking order, naming them all in the confirmation', async () => {
    i18n.global.locale.value = 'zh-CN'
    const post = vi.spyOn(api, 'POST').mockResolvedValue({ data: notice, response: new Response(null, { status: 201 }) } as never)
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
    const sent = (post.mock.calls[0][1] as { body: { application_ids: number[]; working_days: number } }).body
    expect(sent).toEqual({ application_ids: [9, 11], working_days: 5 })
    expect(w.emitted('proposed')?.[0]).toEqual([notice])
  })

  it('with one candidate ticked keeps the single-appointee wording', async () => {
    i18n.global.locale.value = 'en'
    const post = vi.spyOn(api, 'POST').mockResolvedValue({ data: notice, response: new Response(null, { status: 201 }) } as never)
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    open([9])
    await flushPromises()
    await body().find('[data-testid="propose-submit"]').trigger('click')
    await flushPromises()
    expect(String(confirm.mock.calls[0][0])).toBe('Announce 湘江实验室 (reward 100 万元) on the public-notice page? The notice is public at once and cannot be withdrawn.')
    expect((post.mock.calls[0][1] as { body: unknown }).body).toEqual({ application_ids: [9], working_days: 5 })
  })

  it('refuses to propose nobody, without asking or sending', async () => {
    i18n.global.locale.value = 'en'
    const post = vi.spyOn(api, 'POST')
    const confirm = vi.spyOn(ElMessageBox, 'confirm')
    open([9])
    await flushPromises()
    await body().find('[data-testid="propose-picks"] input[type="checkbox"]').setValue(false)
    await body().find('[data-testid="propose-submit"]').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 250)) // the form item shows its error after a debounce
    expect(body().text()).toContain('Tick at least one appointee')
    expect(confirm).not.toHaveBeenCalled()
    expect(post).not.toHaveBeenCalled()
  })
})
