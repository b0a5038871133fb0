import { afterEach, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import type { Phase, Track } from '@/api/types'
import TrackEditDialog from '@/components/TrackEditDialog.vue'
import PhaseEditDialog from '@/components/PhaseEditDialog.vue'
import RuntimeState from '@/views/organiser/track-wizard/RuntimeState.vue'
import { boardColumns, leaderboardFrom } from '@/views/organiser/track-wizard/columns'
import { overlapping } from '@/utils/phaseDates'

vi.setConfig({ testTimeout: 30_000 }) // the dialogs are large; the shared machine is slow
const global = { plugins: [ElementPlus, i18n, createPinia()] }
const body = () => new DOMWrapper(document.body)
const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })
const json = (data: unknown, status = 200) => new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } })
const patchBody = (spy: { mock: { calls: unknown[][] } }) => (spy.mock.calls[0][1] as { body: Record<string, unknown> }).body

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const metric = (key: string) => ({ key, label_zh: key.toUpperCase(), label_en: key.toUpperCase(), direction: 'higher', precision: 4 })
const program = (key: string, version: string, spec: Record<string, unknown>) => ({
  id: 1, key, version, revision: 1, kind: 'command', sha256: `${key}${version}`.padEnd(64, '0'), size: 10, spec, manifest: {},
  runtime: { kind: 'python', version: '3.11' }, gpus: 0, builtin: false, created_at: '2026-12-01T00:00:00Z',
})
const auc = { metrics: [metric('auc'), metric('f1')], primary_metric: 'auc', config_schema: { type: 'object', properties: { threshold: { type: 'number', title: 'Threshold', default: 0.5 } } } }
const count = { metrics: [metric('n')], config_schema: { type: 'object', properties: { min_rows: { type: 'integer', title: 'Min rows', default: 3 } } } }
const versions: Record<string, unknown[]> = { aigc_auc: [program('aigc_auc', '1', auc), program('aigc_auc', '2', auc)], line_count: [program('line_count', '1', count)] }
const track = {
  id: 8, contest_id: 3, slug: 'aigc', title_zh: '检测', title_en: 'Detection', description_zh: '', description_en: '',
  evaluator_key: 'aigc_auc', evaluator_version: '2', evaluator_config: { threshold: 0.5 },
  submission_kind: 'results', max_submission_bytes: 1024 ** 3, time_limit_seconds: 600, memory_limit_bytes: 4 * 1024 ** 3,
  sandbox_limits: {}, leaderboard: { columns: [{ key: 'auc', label_zh: 'AUC', label_en: 'ROC-AUC', direction: 'higher', precision: 4 }], primary: 'auc' }, requires_decoder_lock: false,
} as Track

function mockPrograms(): void {
  vi.spyOn(api, 'GET').mockImplementation((async (path: string, init?: { params?: { path?: { key?: string } } }) => {
    if (path === '/api/v1/scoring-programs') return ok([versions.aigc_auc[1], versions.line_count[0]])
    return ok(versions[init?.params?.path?.key ?? ''] ?? [])
  }) as never)
  vi.spyOn(globalThis, 'fetch').mockImplementation((async () => json({ kind: 'python', status: 'ready', message: '', message_zh: '', elapsed_seconds: null, log_tail: '' })) as never)
}
function select(w: ReturnType<typeof mount>, testid: string, value: string): void {
  w.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === testid)!.vm.$emit('update:modelValue', value)
}

describe('TrackEditDialog as the wizard', () => {
  it("is titled by the track's title with its slug, and names the program's kind and runtime in words", async () => {
    mockPrograms()
    i18n.global.locale.value = 'zh-CN'
    mount(TrackEditDialog, { props: { track }, global, attachTo: document.body })
    await flushPromises()
    expect(body().find('.el-dialog__title').text()).toBe('编辑赛道 检测（aigc）')
    expect(body().find('[data-testid="wiz-program-kind"]').text()).toBe('评分命令（scorer.yaml）')
    expect(body().find('[data-testid="wiz-program-runtime"]').text()).toBe('Python 环境 3.11')
    i18n.global.locale.value = 'en'
    await flushPromises()
    expect(body().find('.el-dialog__title').text()).toBe('Edit track Detection (aigc)')
    expect(body().find('[data-testid="wiz-program-kind"]').text()).toBe('Scoring command (scorer.yaml)')
    expect(body().find('[data-testid="wiz-program-runtime"]').text()).toBe('Python environment 3.11')
  })

  it('edits the config through the schema form and the columns through the editor, both written to the JSON', async () => {
    i18n.global.locale.value = 'en'
    mockPrograms()
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(track) as never)
    const w = mount(TrackEditDialog, { props: { track }, global, attachTo: document.body })
    await flushPromises()
    const vm = w.vm as unknown as { payload: () => Record<string, unknown> }
    expect(vm.payload()).toEqual({}) // loading the program changes nothing
    expect(body().find('[data-testid="wiz-program"]').text()).toContain('auc, f1')
    expect(body().find('[data-testid="runtime-status"]').text()).toBe('ready')

    const threshold = body().find('[data-testid="cfg-threshold"] input')
    await threshold.setValue('0.7')
    await threshold.trigger('change')
    expect(JSON.parse((body().find('textarea[data-testid="edit-track-config"]').element as HTMLTextAreaElement).value)).toEqual({ threshold: 0.7 })

    // the saved column first, f1 offered but not shown; show it and make it primary
    await body().find('[data-testid="col-f1-shown"] input').setValue(true)
    await body().find('[data-testid="col-f1-primary"] input').setValue(true)
    await body().find('[data-testid="edit-track-save"]').trigger('click')
    await flushPromises()
    expect(patchBody(patch)).toEqual({
      evaluator_config: { threshold: 0.7 },
      leaderboard: { columns: [{ key: 'auc', label_zh: 'AUC', label_en: 'ROC-AUC', direction: 'higher', precision: 4 }, { key: 'f1', label_zh: 'F1', label_en: 'F1', direction: 'higher', precision: 4 }], primary: 'f1' },
    })
  })

  it('switches to another evaluator with its own defaults and metrics, and shows a refusal on the evaluator tab', async () => {
    i18n.global.locale.value = 'en'
    mockPrograms()
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue({ error: { detail: 'The evaluator cannot change once the track has submissions (2)', code: 'evaluator_in_use' }, response: new Response(null, { status: 409 }) } as never)
    const w = mount(TrackEditDialog, { props: { track }, global, attachTo: document.body })
    await flushPromises()
    select(w, 'wiz-evaluator', 'line_count')
    await flushPromises()
    const vm = w.vm as unknown as { payload: () => Record<string, unknown> }
    expect(vm.payload()).toEqual({
      evaluator_key: 'line_count', evaluator_version: '1', evaluator_config: { min_rows: 3 },
      leaderboard: { columns: [{ key: 'n', label_zh: 'N', label_en: 'N', direction: 'higher', precision: 4 }], primary: 'n' },
    })
    await body().find('[data-testid="edit-track-save"]').trigger('click')
    await flushPromises()
    expect(patch).toHaveBeenCalledTimes(1)
    expect(body().text()).toContain('cannot change once the track has submissions')
    expect(w.emitted('close')).toBeUndefined()
  })
})

const phase = (id: number, slug: string, starts: string, ends: string): Phase => ({
  id, track_id: 8, slug, title_zh: slug, title_en: slug.toUpperCase(), starts_at: starts, ends_at: ends, freeze_at: null,
  daily_quota: 5, total_quota: 100, concurrent_quota: 2, leaderboard_visibility: 'public', submission_rule: 'best', max_selected: 2, verify_top_k: 0, published_at: null,
}) as Phase

describe('PhaseEditDialog', () => {
  const dev = phase(21, 'dev', '2027-01-01T00:00:00Z', '2027-03-01T00:00:00Z')
  const final = phase(22, 'final', '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z')

  it('asks before saving dates that overlap another phase, and sends nothing when declined', async () => {
    i18n.global.locale.value = 'en'
    vi.spyOn(globalThis, 'fetch').mockImplementation((async () => json({ public: ['a'], private: ['b'] })) as never)
    const patch = vi.spyOn(api, 'PATCH').mockResolvedValue(ok(dev) as never)
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel').mockResolvedValueOnce('confirm' as never)
    const w = mount(PhaseEditDialog, { props: { phase: dev, siblings: [dev, final] }, global, attachTo: document.body })
    await flushPromises()
    w.findAllComponents({ name: 'ElDatePicker' })[1].vm.$emit('update:modelValue', '2027-03-10 08:00:00') // Shanghai's wall clock
    await flushPromises()
    await body().find('[data-testid="edit-phase-save"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(String(confirm.mock.calls[0][0])).toContain('overlaps FINAL (final)')
    expect(patch).not.toHaveBeenCalled()
    expect(w.emitted('close')).toBeUndefined()

    await body().find('[data-testid="edit-phase-save"]').trigger('click')
    await flushPromises()
    expect(patchBody(patch)).toEqual({ ends_at: '2027-03-10T00:00:00.000Z' })
  })

  it('loads the split and sends it when an item changes side', async () => {
    i18n.global.locale.value = 'en'
    vi.spyOn(globalThis, 'fetch').mockImplementation((async () => json({ public: ['a', 'b'], private: ['c'] })) as never)
    const w = mount(PhaseEditDialog, { props: { phase: dev, siblings: [dev, final] }, global, attachTo: document.body })
    await flushPromises()
    const vm = w.vm as unknown as { payload: () => Record<string, unknown> }
    expect(vm.payload()).toEqual({})
    expect(body().find('[data-testid="split-counts"]').text()).toContain('3 items: 2 public, 1 private')
    await body().find('[data-testid="split-b-private"] input').setValue(true)
    await flushPromises()
    expect(vm.payload()).toEqual({ public_item_ids: ['a'], private_item_ids: ['c', 'b'] })
    expect(body().text()).toContain('re-score existing submissions')
  })
})

describe('phase overlap and board columns', () => {
  it('finds overlaps; touching ends do not overlap; the phase itself is skipped', () => {
    const a = { id: 1, starts_at: '2027-01-01T00:00:00Z', ends_at: '2027-02-01T00:00:00Z' }
    const b = { id: 2, starts_at: '2027-02-01T00:00:00Z', ends_at: '2027-03-01T00:00:00Z' }
    const c = { id: 3, starts_at: '2027-01-15T00:00:00Z', ends_at: '2027-02-15T00:00:00Z' }
    expect(overlapping(a, [a, b])).toEqual([])
    expect(overlapping(c, [a, b, c]).map((o) => o.id)).toEqual([1, 2])
    expect(overlapping({ starts_at: new Date('2027-02-20T00:00:00Z'), ends_at: new Date('2027-04-01T00:00:00Z') }, [a, b, c]).map((o) => o.id)).toEqual([2])
  })
  it('keeps saved columns first with their labels and other settings in the leaderboard', () => {
    const metrics = [metric('auc'), metric('f1')] as Parameters<typeof boardColumns>[0]
    const [rows, primary] = boardColumns(metrics, { columns: [{ key: 'f1', label_en: 'F-score' }], primary: 'f1' })
    expect(rows.map((r) => [r.key, r.label_en, r.shown])).toEqual([['f1', 'F-score', true], ['auc', 'AUC', false]])
    expect(primary).toBe('f1')
    expect(leaderboardFrom({ hidden_columns: ['x'] }, rows, 'auc')).toEqual({
      hidden_columns: ['x'], primary: 'auc',
      columns: [{ key: 'f1', label_zh: 'F1', label_en: 'F-score', direction: 'higher', precision: 4 }, { key: 'auc', label_zh: 'AUC', label_en: 'AUC', direction: 'higher', precision: 4 }],
    })
    expect(boardColumns(metrics, {})[0].every((r) => r.shown)).toBe(true)
  })
})

describe('RuntimeState', () => {
  it('shows a build in progress with its log, polls, then shows ready', async () => {
    i18n.global.locale.value = 'en'
    const building = { kind: 'python', status: 'building', message: '', message_zh: '', elapsed_seconds: 12.4, log_tail: 'Resolved 3 packages in 40ms' }
    const ready = { ...building, status: 'ready', elapsed_seconds: null, log_tail: '' }
    const fetch = vi.spyOn(globalThis, 'fetch').mockImplementationOnce((async () => json(building)) as never).mockImplementation((async () => json(ready)) as never)
    const w = mount(RuntimeState, { props: { programKey: 'aigc_auc', version: '1', pollMs: 400 }, global })
    await flushPromises()
    expect(w.find('[data-testid="runtime-status"]').text()).toBe('building… 12 s')
    expect(w.find('[data-testid="runtime-log"]').text()).toContain('Resolved 3 packages')
    await new Promise((r) => setTimeout(r, 900))
    await flushPromises()
    expect(w.find('[data-testid="runtime-status"]').text()).toBe('ready')
    expect(fetch.mock.calls[0][0]).toBe('/api/v1/scoring-programs/aigc_auc/versions/1/runtime')
  })
  it('shows why a build failed and builds again on request', async () => {
    i18n.global.locale.value = 'zh-CN'
    const failed = { kind: 'python', status: 'failed', message: 'x has no wheel', message_zh: 'x 没有适用的 wheel', elapsed_seconds: null, log_tail: '' }
    const fetch = vi.spyOn(globalThis, 'fetch').mockImplementation((async (_url: string, init?: RequestInit) => json(init?.method === 'POST' ? { ...failed, status: 'building', elapsed_seconds: 0 } : failed, init?.method === 'POST' ? 202 : 200)) as never)
    const w = mount(RuntimeState, { props: { programKey: 'aigc_auc', version: '1', pollMs: 5000 }, global })
    await flushPromises()
    expect(w.find('[data-testid="runtime-failure"]').text()).toBe('x 没有适用的 wheel')
    await w.find('[data-testid="runtime-build"]').trigger('click')
    await flushPromises()
    expect(fetch.mock.calls.some(([url, init]) => String(url).endsWith('/runtime/build') && (init as RequestInit).method === 'POST')).toBe(true)
    w.unmount()
  })
})
