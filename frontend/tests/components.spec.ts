import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { defineComponent, h, ref } from 'vue'
import { i18n } from '@/i18n'
import PageState from '@/components/PageState.vue'
import TargetRowsEditor from '@/components/TargetRowsEditor.vue'
import StatusTag from '@/components/StatusTag.vue'
import SubmissionDetail from '@/components/SubmissionDetail.vue'
import type { TargetIn } from '@/api/types'

const plugins = [ElementPlus, i18n, createPinia()]

describe('PageState', () => {
  it('shows a skeleton, then an error with retry, then the content', async () => {
    i18n.global.locale.value = 'en'
    const w = mount(PageState, { props: { loading: true }, slots: { default: '<p class="content">hi</p>' }, global: { plugins } })
    expect(w.find('.el-skeleton').exists()).toBe(true)
    await w.setProps({ loading: false, error: 'boom' })
    expect(w.text()).toContain('boom')
    await w.find('button').trigger('click')
    expect(w.emitted('retry')).toHaveLength(1)
    await w.setProps({ error: '' })
    expect(w.find('.content').exists()).toBe(true)
  })

  it('explains a missing endpoint', () => {
    i18n.global.locale.value = 'zh-CN'
    const w = mount(PageState, { props: { missing: true, missingWhat: 'GET /hall-of-fame' }, global: { plugins } })
    expect(w.text()).toContain('暂未开放')
    expect(w.text()).toContain('GET /hall-of-fame')
  })

  it('shows an empty state', () => {
    i18n.global.locale.value = 'en'
    const w = mount(PageState, { props: { empty: true, emptyText: 'No rows' }, global: { plugins } })
    expect(w.text()).toContain('No rows')
  })
})

describe('TargetRowsEditor', () => {
  it('adds and removes target rows', async () => {
    i18n.global.locale.value = 'en'
    const rows = ref<TargetIn[]>([])
    const Host = defineComponent(() => () => h(TargetRowsEditor, { modelValue: rows.value, 'onUpdate:modelValue': (v: TargetIn[]) => (rows.value = v) }))
    const w = mount(Host, { global: { plugins } })
    await w.find('[data-testid="add-target"]').trigger('click')
    await w.find('[data-testid="add-target"]').trigger('click')
    expect(rows.value).toHaveLength(2)
    expect(rows.value[0]).toMatchObject({ comparator: '<=', threshold: 0 })
    const remove = w.findAll('button').filter((b) => b.text() === 'Remove')
    await remove[0].trigger('click')
    expect(rows.value).toHaveLength(1)
  })
})

describe('StatusTag', () => {
  it('labels submission statuses in the current language', () => {
    i18n.global.locale.value = 'zh-CN'
    const w = mount(StatusTag, { props: { status: 'scored' }, global: { plugins } })
    expect(w.text()).toBe('已评分')
    i18n.global.locale.value = 'en'
  })
})

describe('SubmissionDetail', () => {
  it('tells the team its submission was disqualified, with the judges\' reason', () => {
    i18n.global.locale.value = 'en'
    const submission = {
      id: 7, phase_id: 1, team_id: 2, status: 'scored', filename: 'r.zip', description: '', size: 10,
      sha256: 'ab', charged: true, refunded: false, failure_category: null, failure_message: null,
      selected: false, created_at: '2026-11-26T10:00:00Z', queued_at: null, finished_at: null,
      disqualified: true, disqualification_reason: 'used the test labels', scores: {}, warnings: [], history: [],
    }
    const w = mount(SubmissionDetail, { props: { submission, metrics: [] } as never, global: { plugins } })
    const alert = w.find('[data-testid="disqualified"]')
    expect(alert.exists()).toBe(true)
    expect(alert.text()).toContain('no longer ranks')
    expect(alert.text()).toContain('used the test labels')
    const clean = mount(SubmissionDetail, { props: { submission: { ...submission, disqualified: false, disqualification_reason: null }, metrics: [] } as never, global: { plugins } })
    expect(clean.find('[data-testid="disqualified"]').exists()).toBe(false)
  })
})
