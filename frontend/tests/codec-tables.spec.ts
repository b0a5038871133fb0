import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import CodecSequenceTable from '@/components/codec/CodecSequenceTable.vue'
import CodecClassTable from '@/components/codec/CodecClassTable.vue'
import LadderNote from '@/components/track/LadderNote.vue'
import SubmissionDetail from '@/components/SubmissionDetail.vue'
import { codecColumns, formatCodecValue, gainOrLoss, qualityName, type CodecResults } from '@/utils/codec'

const plugins = [ElementPlus, i18n, createPinia()]

/** el-table renders its body rows a few ticks after mounting. */
async function settled<T extends { vm: unknown }>(w: T): Promise<T> {
  await flushPromises()
  await nextTick()
  await nextTick()
  return w
}

const results: CodecResults = {
  bd_metric: 'psnr_yuv',
  vmaf_model: 'vmaf_v0.6.1neg',
  anchors: [
    { number: 1, file: 'anchor.json', encoder: 'libx265' },
    { number: 2, file: 'anchor_svtav1.json', encoder: 'libsvtav1' },
  ],
  columns: ['bd_rate', 'bd_rate_anchor2', 'bd_rate_vmaf', 'bd_rate_vmaf_anchor2', 'bd_quality', 'dec_time_ratio', 'dec_wall_s'],
  sequences: [
    { sequence: 'seqA', sequence_class: 'A', split: 'public', metrics: { bd_rate: -4.25, bd_rate_anchor2: 1.5, bd_rate_vmaf: -6, bd_rate_vmaf_anchor2: -5, bd_quality: 0.21, dec_time_ratio: 1.8, dec_wall_s: 0.4321 }, rate_points: [] },
    { sequence: 'seqB', sequence_class: 'B', split: 'private', metrics: { bd_rate: 2, bd_rate_anchor2: 0, bd_quality: -0.1 }, rate_points: [] },
  ],
  classes: [
    { sequence_class: 'A', sequences: ['seqA'], metrics: { bd_rate: -4.25, bd_rate_vmaf: -6 } },
    { sequence_class: 'B', sequences: ['seqB', 'seqC'], metrics: { bd_rate: 2 } },
  ],
}

describe('codec columns', () => {
  it('reads metric and anchor from each key', () => {
    const cols = codecColumns(results)
    expect(cols.map((c) => [c.key, c.kind, c.metric, c.anchor?.encoder])).toEqual([
      ['bd_rate', 'bd_rate', 'psnr_yuv', 'libx265'],
      ['bd_rate_anchor2', 'bd_rate', 'psnr_yuv', 'libsvtav1'],
      ['bd_rate_vmaf', 'bd_rate', 'vmaf', 'libx265'],
      ['bd_rate_vmaf_anchor2', 'bd_rate', 'vmaf', 'libsvtav1'],
      ['bd_quality', 'bd_quality', 'psnr_yuv', 'libx265'],
      ['dec_time_ratio', 'ratio', undefined, undefined],
      ['dec_wall_s', 'time', undefined, undefined],
    ])
  })
  it('names VMAF NEG and formats with signs and units', () => {
    expect(qualityName('vmaf', 'vmaf_v0.6.1neg')).toBe('VMAF NEG')
    expect(qualityName('vmaf', 'vmaf_v0.6.1')).toBe('VMAF')
    const [bd, , , , quality, ratio, wall] = codecColumns(results)
    expect(formatCodecValue(bd, -4.254)).toBe('−4.25 %')
    expect(formatCodecValue(bd, 1.5)).toBe('+1.50 %')
    expect(formatCodecValue(bd, null)).toBe('—')
    expect(formatCodecValue(ratio, 1.8)).toBe('1.80×')
    expect(formatCodecValue(wall, 0.4321)).toBe('0.432 s')
    expect([gainOrLoss(bd, -1), gainOrLoss(bd, 1), gainOrLoss(bd, 0)]).toEqual(['gain', 'loss', ''])
    expect([gainOrLoss(quality, 0.2), gainOrLoss(quality, -0.2), gainOrLoss(ratio, 3)]).toEqual(['gain', 'loss', ''])
  })
})

describe('CodecSequenceTable', () => {
  it('shows one row per sequence with both anchors, VMAF NEG and decoding time, gains and losses coloured', async () => {
    i18n.global.locale.value = 'en'
    const w = await settled(mount(CodecSequenceTable, { props: { results, showSplit: true }, global: { plugins } }))
    const text = w.text()
    expect(text).toContain('BD-rate PSNR-YUV vs anchor 1 (libx265)')
    expect(text).toContain('BD-rate PSNR-YUV vs anchor 2 (libsvtav1)')
    expect(text).toContain('BD-rate VMAF NEG vs anchor 1 (libx265)')
    expect(text).toContain('Decoding time (wall)')
    expect(text).toContain('Private')
    const gain = w.find('[data-testid="codec-cell-seqA-bd_rate"]')
    expect(gain.text()).toBe('−4.25 %')
    expect(gain.classes()).toContain('codec-gain')
    const loss = w.find('[data-testid="codec-cell-seqA-bd_rate_anchor2"]')
    expect(loss.text()).toBe('+1.50 %')
    expect(loss.classes()).toContain('codec-loss')
    expect(w.find('[data-testid="codec-cell-seqB-bd_rate_anchor2"]').classes()).toContain('codec-neutral')
    expect(w.find('[data-testid="codec-cell-seqB-bd_rate_vmaf"]').text()).toBe('—')
    expect(w.find('[data-testid="codec-cell-seqA-dec_wall_s"]').text()).toBe('0.432 s')
  })
  it('numbers an anchor whose encoder is not named', async () => {
    i18n.global.locale.value = 'en'
    const plain = { ...results, anchors: [{ number: 1, file: 'anchor.json', encoder: 'organiser' }], columns: ['bd_rate'] }
    const w = await settled(mount(CodecSequenceTable, { props: { results: plain }, global: { plugins } }))
    expect(w.text()).toContain('BD-rate PSNR-YUV vs anchor 1')
    expect(w.text()).not.toContain('organiser')
  })
  it('hides the split column for teams and speaks Chinese', async () => {
    i18n.global.locale.value = 'zh-CN'
    const w = await settled(mount(CodecSequenceTable, { props: { results }, global: { plugins } }))
    expect(w.text()).toContain('BD-rate VMAF NEG，对照锚点 2（libsvtav1）')
    expect(w.text()).toContain('类别')
    expect(w.text()).not.toContain('数据集')
    i18n.global.locale.value = 'en'
  })
})

describe('CodecClassTable', () => {
  it('shows each class with its sequence count and mean BD-rates', async () => {
    i18n.global.locale.value = 'en'
    const w = await settled(mount(CodecClassTable, { props: { results }, global: { plugins } }))
    expect(w.text()).toContain('2 sequences')
    const a = w.find('[data-testid="codec-class-A-bd_rate_vmaf"]')
    expect(a.text()).toBe('−6.00 %')
    expect(a.classes()).toContain('codec-gain')
    expect(w.find('[data-testid="codec-class-B-bd_rate"]').classes()).toContain('codec-loss')
  })
})

describe('LadderNote', () => {
  it('says what Ladder mode does and shows the threshold, in both languages', () => {
    i18n.global.locale.value = 'en'
    const w = mount(LadderNote, { props: { threshold: 0.5, slug: 'dev' }, global: { plugins } })
    expect(w.find('[data-testid="ladder-dev"]').exists()).toBe(true)
    expect(w.find('[data-testid="ladder-threshold"]').text()).toBe('threshold 0.5')
    expect(w.text()).toContain('only when it beats the score shown by more than 0.5')
    expect(w.text()).toContain('rounded to a multiple of 0.5')
    i18n.global.locale.value = 'zh-CN'
    const zh = mount(LadderNote, { props: { threshold: 0.5 }, global: { plugins } })
    expect(zh.text()).toContain('阈值 0.5')
    expect(zh.text()).toContain('好出 0.5 以上')
    i18n.global.locale.value = 'en'
  })
})

describe('SubmissionDetail scores', () => {
  it('lists only the metrics the score reports, not every metric the evaluator declares', () => {
    i18n.global.locale.value = 'en'
    const metric = (key: string, label: string) => ({ key, label_zh: label, label_en: label, direction: 'lower', unit: '%', formula_zh: '', formula_en: '', precision: 2 })
    const submission = {
      id: 7, phase_id: 1, team_id: 2, status: 'scored', filename: 'r.tar', description: '', size: 10,
      sha256: 'ab', charged: true, refunded: false, failure_category: null, failure_message: null,
      selected: false, created_at: '2026-11-26T10:00:00Z', queued_at: null, finished_at: null,
      scores: { bd_rate: -2.5 }, warnings: [], history: [],
    }
    const metrics = [metric('bd_rate', 'BD-rate'), metric('bd_rate_vmaf_anchor3', 'BD-rate (VMAF, anchor 3)')]
    const w = mount(SubmissionDetail, { props: { submission, metrics } as never, global: { plugins } })
    const scores = w.find('[data-testid="scores"]')
    expect(scores.text()).toContain('BD-rate')
    expect(scores.text()).toContain('-2.50')
    expect(scores.text()).not.toContain('anchor 3')
  })
})
