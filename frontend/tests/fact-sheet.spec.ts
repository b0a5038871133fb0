import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import FactSheetForm from '@/components/factsheet/FactSheetForm.vue'
import FactSheetAnswers from '@/components/factsheet/FactSheetAnswers.vue'
import { answered, missingRequired, type FactSheetQuestion } from '@/components/factsheet/factSheet'

const QUESTIONS: FactSheetQuestion[] = [
  { key: 'method', title: 'Method name', type: 'text', options: [], required: true, on_leaderboard: true },
  { key: 'gpu', title: 'Trained on a GPU', type: 'checkbox', options: [], required: false, on_leaderboard: false },
  { key: 'family', title: 'Model family', type: 'select', options: ['tree', 'linear'], required: false, on_leaderboard: false },
]
const calls: { method: string; path: string }[] = []
vi.mock('@/api/client', () => ({
  request: vi.fn(async (method: string, path: string) => {
    calls.push({ method, path })
    if (path.endsWith('/fact-sheet') && path.startsWith('/phases/')) return { questions: QUESTIONS }
    return { questions: QUESTIONS, answers: { method: 'Boosting', gpu: false } }
  }),
}))
const plugins = [ElementPlus, i18n, createPinia()]

describe('fact sheet', () => {
  it('finds the unanswered required questions and drops empty answers', () => {
    expect(missingRequired(QUESTIONS, { method: '', gpu: true }).map((q) => q.key)).toEqual(['method'])
    expect(missingRequired(QUESTIONS, { method: 'x' })).toEqual([])
    expect(answered({ method: 'x', family: '', gpu: false })).toEqual({ method: 'x', gpu: false })
  })

  it('asks each question with its own input and reports what is missing', async () => {
    i18n.global.locale.value = 'en'
    const w = mount(FactSheetForm, { props: { phaseId: 7, modelValue: {}, 'onUpdate:modelValue': (v: Record<string, string | boolean>) => w.setProps({ modelValue: v }) }, global: { plugins } })
    await flushPromises()
    expect(calls).toContainEqual({ method: 'GET', path: '/phases/7/fact-sheet' })
    expect(w.find('[data-testid="fact-sheet"]').text()).toContain('Method name')
    expect(w.find('[data-testid="fact-sheet-gpu"]').exists()).toBe(true)
    expect(w.text()).toContain('shown on the leaderboard')
    expect((w.vm as unknown as { missing: () => FactSheetQuestion[] }).missing().map((q) => q.key)).toEqual(['method'])
    await w.find('input[data-testid="fact-sheet-method"]').setValue('Boosting')
    expect(w.props('modelValue')).toMatchObject({ method: 'Boosting', gpu: false })
    expect((w.vm as unknown as { missing: () => FactSheetQuestion[] }).missing()).toEqual([])
  })

  it('shows a submission\'s answers in the reader\'s language', async () => {
    i18n.global.locale.value = 'zh-CN'
    const w = mount(FactSheetAnswers, { props: { submissionId: 3 }, global: { plugins } })
    await flushPromises()
    expect(w.find('[data-testid="fact-sheet-answer-method"]').text()).toBe('Boosting')
    expect(w.find('[data-testid="fact-sheet-answer-gpu"]').text()).toBe('否')
    expect(w.find('[data-testid="fact-sheet-answer-family"]').text()).toBe('未回答')
  })
})

describe('bundle problems', () => {
  it('reads file, line and key from a bundle 422', async () => {
    const { bundleProblems } = await import('@/utils/bundleProblems')
    expect(bundleProblems({ 'bundle.competition.yaml.56.phases[0].tasks[1]': 'task 3 does not exist (tasks: 0)' })).toEqual([
      'competition.yaml:56: phases[0].tasks[1]: task 3 does not exist (tasks: 0)',
    ])
    expect(bundleProblems({ bundle: 'not a zip' })).toEqual(['bundle: not a zip'])
  })
})
