import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import RuntimeState from '@/views/organiser/track-wizard/RuntimeState.vue'

const global = { plugins: [ElementPlus, i18n, createPinia()] }
const json = (data: unknown) => new Response(JSON.stringify(data), { status: 200, headers: { 'Content-Type': 'application/json' } })
const base = { kind: 'python', status: 'ready', message: '', message_zh: '', elapsed_seconds: null, log_tail: '', workers: [], exclude_newer: '2026-12-02T15:20:00Z' }

afterEach(() => vi.restoreAllMocks())

async function shown(state: unknown, locale: 'en' | 'zh-CN') {
  i18n.global.locale.value = locale
  vi.spyOn(globalThis, 'fetch').mockImplementation((async () => json(state)) as never)
  const w = mount(RuntimeState, { props: { programKey: 'aigc_auc', version: '1' }, global })
  await flushPromises()
  return w
}

describe('RuntimeState: the resolved set of a python runtime', () => {
  it('counts the packages, collapsed, and lists them when opened', async () => {
    const resolved = ['joblib==1.5.2', 'numpy==2.2.6', 'scikit-learn==1.6.1', 'scipy==1.17.1', 'threadpoolctl==3.6.0']
    const w = await shown({ ...base, resolved }, 'en')
    expect(w.find('[data-testid="runtime-resolved-count"]').text()).toBe('5 packages resolved')
    expect(w.find('[data-testid="runtime-resolved"]').text()).toContain('index as of 2026-12-02T15:20:00Z')
    expect(w.find('.el-collapse-item').classes()).not.toContain('is-active')
    await w.find('.el-collapse-item__header').trigger('click')
    expect(w.find('.el-collapse-item').classes()).toContain('is-active')
    expect(w.findAll('[data-testid="runtime-resolved-list"] li').map((li) => li.text())).toEqual(resolved)
    w.unmount()
  })

  it('reads in Chinese, and in the singular for one package', async () => {
    const zh = await shown({ ...base, resolved: Array.from({ length: 12 }, (_, i) => `p${i}==1.0`) }, 'zh-CN')
    expect(zh.find('[data-testid="runtime-resolved-count"]').text()).toBe('已解析 12 个软件包')
    zh.unmount()
    vi.restoreAllMocks()
    const one = await shown({ ...base, resolved: ['numpy==2.2.6'] }, 'en')
    expect(one.find('[data-testid="runtime-resolved-count"]').text()).toBe('1 package resolved')
    one.unmount()
  })

  it('shows only the moment when the resolved set is not known here', async () => {
    const w = await shown({ ...base, resolved: [] }, 'en')
    expect(w.find('[data-testid="runtime-resolved"]').exists()).toBe(false)
    expect(w.find('[data-testid="runtime-as-of"]').text()).toBe('index as of 2026-12-02T15:20:00Z (UTC)')
    w.unmount()
  })
})
