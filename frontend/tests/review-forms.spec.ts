/** The rubric editor and the reviewer's score sheet: what an organiser and an expert type. */
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { defineComponent, h, ref } from 'vue'
import { i18n } from '@/i18n'
import RubricEditor, { type RubricDraft } from '@/components/review/RubricEditor.vue'
import ScoreSheetForm from '@/components/review/ScoreSheetForm.vue'
import type { Criterion, Sheet, SheetIn } from '@/api/reviews'
import { weightedTotal } from '@/api/reviews'
import { creditCodeProblem } from '@/utils/creditCode'

const plugins = [ElementPlus, i18n, createPinia()]
// Element Plus shows a form item's error after a short debounce
const settle = async () => {
  await new Promise((r) => setTimeout(r, 250))
  await flushPromises()
}

function rubricHost(draft: RubricDraft, errors: Record<string, string> = {}) {
  const model = ref(draft)
  const errs = ref(errors)
  const saves = ref(0)
  const Host = defineComponent(() => () =>
    h(RubricEditor, { modelValue: model.value, 'onUpdate:modelValue': (v: RubricDraft) => (model.value = v), errors: errs.value, onSave: () => saves.value++ }),
  )
  return { wrapper: mount(Host, { global: { plugins } }), model, errs, saves }
}

describe('RubricEditor', () => {
  it('adds a criterion with the weight left to 100 % and shows the sum as it changes', async () => {
    i18n.global.locale.value = 'en'
    const { wrapper, model } = rubricHost({ aggregation: 'mean', spread_threshold: 20, criteria: [{ name_zh: '方案', name_en: 'Approach', weight: 60, max_score: 100 }] })
    expect(wrapper.find('[data-testid="weight-sum"]').text()).toBe('Weights: 60%')
    expect(wrapper.text()).toContain('The weights must sum to 100%.')
    await wrapper.find('[data-testid="criterion-add"]').trigger('click')
    expect(model.value.criteria).toHaveLength(2)
    expect(model.value.criteria[1].weight).toBe(40)
    expect(wrapper.find('[data-testid="weight-sum"]').text()).toBe('Weights: 100%')
    expect(wrapper.text()).not.toContain('The weights must sum to 100%.')
    await wrapper.find('[data-testid="criterion-remove-0"]').trigger('click')
    expect(model.value.criteria.map((c) => c.name_en)).toEqual([''])
    expect(wrapper.find('[data-testid="weight-sum"]').text()).toBe('Weights: 40%')
  })

  it('shows the server\'s 422 at the weights and at a criterion\'s field, and asks to save', async () => {
    i18n.global.locale.value = 'zh-CN'
    const { wrapper, saves } = rubricHost(
      { aggregation: 'trimmed_mean', spread_threshold: 15, criteria: [{ name_zh: '方案', name_en: 'Approach', weight: 50 }, { name_zh: '团队', name_en: 'Team', weight: 40 }] },
      { criteria: '各项权重之和为 90%，应为 100%', 'criteria.1.name_en': '不能为空' },
    )
    await settle()
    const weights = wrapper.find('[data-testid="rubric-weights"]')
    expect(weights.find('.el-form-item__error').text()).toBe('各项权重之和为 90%，应为 100%')
    expect(wrapper.find('[data-testid="criterion-1"]').find('.el-form-item__error').text()).toBe('不能为空')
    expect(wrapper.find('[data-testid="criterion-0"]').find('.el-form-item__error').exists()).toBe(false)
    await wrapper.find('[data-testid="rubric-save"]').trigger('click')
    expect(saves.value).toBe(1)
    i18n.global.locale.value = 'en'
  })
})

const criteria: Criterion[] = [
  { id: 11, name_zh: '技术方案', name_en: 'Technical approach', weight: 60, max_score: 100 },
  { id: 12, name_zh: '团队能力', name_en: 'Team', weight: 40, max_score: 50 },
]

function sheetHost(sheet: Sheet | null, errors: Record<string, string> = {}) {
  const saved: SheetIn[] = []
  const wrapper = mount(ScoreSheetForm, { props: { criteria, sheet, errors, onSave: (b: SheetIn) => saved.push(b) }, global: { plugins } })
  return { wrapper, saved }
}

async function typeScore(wrapper: ReturnType<typeof mount>, index: number, value: string): Promise<void> {
  const input = wrapper.findAll('[data-testid="score-input"] input')[index]
  await input.setValue(value)
  await input.trigger('blur')
}

describe('ScoreSheetForm', () => {
  it('computes the weighted total on each scale and submits every criterion with its comment', async () => {
    i18n.global.locale.value = 'en'
    const { wrapper, saved } = sheetHost(null)
    expect(wrapper.find('[data-testid="sheet-submit"]').attributes('disabled')).toBeDefined()
    await typeScore(wrapper, 0, '90')
    await wrapper.findAll('textarea[data-testid="score-comment"], [data-testid="score-comment"] textarea')[0].setValue('sound approach')
    expect(wrapper.find('[data-testid="sheet-total"]').text()).toContain('—')
    await wrapper.find('[data-testid="sheet-save"]').trigger('click')
    expect(saved[0]).toEqual({ submit: false, scores: [{ criterion_id: 11, score: 90, comment: 'sound approach' }] })
    await typeScore(wrapper, 1, '45')
    expect(wrapper.find('[data-testid="sheet-total"]').text()).toBe('Weighted total: 90.00 / 100') // 54 + 36
    await wrapper.find('[data-testid="sheet-submit"]').trigger('click')
    expect(saved[1].submit).toBe(true)
    expect(saved[1].scores.map((s) => [s.criterion_id, s.score])).toEqual([[11, 90], [12, 45]])
  })

  it('shows a score refused by the server at its criterion, and a handed-in sheet read-only', async () => {
    i18n.global.locale.value = 'en'
    const { wrapper } = sheetHost(
      { application_id: 1, reviewer_id: 2, submitted: false, total: null, scores: [{ criterion_id: 11, score: 80, comment: '' }] },
      { 'scores.1.score': 'The score 60 for Team is outside 0 to 50' },
    )
    await settle()
    const errors = wrapper.findAll('.el-form-item__error').map((e) => e.text())
    expect(errors).toEqual(['The score 60 for Team is outside 0 to 50'])
    const done = sheetHost({ application_id: 1, reviewer_id: 2, submitted: true, total: 90, scores: [{ criterion_id: 11, score: 90, comment: 'ok' }, { criterion_id: 12, score: 45, comment: '' }] })
    expect(done.wrapper.find('[data-testid="sheet-submitted"]').text()).toBe('Submitted')
    expect(done.wrapper.find('[data-testid="sheet-submit"]').exists()).toBe(false)
    expect(done.wrapper.findAll('[data-testid="score-input"] input').every((i) => (i.element as HTMLInputElement).disabled)).toBe(true)
  })

  it('totals a sheet as the server does', () => {
    expect(weightedTotal({ 11: 90, 12: 45 }, criteria)).toBeCloseTo(90)
    expect(weightedTotal({ 11: 60, 12: 30 }, criteria)).toBeCloseTo(60)
    expect(weightedTotal({ 11: 60 }, criteria)).toBeNull()
  })
})

describe('credit code check', () => {
  it('names what is wrong with a unified social credit code', () => {
    expect(creditCodeProblem('91350100M000100Y43')).toBeNull() // the backend tests' valid code
    expect(creditCodeProblem('')).toBeNull()
    expect(creditCodeProblem('91350100M000100Y44')).toEqual({ kind: 'checksum', expected: '3', given: '4' })
    expect(creditCodeProblem('91350100M00010')).toEqual({ kind: 'length', length: 14 })
    expect(creditCodeProblem('91350100M000100I43')).toEqual({ kind: 'character', char: 'I', position: 16 })
  })
})
