import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'
import type { AcceptanceRoom, AppointeeRecord, MilestonePublic } from '@/api/acceptance'

const milestone = (note: string): MilestonePublic => ({
  id: 3, item_id: 5, due_date: '2027-03-01', title: 'Mid-term review', deliverables: '',
  reports: note ? [{ id: note.length, version: 1, note, filename: 'r.pdf', size: 10, submitted_by: 1, submitted_at: '2027-02-20T00:00:00Z', verdicts: [] }] : [],
})
const decided = { outcome: 'accepted' as const, note: '', decided_by: 1, decided_at: '2027-10-01T00:00:00Z', document_filename: 'd.pdf' }
const A: AppointeeRecord = { application_id: 9, appointee_org_id: 3, appointee_zh: '甲单位', appointee_en: 'Unit A', team_id: null, milestones: [milestone('A report')], decision: decided, may_report: false }
const B: AppointeeRecord = { application_id: 11, appointee_org_id: 4, appointee_zh: '乙单位', appointee_en: 'Unit B', team_id: null, milestones: [milestone('')], decision: null, may_report: false }

function room(current: AppointeeRecord, records: AppointeeRecord[]): AcceptanceRoom {
  return {
    item_id: 5, application_id: current.application_id, appointee_org_id: current.appointee_org_id,
    appointee_zh: current.appointee_zh, appointee_en: current.appointee_en, appointed_at: '2027-01-05T00:00:00Z',
    timezone: 'Asia/Shanghai', deadline: '2027-12-31', milestones: current.milestones, decision: current.decision,
    may_edit: true, may_report: current.may_report, may_review: false, appointees: records,
  }
}

const getRoom = vi.fn(async (_item: number, applicationId?: number | null) => room(applicationId === 11 ? B : A, [A, B]))
const getDesk = vi.fn(async (..._args: unknown[]) => ({ item_id: 5, team_id: null, team_name: '', targets: [], all_targets_met: false, milestones: [], decision: null }))
vi.mock('@/api/acceptance', async (original) => ({
  ...(await original<typeof import('@/api/acceptance')>()),
  getRoom: (item: number, applicationId?: number | null) => getRoom(item, applicationId),
  getDesk: (...args: unknown[]) => getDesk(...args),
}))

const { default: AcceptancePanel } = await import('@/components/acceptance/AcceptancePanel.vue')

describe('acceptance panel with several appointees', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'en'
    getRoom.mockClear()
    getDesk.mockClear()
  })

  it('lets the organiser switch between the appointees; each one is decided on its own', async () => {
    const w = mount(AcceptancePanel, { props: { itemId: 5 }, global: { plugins: [ElementPlus, i18n, createPinia()] } })
    await flushPromises()
    const picks = w.find('[data-testid="acceptance-appointees"]')
    expect(picks.text()).toContain('Unit A · Accepted')
    expect(picks.text()).toContain('Unit B')
    expect(w.find('[data-testid="acceptance-appointee"]').text()).toBe('Unit A')
    expect(w.find('[data-testid="acceptance-outcome"]').exists()).toBe(true)
    expect(w.find('[data-testid="milestone-add"]').exists()).toBe(true) // B is still open
    expect(w.find('[data-testid="milestone-report"]').text()).toContain('A report')
    expect(getDesk.mock.calls[0].slice(0, 2)).toEqual([5, 9])

    await w.find('[data-testid="acceptance-appointee-11"] input').setValue(true)
    await flushPromises()
    expect(getRoom).toHaveBeenLastCalledWith(5, 11)
    expect(w.find('[data-testid="acceptance-appointee"]').text()).toBe('Unit B')
    expect(w.find('[data-testid="acceptance-outcome"]').exists()).toBe(false)
    expect(w.find('[data-testid="milestone-report"]').exists()).toBe(false)
    expect(getDesk.mock.calls.at(-1)?.slice(0, 2)).toEqual([5, 11])
  })

  it('shows one appointee no switch, and closes the milestones once it is decided', async () => {
    getRoom.mockImplementationOnce(async () => room(A, [A]))
    const w = mount(AcceptancePanel, { props: { itemId: 5 }, global: { plugins: [ElementPlus, i18n, createPinia()] } })
    await flushPromises()
    expect(w.find('[data-testid="acceptance-appointees"]').exists()).toBe(false)
    expect(w.find('[data-testid="milestone-add"]').exists()).toBe(false)
  })
})
