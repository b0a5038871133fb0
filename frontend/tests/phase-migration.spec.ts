import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/i18n'

const calls: { method: string; path: string }[] = []
let preview: Record<string, unknown> = {}

vi.mock('@/api/client', () => ({
  authHeaders: () => ({}),
  isMissingEndpoint: () => false,
  request: vi.fn(async (method: string, path: string) => {
    calls.push({ method, path })
    if (method === 'GET') return preview
    return { phase_id: 9, source_phase_id: 8, migrated: [101, 102, 103], already_migrated: 2 }
  }),
}))

const { default: PhaseMigrateButton } = await import('@/components/migration/PhaseMigrateButton.vue')
const { hasEarlierPhase } = await import('@/components/migration/migration')

const BASE = {
  phase_id: 9, source_phase_id: 8, source_title_zh: '开发阶段', source_title_en: 'Development',
  automatic: false, migrated_at: null, pending: 3, already_migrated: 2,
}

function mountIt() {
  i18n.global.locale.value = 'en'
  return mount(PhaseMigrateButton, { props: { phaseId: 9, phaseTitle: 'Final' }, global: { plugins: [ElementPlus, i18n] }, attachTo: document.body })
}

const inDialog = (id: string) => document.body.querySelector(`[data-testid="${id}"]`) as HTMLElement | null

describe('phase migration dialog', () => {
  beforeEach(() => {
    calls.length = 0
    preview = { ...BASE }
    document.body.innerHTML = ''
  })

  it('shows the source and the count before migrating, then the result', async () => {
    const w = mountIt()
    await w.get('[data-testid="migrate-phase-9"]').trigger('click')
    await flushPromises()
    expect(calls).toEqual([{ method: 'GET', path: '/phases/9/migration' }])
    expect(inDialog('migrate-pending')?.textContent).toBe('3')
    expect(inDialog('migrate-question')?.textContent).toContain('3 ranked submissions of “Development” into “Final”')
    const confirm = inDialog('migrate-confirm') as HTMLButtonElement
    expect(confirm.textContent).toContain('Migrate 3')
    expect(confirm.disabled).toBe(false)
    confirm.click()
    await flushPromises()
    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/phases/9/migration' })
    expect(inDialog('migrate-result')?.textContent).toContain('3 submissions migrated')
    expect(document.body.textContent).toContain('2 already migrated')
    expect(w.emitted('done')).toBeUndefined() // the page reloads once the dialog is closed
    inDialog('migrate-close')!.click()
    await flushPromises()
    expect(w.emitted('done')).toHaveLength(1)
    w.unmount()
  })

  it('speaks of one submission in the singular', async () => {
    preview = { ...BASE, pending: 1 }
    const w = mountIt()
    await w.get('[data-testid="migrate-phase-9"]').trigger('click')
    await flushPromises()
    expect(inDialog('migrate-question')?.textContent).toContain('Copy the 1 ranked submission of “Development” into “Final” and evaluate it there')
    w.unmount()
  })

  it('offers nothing to confirm when everything is migrated or there is no earlier phase', async () => {
    preview = { ...BASE, pending: 0, already_migrated: 3 }
    const w = mountIt()
    await w.get('[data-testid="migrate-phase-9"]').trigger('click')
    await flushPromises()
    expect(inDialog('migrate-nothing')?.textContent).toContain('nothing to migrate')
    expect((inDialog('migrate-confirm') as HTMLButtonElement).disabled).toBe(true)
    w.unmount()
    document.body.innerHTML = ''

    preview = { ...BASE, source_phase_id: null, pending: 0, already_migrated: 0 }
    const first = mountIt()
    await first.get('[data-testid="migrate-phase-9"]').trigger('click')
    await flushPromises()
    expect(inDialog('migrate-none')?.textContent).toContain('no earlier phase')
    expect((inDialog('migrate-confirm') as HTMLButtonElement).disabled).toBe(true)
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])
    first.unmount()
  })

  it('is offered on phases that have an earlier one in their track', () => {
    const dev = { id: 1, starts_at: '2026-01-01T00:00:00Z' }
    const final = { id: 2, starts_at: '2026-02-01T08:00:00+08:00' }
    expect(hasEarlierPhase(final, [dev, final])).toBe(true)
    expect(hasEarlierPhase(dev, [dev, final])).toBe(false)
  })
})
