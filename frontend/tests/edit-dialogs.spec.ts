import { afterEach, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import type { Contest, Phase, Track } from '@/api/types'
import ContestEditDialog from '@/components/ContestEditDialog.vue'
import TrackEditDialog from '@/components/TrackEditDialog.vue'
import PhaseEditDialog from '@/components/PhaseEditDialog.vue'
import { changedFields } from '@/utils/changes'

const global = { plugins: [ElementPlus, i18n, createPinia()] }
const body = () => new DOMWrapper(document.body)
const box = (id: string) => body().find(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`)
const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })
const fail = (error: unknown, status: number) => ({ error, response: new Response(null, { status }) })
/** Element Plus shows a form item's error after a short debounce. */
const settle = () => new Promise((r) => setTimeout(r, 250))
const patchBody = (spy: { mock: { calls: unknown[][] } }, n = 0) => (spy.mock.calls[n][1] as { body: unknown }).body

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const contest: Contest = {
  id: 3, slug: 'mls-2026', title_zh: '马栏山杯', title_en: 'Malanshan Cup', edition: '2026', year: 2026, timezone: 'Asia/Shanghai',
  description_zh: '', description_en: 'Video', requires_team_approval: false, team_size_limit: 5, status: 'draft',
}
const track = {
  id: 8, contest_id: 3, slug: 'codec', title_zh: '视频编码', title_en: 'Video coding', description_zh: '', description_en: '',
  evaluator_key: 'video_codec_rd', evaluator_version: '1.0.0', evaluator_config: { anchors: 'x265', qps: [22, 27] },
  submission_kind: 'results', max_submission_bytes: 8 * 1024 ** 3, time_limit_seconds: 600, memory_limit_bytes: 4 * 1024 ** 3,
  sandbox_limits: {}, leaderboard: {}, requires_decoder_lock: false,
} as Track
const phase: Phase = {
  id: 21, track_id: 8, slug: 'dev', title_zh: '开发阶段', title_en: 'Development',
  starts_at: '2026-01-01T00:00:00Z', ends_at: '2026-03-01T00:00:00Z', freeze_at: '2026-02-20T00:00:00Z',
  daily_quota: 5, total_quota: 100, concurrent_quota: 2, leaderboard_visibility: 'public', submission_rule: 'best', max_selected: 2, verify_top_k: 0, published_at: null,
}

describe('changedFields', () => {
  it('keeps only what differs; dates by instant, objects by value', () => {
    const before = { a: 'x', b: 1, when: new Date('2026-01-01T00:00:00Z'), cfg: { q: [1, 2] }, gone: null as Date | null }
    expect(changedFields(before, { ...before, when: new Date('2026-01-01T00:00:00.000Z'), cfg: { q: [1, 2] } })).toEqual({})
    expect(changedFields(before, { ...before, b: 2, cfg: { q: [1] }, gone: new Date(0) })).toEqual({ b: 2, cfg: { q: [1] }, gone: new Date(0) })
  })
})

describe('ContestEditDialog', () => {
  it('is prefilled and PATCHes only the changed fields', async () => {
    i18n.global.locale.value = 'en'
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok({ ...contest, title_en: 'Malanshan Cup 2026' }) as never)
    const w = mount(ContestEditDialog, { props: { contest }, global, attachTo: document.body })
    await flushPromises()
    expect((box('edit-contest-title-zh').element as HTMLInputElement).value).toBe('马栏山杯')

    await box('edit-contest-title-en').setValue('Malanshan Cup 2026')
    await body().find('[data-testid="edit-contest-approval"] input').setValue(true)
    await body().find('[data-testid="edit-contest-save"]').trigger('click')
    await flushPromises()

    expect(patch).toHaveBeenCalledTimes(1)
    expect(patch.mock.calls[0][0]).toBe('/api/v1/contests/{contest_id}')
    expect((patch.mock.calls[0][1] as { params: unknown }).params).toEqual({ path: { contest_id: 3 } })
    expect(patchBody(patch)).toEqual({ title_en: 'Malanshan Cup 2026', requires_team_approval: true })
    expect(w.emitted('saved')).toHaveLength(1)
    expect(w.emitted('close')).toHaveLength(1)
  })

  it('sends nothing when nothing changed', async () => {
    i18n.global.locale.value = 'en'
    const patch = vi.spyOn(api, 'PATCH')
    const w = mount(ContestEditDialog, { props: { contest }, global, attachTo: document.body })
    await flushPromises()
    await body().find('[data-testid="edit-contest-save"]').trigger('click')
    await flushPromises()
    expect(patch).not.toHaveBeenCalled()
    expect(w.emitted('close')).toHaveLength(1)
  })

  it('shows a 422 on its field and stays open', async () => {
    i18n.global.locale.value = 'en'
    vi.spyOn(api, 'PATCH').mockResolvedValue(fail({ detail: [{ loc: ['body', 'edition'], msg: 'String should have at most 40 characters', type: 'string_too_long' }] }, 422) as never)
    const w = mount(ContestEditDialog, { props: { contest }, global, attachTo: document.body })
    await flushPromises()
    await box('edit-contest-edition').setValue('2026 edition')
    await body().find('[data-testid="edit-contest-save"]').trigger('click')
    await settle()
    const item = box('edit-contest-edition').element.closest('.el-form-item')!
    expect(item.textContent).toContain('at most 40 characters')
    expect(w.emitted('close')).toBeUndefined()
  })
})

/** The version select of the evaluator picker, driven as the organiser would pick. */
function pickVersion(w: ReturnType<typeof mount>, version: string): void {
  const select = w.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === 'wiz-version')
  select!.vm.$emit('update:modelValue', version)
}

describe('TrackEditDialog', () => {
  it('sends sizes in bytes and the config only when its value changed', async () => {
    i18n.global.locale.value = 'en'
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(track) as never)
    const w = mount(TrackEditDialog, { props: { track }, global, attachTo: document.body })
    await flushPromises()
    const vm = w.vm as unknown as { payload: () => unknown }
    // re-formatting the JSON is not a change
    await box('edit-track-config').setValue('{"qps":[22,27],   "anchors":"x265"}')
    expect(vm.payload()).toEqual({})

    pickVersion(w, '1.1.0')
    await flushPromises()
    await box('edit-track-max-size').setValue('1024')
    await box('edit-track-max-size').trigger('change')
    await box('edit-track-config').setValue('{"anchors": "x265", "qps": [22, 27, 32]}')
    await body().find('[data-testid="edit-track-save"]').trigger('click')
    await flushPromises()
    expect(patchBody(patch)).toEqual({
      evaluator_version: '1.1.0',
      max_submission_bytes: 1024 * 1024 * 1024,
      evaluator_config: { anchors: 'x265', qps: [22, 27, 32] },
    })
  })

  it('refuses invalid JSON before sending and shows the evaluator\'s complaint on the config', async () => {
    i18n.global.locale.value = 'en'
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(fail({ detail: [{ loc: ['body', 'evaluator_config'], msg: 'qps must be ascending', type: 'validation_message' }] }, 422) as never)
    mount(TrackEditDialog, { props: { track }, global, attachTo: document.body })
    await flushPromises()
    await box('edit-track-config').setValue('{"qps": [27,')
    await body().find('[data-testid="edit-track-save"]').trigger('click')
    await flushPromises()
    expect(patch).not.toHaveBeenCalled()

    await box('edit-track-config').setValue('{"qps": [27, 22]}')
    await body().find('[data-testid="edit-track-save"]').trigger('click')
    await settle()
    expect(patchBody(patch)).toEqual({ evaluator_config: { qps: [27, 22] } })
    expect(box('edit-track-config').element.closest('.el-form-item')!.textContent).toContain('qps must be ascending')
  })
})

describe('PhaseEditDialog', () => {
  it('sends only the changed dates and quotas; a cleared freeze is null', async () => {
    i18n.global.locale.value = 'en'
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(phase) as never)
    const w = mount(PhaseEditDialog, { props: { phase }, global, attachTo: document.body })
    await flushPromises()
    const form = (w.vm as unknown as { payload: () => Record<string, unknown> })
    expect(form.payload()).toEqual({})

    await box('edit-phase-daily').setValue('10')
    await box('edit-phase-daily').trigger('change')
    await box('phase-verify-top-k').setValue('3')
    await box('phase-verify-top-k').trigger('change')
    // the date pickers are driven through the component: what the organiser picks (the contest zone's wall clock, Shanghai here) lands in the form
    const pickers = w.findAllComponents({ name: 'ElDatePicker' })
    expect(pickers).toHaveLength(3)
    pickers[1].vm.$emit('update:modelValue', '2026-03-15 08:00:00')
    pickers[2].vm.$emit('update:modelValue', null)
    await flushPromises()
    // the new end lies in the past: the organiser is asked first
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    await body().find('[data-testid="edit-phase-save"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(String(confirm.mock.calls[0][0])).toContain('ends in the past')
    expect(patchBody(patch)).toEqual({ daily_quota: 10, verify_top_k: 3, ends_at: '2026-03-15T00:00:00.000Z', freeze_at: null })
  })

  it('puts the server\'s date complaint under the end date and warns about published results', async () => {
    i18n.global.locale.value = 'en'
    vi.spyOn(api, 'PATCH').mockResolvedValue(fail({ detail: [{ loc: ['body', 'ends_at'], msg: 'Dates are inconsistent', type: 'phase_dates' }] }, 422) as never)
    const w = mount(PhaseEditDialog, { props: { phase: { ...phase, published_at: '2026-03-02T00:00:00Z' } }, global, attachTo: document.body })
    await flushPromises()
    expect(body().text()).toContain('already published')
    await box('edit-phase-title-en').setValue('Dev')
    await body().find('[data-testid="edit-phase-save"]').trigger('click')
    await settle()
    expect(box('edit-phase-ends').element.closest('.el-form-item')!.textContent).toContain('Dates are inconsistent')
    expect(w.emitted('close')).toBeUndefined()
  })
})
