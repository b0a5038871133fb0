/** The wizard's first step: the Chinese description before the English one, as elsewhere, and no
 * way back from it. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import TrackWizardView from '@/views/organiser/track-wizard/TrackWizardView.vue'
import EvaluatorPicker from '@/views/organiser/track-wizard/EvaluatorPicker.vue'

const stub = { template: '<div />' }
const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/admin/contests/:id', name: 'admin-contest', component: stub }, { path: '/:p(.*)*', component: stub }] })
const body = () => new DOMWrapper(document.body)
const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('the track wizard, step 1', () => {
  it('asks for the Chinese description first, and cannot go back from the first step', async () => {
    i18n.global.locale.value = 'zh-CN'
    vi.spyOn(globalThis, 'fetch').mockImplementation((async () => new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } })) as never)
    vi.spyOn(api, 'GET').mockImplementation((() => Promise.resolve(ok([]))) as never)
    const w = mount(TrackWizardView, { props: { id: '3' }, global: { plugins: [ElementPlus, i18n, createPinia(), router] }, attachTo: document.body })
    await flushPromises()
    const labels = body().findAll('.el-form-item__label').map((l) => l.text())
    expect(labels.indexOf('简介（中文）')).toBeGreaterThanOrEqual(0)
    expect(labels.indexOf('简介（中文）')).toBeLessThan(labels.indexOf('简介（英文）'))
    const back = () => body().find('[data-testid="wiz-back"]')
    expect(back().attributes('disabled')).toBeDefined()
    const picker = w.findComponent(EvaluatorPicker)
    picker.vm.$emit('update:programKey', 'video_codec_rd')
    picker.vm.$emit('update:version', '1.0.0')
    await flushPromises()
    await body().find('[data-testid="wiz-next"]').trigger('click')
    await flushPromises()
    expect(back().attributes('disabled')).toBeUndefined() // on step 2 it goes back
    await back().trigger('click')
    await flushPromises()
    expect(back().attributes('disabled')).toBeDefined()
  })
})
