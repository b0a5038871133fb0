import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import RuntimeState from '@/views/organiser/track-wizard/RuntimeState.vue'

const global = { plugins: [ElementPlus, i18n, createPinia()] }
const json = (data: unknown) => new Response(JSON.stringify(data), { status: 200, headers: { 'Content-Type': 'application/json' } })

afterEach(() => vi.restoreAllMocks())

describe('RuntimeState on remote workers', () => {
  it('reads ready when one worker built it, and lists what each worker said', async () => {
    i18n.global.locale.value = 'zh-CN'
    const state = {
      kind: 'python', status: 'ready', message: '', message_zh: '', elapsed_seconds: null, log_tail: '',
      workers: [
        { worker: 'gpu-box-1', status: 'ready', updated_at: '2026-12-02T14:00:00Z' },
        { worker: 'gpu-box-2', status: 'failed', updated_at: '2026-12-02T13:59:00Z' },
      ],
    }
    vi.spyOn(globalThis, 'fetch').mockImplementation((async () => json(state)) as never)
    const w = mount(RuntimeState, { props: { programKey: 'aigc_auc', version: '1' }, global })
    await flushPromises()
    expect(w.find('[data-testid="runtime-status"]').text()).toBe('已就绪')
    const entries = w.findAll('[data-testid="runtime-workers"] .worker').map((e) => e.text())
    expect(entries).toEqual(['gpu-box-1：已就绪', 'gpu-box-2：构建失败'])
    expect(w.find('[data-testid="runtime-build"]').exists()).toBe(false)
    w.unmount()
  })
})
