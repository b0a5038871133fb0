import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import type { AcceptanceDesk } from '@/api/acceptance'

const DESK: AcceptanceDesk = {
  item_id: 5,
  team_id: 9,
  team_name: 'Alpha',
  targets: [
    { target_id: 1, metric: 'psnr', comparator: '>=', threshold: 30, unit: 'dB', track_id: 2, value: 31.25, met: true, submission_id: 40, note_zh: '', note_en: '' },
    { target_id: 2, metric: 'ssim', comparator: '>=', threshold: 0.95, unit: '', track_id: 2, value: null, met: false, submission_id: null, note_zh: '', note_en: '' },
  ],
  all_targets_met: false,
  milestones: [
    { milestone_id: 3, title: 'Mid-term review', due_date: '2027-03-01', report_id: 11, verdicts: [{ reviewer_id: 4, reviewer_name: 'Expert Wang', verdict: 'needs_revision', comment: 'more samples', created_at: '2027-03-02T08:00:00Z' }] },
    { milestone_id: 6, title: 'Final', due_date: '2027-09-01', report_id: null, verdicts: [] },
  ],
  decision: null,
}
const decide = vi.fn(async (..._args: unknown[]) => ({ outcome: 'accepted', note: '', decided_by: 1, decided_at: '2027-10-01T00:00:00Z', document_filename: 'd.pdf' }))
let desk: AcceptanceDesk = DESK

vi.mock('@/api/acceptance', async (original) => ({
  ...(await original<typeof import('@/api/acceptance')>()),
  getDesk: vi.fn(async () => desk),
  decide: (...args: unknown[]) => decide(...args),
}))

const { default: Desk } = await import('@/components/acceptance/AcceptanceDesk.vue')
const { default: DecisionDialog } = await import('@/components/acceptance/DecisionDialog.vue')
const plugins = [ElementPlus, i18n, createPinia()]

describe('acceptance desk', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'en'
    desk = DESK
    decide.mockClear()
  })

  it('shows each target beside the verified score, met or missed, and the verdicts', async () => {
    const w = mount(Desk, { props: { itemId: 5, mayDecide: true }, global: { plugins } })
    await flushPromises()
    const targets = w.find('[data-testid="desk-targets"]').text()
    expect(targets).toContain('>= 30 dB')
    expect(targets).toContain('31.25')
    expect(targets).toContain('no verified score')
    expect(w.findAll('[data-testid="desk-met"]').map((t) => t.text())).toEqual(['Met', 'Missed'])
    expect(w.find('[data-testid="desk-summary"]').text()).toContain('Not every target is met')
    const verdicts = w.find('[data-testid="desk-verdicts"]').text()
    expect(verdicts).toContain('Expert Wang')
    expect(verdicts).toContain('Needs revision')
    expect(verdicts).toContain('No report yet')
    expect(w.find('[data-testid="decision-open"]').exists()).toBe(true)
  })

  it('shows the decision instead of the button once decided, in Chinese too', async () => {
    i18n.global.locale.value = 'zh-CN'
    desk = { ...DESK, decision: { outcome: 'accepted_with_conditions', note: 'x', decided_by: 1, decided_at: '2027-10-01T00:00:00Z', document_filename: 'd.pdf' } }
    const w = mount(Desk, { props: { itemId: 5, mayDecide: true }, global: { plugins } })
    await flushPromises()
    expect(w.find('[data-testid="desk-decision"]').text()).toBe('有条件通过验收')
    expect(w.find('[data-testid="decision-open"]').exists()).toBe(false)
  })

  it('asks for the PDF, then for confirmation, before recording the decision', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm')
    const w = mount(DecisionDialog, { props: { modelValue: true, itemId: 5 }, global: { plugins }, attachTo: document.body })
    await flushPromises()
    const save = document.querySelector('[data-testid="decision-save"]') as HTMLButtonElement
    save.click()
    await flushPromises()
    await vi.waitFor(() => expect(document.body.textContent).toContain('Choose the PDF first'))
    expect(decide).not.toHaveBeenCalled()

    const input = document.querySelector('[data-testid="decision-file"] input[type="file"]') as HTMLInputElement
    const pdf = new File(['%PDF-1.4'], 'decision.pdf', { type: 'application/pdf' })
    Object.defineProperty(input, 'files', { value: [pdf] })
    input.dispatchEvent(new Event('change'))
    await flushPromises()
    confirm.mockRejectedValueOnce('cancel')
    save.click()
    await flushPromises()
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(String(confirm.mock.calls[0][0])).toContain('cannot be changed')
    expect(decide).not.toHaveBeenCalled() // cancelled: nothing recorded

    confirm.mockResolvedValueOnce('confirm' as never)
    save.click()
    await flushPromises()
    expect(decide).toHaveBeenCalledTimes(1)
    expect(decide.mock.calls[0].slice(0, 3)).toEqual([5, 'accepted', ''])
    expect((decide.mock.calls[0][3] as File).name).toBe('decision.pdf')
    expect(w.emitted('decided')).toHaveLength(1)
    w.unmount()
  })
})
