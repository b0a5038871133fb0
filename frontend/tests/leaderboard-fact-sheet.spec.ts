import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import ElementPlus from 'element-plus'
import { i18n } from '@/i18n'
import LeaderboardTable from '@/components/LeaderboardTable.vue'
import type { Leaderboard } from '@/api/types'

const row = (rank: number, team: number, factSheet: Record<string, string | boolean>) => ({
  rank, team_id: team, team_name: `team ${team}`, submission_id: 100 + team, scores: { mae: 0.1 * rank },
  submitted_at: '2024-05-01T00:00:00Z', fact_sheet: factSheet,
})
const board = (withColumns: boolean): Leaderboard => ({
  phase_id: 1, split: 'public', frozen: false, published: false,
  columns: [{ key: 'mae', label_zh: '平均绝对误差', label_en: 'MAE', direction: 'lower', precision: 4 }],
  fact_sheet_columns: withColumns
    ? [{ key: 'method', title: 'Method name', type: 'text' }, { key: 'gpu', title: 'Trained on a GPU', type: 'checkbox' }]
    : [],
  rows: [row(1, 7, { method: 'Gradient boosting', gpu: true }), row(2, 8, { gpu: false }), row(3, 9, {})],
})

/** el-table renders its body rows a few ticks after mounting. */
async function mounted(b: Leaderboard) {
  const w = mount(LeaderboardTable, { props: { board: b }, global: { plugins: [ElementPlus, i18n] } })
  await flushPromises()
  await nextTick()
  await nextTick()
  return w
}

describe('leaderboard fact-sheet columns', () => {
  it('shows one column per question on the board, with each row\'s answer', async () => {
    i18n.global.locale.value = 'en'
    const w = await mounted(board(true))
    const head = w.find('[data-testid="lb-fact-head-method"]')
    expect(head.text()).toBe('Method name')
    expect(head.attributes('title')).toBe('Declared by each team in its fact sheet')
    expect(w.find('[data-testid="lb-fact-method-7"]').text()).toBe('Gradient boosting')
    expect(w.find('[data-testid="lb-fact-gpu-7"]').text()).toBe('Yes')
    expect(w.find('[data-testid="lb-fact-gpu-8"]').text()).toBe('No')
    expect(w.find('[data-testid="lb-fact-method-8"]').text()).toBe('—')
    expect(w.find('[data-testid="lb-fact-gpu-9"]').text()).toBe('—')
  })

  it('answers yes or no in the reader\'s language', async () => {
    i18n.global.locale.value = 'zh-CN'
    const w = await mounted(board(true))
    expect(w.find('[data-testid="lb-fact-gpu-7"]').text()).toBe('是')
    expect(w.find('[data-testid="lb-fact-head-method"]').attributes('title')).toBe('各队在事实表中填写')
    i18n.global.locale.value = 'en'
  })

  it('adds no column for a board without fact-sheet questions', async () => {
    const w = await mounted(board(false))
    expect(w.find('[data-testid="leaderboard"]').text()).toContain('team 7')
    expect(w.findAll('[data-testid^="lb-fact"]')).toHaveLength(0)
  })
})
