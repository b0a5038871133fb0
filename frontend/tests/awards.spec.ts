import { afterEach, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { defineComponent, h, ref } from 'vue'
import { i18n } from '@/i18n'
import { api } from '@/api/client'
import type { AwardTier } from '@/api/types'
import AwardTiersEditor from '@/components/AwardTiersEditor.vue'
import PublishDialog from '@/components/PublishDialog.vue'
import { MAX_TIERS, defaultAwards, rankRanges, tierOfRank, tierProblems } from '@/utils/awards'

const plugins = [ElementPlus, i18n, createPinia()]
const global = { plugins }
/** Dialogs render into document.body. */
const body = () => new DOMWrapper(document.body)
/** The text box of an Element Plus field, whether the test id sits on the input or its wrapper. */
const box = (root: { find: (s: string) => DOMWrapper<Element> }, id: string) =>
  root.find(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`)
const ok = (data: unknown, status = 200) => ({ data, response: new Response(null, { status }) })
const fail = (error: unknown, status: number) => ({ error, response: new Response(null, { status }) })

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('award tiers', () => {
  it('covers consecutive ranks from 1, in order', () => {
    const tiers = [{ label_zh: '金', label_en: 'Gold', count: 1 }, { label_zh: '银', label_en: 'Silver', count: 2 }, { label_zh: '铜', label_en: 'Bronze', count: 3 }]
    expect(rankRanges(tiers)).toEqual([{ from: 1, to: 1 }, { from: 2, to: 3 }, { from: 4, to: 6 }])
    expect(tierOfRank(tiers, 3)).toBe(1)
    expect(tierOfRank(tiers, 7)).toBe(-1)
  })

  it('flags what the server would refuse', () => {
    expect(tierProblems([{ label_zh: ' ', label_en: 'x'.repeat(81), count: 0 }])).toEqual([['label_zh', 'label_en', 'count']])
    expect(tierProblems(defaultAwards())).toEqual([[], [], []])
  })
})

function hostEditor(initial: AwardTier[], showErrors = false) {
  const tiers = ref<AwardTier[]>(initial)
  const Host = defineComponent(() => () => h(AwardTiersEditor, { modelValue: tiers.value, 'onUpdate:modelValue': (v: AwardTier[]) => (tiers.value = v), showErrors }))
  return { tiers, w: mount(Host, { global }) }
}

describe('AwardTiersEditor', () => {
  it('edits tiers and shows the ranks each one covers', async () => {
    i18n.global.locale.value = 'en'
    const { tiers, w } = hostEditor(defaultAwards())
    expect(w.find('[data-testid="award-ranks-2"]').text()).toBe('Rank 3')

    await box(w, 'award-count-0').setValue('2')
    await box(w, 'award-count-0').trigger('change')
    expect(tiers.value[0].count).toBe(2)
    expect(w.find('[data-testid="award-ranks-0"]').text()).toBe('Ranks 1–2')
    expect(w.find('[data-testid="award-ranks-2"]').text()).toBe('Rank 4')

    await box(w, 'award-en-1').setValue('Silver')
    expect(tiers.value[1]).toMatchObject({ label_zh: '二等奖', label_en: 'Silver', count: 1 })

    await w.find('[data-testid="award-remove-0"]').trigger('click')
    expect(tiers.value.map((x) => x.label_en)).toEqual(['Silver', 'Third prize'])
    await w.find('[data-testid="award-add"]').trigger('click')
    expect(tiers.value).toHaveLength(3)
    expect(tiers.value[2]).toEqual({ label_zh: '', label_en: '', count: 1 })
    expect(w.find('[data-testid="award-total"]').text()).toContain('3 places awarded')

    await w.find('[data-testid="award-clear"]').trigger('click')
    expect(tiers.value).toEqual([])
    expect(w.find('[data-testid="awards-none"]').exists()).toBe(true)
  })

  it('stops at the server limit and marks invalid rows once asked to', async () => {
    i18n.global.locale.value = 'en'
    const many = Array.from({ length: MAX_TIERS }, (_, i) => ({ label_zh: `奖${i}`, label_en: `Prize ${i}`, count: 1 }))
    const { w } = hostEditor(many)
    expect(w.find('[data-testid="award-add"]').attributes('disabled')).toBeDefined()

    const blank = hostEditor([{ label_zh: '', label_en: 'Gold', count: 1 }], true)
    expect(blank.w.find('[data-testid="award-error-0"]').exists()).toBe(true)
    const quiet = hostEditor([{ label_zh: '', label_en: 'Gold', count: 1 }], false)
    expect(quiet.w.find('[data-testid="award-error-0"]').exists()).toBe(false)
  })
})

describe('PublishDialog', () => {
  const board = {
    phase_id: 5, columns: [], split: 'private', frozen: false, published: false,
    rows: [
      { rank: 1, team_id: 1, team_name: 'Alpha', submission_id: 11, scores: {}, submitted_at: '2026-01-01T00:00:00Z', verified: true },
      { rank: 2, team_id: 2, team_name: 'Beta', submission_id: 12, scores: {}, submitted_at: '2026-01-01T00:00:00Z', verified: false },
    ],
  }
  function mockGets(versions: unknown[] = []) {
    return vi.spyOn(api, 'GET').mockImplementation((async (path: string) =>
      ok(path.endsWith('/results') ? { phase_id: 5, published: versions.length > 0, versions } : board)) as never)
  }

  it('sends the edited tiers and the note, and previews who gets what', async () => {
    i18n.global.locale.value = 'en'
    mockGets()
    const post = vi.spyOn(api, 'POST').mockResolvedValue(ok({ version: 1, published_at: '2026-02-01T00:00:00Z', note: 'final', board: {}, diff: [] }) as never)
    const w = mount(PublishDialog, { props: { modelValue: true, phaseId: 5 }, global, attachTo: document.body })
    await flushPromises()
    const preview = body().find('[data-testid="publish-preview"]').text()
    expect(preview).toContain('Alpha')
    expect(preview).toContain('First prize')
    expect(body().find('[data-testid="awards-beyond"]').exists()).toBe(true) // 3 places, 2 teams
    expect(body().find('[data-testid="awards-unverified"]').text()).toContain('1 team')

    await body().find('[data-testid="award-remove-2"]').trigger('click')
    await body().find('[data-testid="award-remove-1"]').trigger('click')
    await box(body(), 'award-zh-0').setValue(' 金奖 ')
    await box(body(), 'award-en-0').setValue('Gold')
    await box(body(), 'award-prize-0').setValue(' ¥100,000 ')
    await box(body(), 'publish-note').setValue('final')
    expect(body().find('[data-testid="publish-confirm"]').text()).toBe('Publish as version 1')
    await body().find('[data-testid="publish-confirm"]').trigger('click')
    await flushPromises()

    expect(post).toHaveBeenCalledTimes(1)
    const [path, init] = post.mock.calls[0] as unknown as [string, { params: unknown; body: unknown }]
    expect(path).toBe('/api/v1/phases/{phase_id}/publish')
    expect(init.params).toEqual({ path: { phase_id: 5 } })
    expect(init.body).toEqual({ awards: [{ label_zh: '金奖', label_en: 'Gold', count: 1, prize: '¥100,000' }], note: 'final' })
    expect(w.emitted('published')).toHaveLength(1)
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([false])
  })

  it('starts from the current version\'s awards and keeps a refusal in the dialog', async () => {
    i18n.global.locale.value = 'en'
    mockGets([{ version: 2, published_at: '2026-02-01T00:00:00Z', note: '', board: { awards: [{ label_zh: '金奖', label_en: 'Gold', count: 2 }] }, diff: [] }])
    const post = vi.spyOn(api, 'POST').mockResolvedValue(fail({ detail: 'The top 3 submissions are not all verified', code: 'verification_pending' }, 409) as never)
    const w = mount(PublishDialog, { props: { modelValue: true, phaseId: 5 }, global, attachTo: document.body })
    await flushPromises()
    expect(body().find('[data-testid="publish-current"]').text()).toContain('version 2')
    expect(body().findAll('[data-testid^="award-row-"]')).toHaveLength(1)
    expect(body().find('[data-testid="publish-confirm"]').text()).toBe('Publish as version 3')

    await body().find('[data-testid="publish-confirm"]').trigger('click')
    await flushPromises()
    expect((post.mock.calls[0][1] as { body: unknown }).body).toEqual({ awards: [{ label_zh: '金奖', label_en: 'Gold', count: 2, prize: '' }], note: '' })
    expect(body().find('[data-testid="publish-error"]').text()).toContain('not all verified')
    expect(w.emitted('published')).toBeUndefined()
  })

  it('sends an empty list (not the server default) when every tier is removed, and nothing while a tier is invalid', async () => {
    i18n.global.locale.value = 'en'
    mockGets()
    const post = vi.spyOn(api, 'POST').mockResolvedValue(ok({ version: 1, published_at: '', note: '', board: {}, diff: [] }) as never)
    const w = mount(PublishDialog, { props: { modelValue: true, phaseId: 5 }, global, attachTo: document.body })
    await flushPromises()
    await box(body(), 'award-zh-0').setValue('')
    await body().find('[data-testid="publish-confirm"]').trigger('click')
    await flushPromises()
    expect(post).not.toHaveBeenCalled()
    expect(body().find('[data-testid="award-error-0"]').exists()).toBe(true)

    await body().find('[data-testid="award-clear"]').trigger('click')
    await body().find('[data-testid="publish-confirm"]').trigger('click')
    await flushPromises()
    expect((post.mock.calls[0][1] as { body: unknown }).body).toEqual({ awards: [], note: '' })
  })
})
