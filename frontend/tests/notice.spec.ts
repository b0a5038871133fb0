import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'

const HOUR = 3_600_000
const calls: { method: string; path: string; body?: unknown }[] = []
let notice: Record<string, unknown>

function makeNotice(endsInHours: number, answered: boolean): Record<string, unknown> {
  return {
    item_id: 5, item_code: 'JB-05', item_title_zh: '低码率人像视频', item_title_en: 'Low-bitrate portrait video',
    reward_zh: '100 万元', reward_en: 'CNY 1 million', application_id: 9, appointee_org_id: 3,
    appointee_zh: '湘江实验室', appointee_en: 'Xiangjiang Lab',
    starts_at: new Date(Date.now() - 48 * HOUR).toISOString(), ends_at: new Date(Date.now() + endsInHours * HOUR).toISOString(),
    timezone: 'Asia/Shanghai', status: 'in_notice',
    objections: [{ id: 1, filed_by: 4, text: 'Doubtful record', has_document: true, answer: answered ? 'Checked' : '', answered_at: answered ? new Date().toISOString() : null, created_at: new Date().toISOString() }],
  }
}

vi.mock('@/api/client', () => ({
  authHeaders: () => ({}),
  unwrap: (r: { data: unknown }) => r.data,
  request: vi.fn(async (method: string, path: string, body?: unknown) => {
    calls.push({ method, path, body })
    return { id: 2, recipients: 1 }
  }),
  api: {
    GET: vi.fn(async (path: string) => {
      calls.push({ method: 'GET', path })
      if (path.endsWith('/notice')) return { data: notice, response: { status: 200, ok: true } }
      if (path.endsWith('/ranking') || path.endsWith('/applications') || path === '/api/v1/organisations') return { data: [], response: { status: 200, ok: true } }
      return { data: { id: 5, code: 'JB-05', title_zh: '低码率人像视频', title_en: 'Low-bitrate portrait video', reward_zh: '100 万元', reward_en: 'CNY 1 million' }, response: { status: 200, ok: true } }
    }),
    POST: vi.fn(async (path: string) => {
      calls.push({ method: 'POST', path })
      return { data: { ...notice, status: 'final' }, response: { status: 200, ok: true } }
    }),
    PUT: vi.fn(async () => ({ data: notice, response: { status: 200, ok: true } })),
  },
}))

const { appointmentBlock, periodPhase } = await import('@/views/notice/noticeApi')
const { default: ObjectionForm } = await import('@/views/notice/ObjectionForm.vue')
const { default: NoticeDeskView } = await import('@/views/notice/NoticeDeskView.vue')
const { useAuthStore } = await import('@/stores/auth')
const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })

function plugins() {
  const pinia = createPinia()
  setActivePinia(pinia)
  return [ElementPlus, i18n, pinia, router]
}

describe('public notice rules', () => {
  it('blocks the appointment while the period runs or an objection is open', () => {
    expect(periodPhase(makeNotice(5, false) as never)).toBe('open')
    expect(appointmentBlock(makeNotice(5, true) as never)?.key).toBe('notice.blockedPeriod')
    expect(appointmentBlock(makeNotice(-1, false) as never)).toEqual({ key: 'notice.blockedObjections', values: { n: 1 } })
    expect(appointmentBlock(makeNotice(-1, true) as never)).toBeNull()
    expect(appointmentBlock({ ...makeNotice(-1, true), status: 'final' } as never)?.key).toBe('notice.alreadyFinal')
  })
})

describe('objection form', () => {
  it('after the period shows the refusal with the end in the list time zone', () => {
    i18n.global.locale.value = 'en'
    const n = { ...makeNotice(0, false), ends_at: '2026-01-09T10:00:00Z' }
    const w = mount(ObjectionForm, { props: { notice: n as never }, global: { plugins: plugins() } })
    expect(w.find('[data-testid="objection-form"]').exists()).toBe(false)
    const closed = w.find('[data-testid="objection-closed"]').text()
    expect(closed).toContain('ended on')
    expect(closed).toContain('Asia/Shanghai')
    expect(closed).toMatch(/18:00|06:00/)
  })

  it('during the period sends the text and the PDF as a form', async () => {
    i18n.global.locale.value = 'en'
    const p = plugins()
    useAuthStore().setToken('t')
    const w = mount(ObjectionForm, { props: { notice: makeNotice(24, false) as never }, global: { plugins: p } })
    await w.find('[data-testid="objection-text"]').setValue('The record is doubtful')
    const input = w.find('[data-testid="objection-file"]')
    const pdf = new File(['%PDF-1.4'], 'evidence.pdf', { type: 'application/pdf' })
    Object.defineProperty(input.element, 'files', { value: [pdf] })
    await input.trigger('change')
    await w.find('[data-testid="objection-form"]').trigger('submit')
    await flushPromises()
    const sent = calls.find((c) => c.path === '/challenge-items/5/notice/objections')
    expect(sent?.method).toBe('POST')
    const form = sent?.body as FormData
    expect(form.get('text')).toBe('The record is doubtful')
    expect((form.get('document') as File).name).toBe('evidence.pdf')
    expect(w.emitted('filed')).toHaveLength(1)
  })
})

describe('organiser desk', () => {
  it('disables the appointment with the reason, then makes it final after a confirmation', async () => {
    i18n.global.locale.value = 'en'
    notice = makeNotice(24, true)
    const w = mount(NoticeDeskView, { props: { id: '5' }, global: { plugins: plugins() } })
    await flushPromises()
    expect(w.find('[data-testid="appoint"]').attributes('disabled')).toBeDefined()
    expect(w.find('[data-testid="appoint-blocked"]').text()).toContain('runs until')
    w.unmount()

    notice = makeNotice(-1, true)
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const v = mount(NoticeDeskView, { props: { id: '5' }, global: { plugins: plugins() } })
    await flushPromises()
    expect(v.find('[data-testid="appoint-blocked"]').exists()).toBe(false)
    await v.find('[data-testid="appoint"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledOnce()
    expect(String(confirm.mock.calls[0][0])).toContain('Xiangjiang Lab')
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/challenge-items/{item_id}/appointment')).toBe(true)
    expect(v.find('[data-testid="desk-state"]').text()).toBe('Appointed (final)')
  })
})
