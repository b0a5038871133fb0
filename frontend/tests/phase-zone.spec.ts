/** Phase dates are typed as the wall clock of the contest's zone: an organiser in London editing an
 * Asia/Shanghai contest types 17:00 and 09:00Z is sent, in the new-phase dialog, the phase edit dialog
 * and the track wizard; the contest page lists phase dates in the contest's zone, named. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import type { Contest, Phase, Track } from '@/api/types'
import PhaseEditDialog from '@/components/PhaseEditDialog.vue'
import ContestEditView from '@/views/admin/ContestEditView.vue'
import TrackWizardView from '@/views/organiser/track-wizard/TrackWizardView.vue'
import EvaluatorPicker from '@/views/organiser/track-wizard/EvaluatorPicker.vue'

const stub = { template: '<div />' }
const router = createRouter({
  history: createMemoryHistory(),
  routes: [{ path: '/admin/contests/:id', name: 'admin-contest', component: stub }, { path: '/admin/contests/:id/wizard', name: 'track-wizard', component: stub }, { path: '/:p(.*)*', component: stub }],
})
const global = { plugins: [ElementPlus, i18n, createPinia(), router] }
const body = () => new DOMWrapper(document.body)
const box = (id: string) => body().find(`input[data-testid="${id}"], [data-testid="${id}"] input`)
const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })
const sent = (spy: { mock: { calls: unknown[][] } }, n = 0) => (spy.mock.calls[n][1] as { body: Record<string, unknown> }).body

const contest = {
  id: 3, slug: 'mls-2027', title_zh: '马栏山杯', title_en: 'Malanshan Cup', edition: '2027', year: 2027, timezone: 'Asia/Shanghai',
  description_zh: '', description_en: '', requires_team_approval: false, team_size_limit: 5, status: 'draft',
} as Contest
const track = { id: 8, contest_id: 3, slug: 'codec', title_zh: '视频编码', title_en: 'Video coding', evaluator_key: 'video_codec_rd', evaluator_version: '1.0.0' } as Track
const phase = (id: number, slug: string, starts: string, ends: string): Phase => ({
  id, track_id: 8, slug, title_zh: slug, title_en: slug.toUpperCase(), starts_at: starts, ends_at: ends, freeze_at: null,
  daily_quota: 5, total_quota: 100, concurrent_quota: 2, leaderboard_visibility: 'public', submission_rule: 'best', max_selected: 2, verify_top_k: 0,
  published_at: null, timezone: 'Asia/Shanghai',
}) as Phase
// the Shanghai phase 'dev' runs 1–10 March 2027, Shanghai time; 'final' starts 17:00 on the 10th, Shanghai time (09:00Z)
const dev = phase(21, 'dev', '2027-02-28T16:00:00Z', '2027-03-10T01:00:00Z')
const final = phase(22, 'final', '2027-03-10T09:00:00Z', '2027-04-01T00:00:00Z')

/** Type a wall clock into a zoned picker as an organiser does: the text, then Enter. */
async function type(id: string, wall: string): Promise<void> {
  const input = box(id)
  await input.setValue(wall)
  await input.trigger('keydown', { key: 'Enter', code: 'Enter' })
  await input.trigger('change')
  await flushPromises()
}

beforeAll(() => {
  process.env.TZ = 'Europe/London' // the organiser's computer
})

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

function mockReads(): void {
  vi.spyOn(globalThis, 'fetch').mockImplementation((async () => new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } })) as never)
  vi.spyOn(api, 'GET').mockImplementation(((path: string) => Promise.resolve(ok(
    path === '/api/v1/contests/{contest_id}' ? contest
      : path === '/api/v1/contests/{contest_id}/tracks' ? [track]
        : path === '/api/v1/tracks/{track_id}/phases' ? [dev, final] : [],
  ))) as never)
}

describe('PhaseEditDialog', () => {
  it("reads typed dates as the contest zone's wall clock, not the computer's", async () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('Europe/London')
    i18n.global.locale.value = 'zh-CN'
    mockReads()
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(dev) as never)
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    mount(PhaseEditDialog, { props: { phase: dev, siblings: [dev, final], timeZone: 'Asia/Shanghai' }, global, attachTo: document.body })
    await flushPromises()
    expect((box('edit-phase-starts').element as HTMLInputElement).value).toBe('2027-03-01 00:00') // to the minute
    expect((box('edit-phase-ends').element as HTMLInputElement).value).toBe('2027-03-10 09:00')
    await type('edit-phase-ends', '2027-03-10 17:00:00')
    await type('edit-phase-freeze', '2027-03-09 20:00:00')
    expect(body().find('[data-testid="edit-phase-ends-zone"]').text()).toBe('Asia/Shanghai 时间（UTC+08:00）')
    expect(body().find('[data-testid="edit-phase-ends-own"]').text()).toBe('本机时间（Europe/London）：2027-03-10 09:00')
    await body().find('[data-testid="edit-phase-save"]').trigger('click')
    await flushPromises()
    // 17:00 in Shanghai is 09:00Z, when 'final' starts: touching, not overlapping, so nothing is asked
    expect(confirm).not.toHaveBeenCalled()
    expect(sent(patch)).toEqual({ ends_at: '2027-03-10T09:00:00.000Z', freeze_at: '2027-03-09T12:00:00.000Z' })
  })

  it('asks about an overlap by instant and names the dates in the contest zone', async () => {
    i18n.global.locale.value = 'en'
    mockReads()
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(dev) as never)
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    mount(PhaseEditDialog, { props: { phase: dev, siblings: [dev, final], timeZone: 'Asia/Shanghai' }, global, attachTo: document.body })
    await flushPromises()
    await type('edit-phase-ends', '2027-03-10 17:01:00')
    await body().find('[data-testid="edit-phase-save"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledTimes(1)
    const message = String(confirm.mock.calls[0][0])
    expect(message).toContain('overlaps FINAL (final)')
    expect(message).toContain('03/10/2027, 05:01 PM (Asia/Shanghai)')
    expect(sent(patch)).toEqual({ ends_at: '2027-03-10T09:01:00.000Z' })
  })
})

describe('the contest page', () => {
  it('lists phase dates in the contest zone and creates a phase from dates typed in it', async () => {
    i18n.global.locale.value = 'zh-CN'
    mockReads()
    const post = vi.spyOn(api, 'POST').mockResolvedValue(ok(phase(23, 'extra', '2027-04-01T01:00:00Z', '2027-04-10T09:00:00Z')) as never)
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    mount(ContestEditView, { props: { id: '3' }, global, attachTo: document.body })
    await flushPromises()
    expect(body().find('[data-testid="phase-dates-final"]').text()).toMatch(/^2027\/03\/10 17:00 – 2027\/04\/01 08:00 \(Asia\/Shanghai\)$/)

    await body().find('[data-testid="new-phase-codec"]').trigger('click')
    await flushPromises()
    await box('phase-slug').setValue('extra')
    await box('phase-title-zh').setValue('加赛')
    await box('phase-title-en').setValue('Extra')
    await type('phase-starts', '2027-04-01 09:00:00')
    await type('phase-ends', '2027-04-10 17:00:00')
    expect(body().find('[data-testid="phase-ends-zone"]').text()).toBe('Asia/Shanghai 时间（UTC+08:00）')
    expect(body().find('[data-testid="phase-ends-own"]').text()).toBe('本机时间（Europe/London）：2027-04-10 10:00')
    await body().find('[data-testid="phase-create"]').trigger('click')
    await flushPromises()
    // 'final' ends at 08:00 Shanghai on 1 April (00:00Z), before 09:00 Shanghai: no overlap to ask about
    expect(confirm).not.toHaveBeenCalled()
    expect(post).toHaveBeenCalledTimes(1)
    expect(sent(post)).toMatchObject({ slug: 'extra', starts_at: '2027-04-01T01:00:00.000Z', ends_at: '2027-04-10T09:00:00.000Z' })
  })
})

describe('the track wizard', () => {
  it("types the phase's dates in the contest zone", async () => {
    i18n.global.locale.value = 'zh-CN'
    mockReads()
    const post = vi.spyOn(api, 'POST').mockImplementation(((path: string) => Promise.resolve(ok(path.endsWith('/tracks') ? track : dev))) as never)
    const w = mount(TrackWizardView, { props: { id: '3' }, global, attachTo: document.body })
    await flushPromises()
    const picker = w.findComponent(EvaluatorPicker)
    picker.vm.$emit('update:programKey', 'video_codec_rd')
    picker.vm.$emit('update:version', '1.0.0')
    await box('wiz-slug').setValue('codec')
    await box('wiz-title-zh').setValue('视频编码')
    await box('wiz-title-en').setValue('Video coding')
    for (let i = 0; i < 3; i++) {
      await body().find('[data-testid="wiz-next"]').trigger('click')
      await flushPromises()
    }
    await type('wiz-starts-at', '2027-03-01 09:00:00')
    await type('wiz-ends-at', '2027-03-10 17:00:00')
    expect(body().find('[data-testid="wiz-ends-at-zone"]').text()).toBe('Asia/Shanghai 时间（UTC+08:00）')
    expect(body().find('[data-testid="wiz-ends-at-own"]').text()).toBe('本机时间（Europe/London）：2027-03-10 09:00')
    await body().find('[data-testid="wiz-create"]').trigger('click')
    await flushPromises()
    expect(post).toHaveBeenCalledTimes(2)
    expect(sent(post, 1)).toMatchObject({ starts_at: '2027-03-01T01:00:00.000Z', ends_at: '2027-03-10T09:00:00.000Z' })
  })
})
