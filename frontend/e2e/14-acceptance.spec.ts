/** Journey 14: milestones and acceptance (中期检查, 验收) in the browser, on the demo's items.
 * The organiser adds a milestone (first after the deadline: refused at the field); the expert
 * asks for a revision of AV2023-02's mid-term report; the appointee uploads a revised report;
 * the organiser's desk shows AV2023-01's targets met and its decision, then decides AV2023-02. */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { field, login, makePdf, shot } from './helpers'

const PASSWORD = 'jiebang-demo-2024' // the published demo logins (backend/jiebang/demo/seed.py)
const ORGANISER = { email: 'organiser@demo.jiebang.org', password: PASSWORD }
const EXPERT = { email: 'reviewer1@demo.jiebang.org', password: PASSWORD }
const APPOINTEE = { email: 'participant@demo.jiebang.org', password: PASSWORD }

async function itemIds(request: APIRequestContext): Promise<Record<string, number>> {
  const lists = (await (await request.get('/api/v1/challenge-lists')).json()) as { id: number; year: number }[]
  const list = lists.find((l) => l.year === 2023)!
  const items = (await (await request.get(`/api/v1/challenge-lists/${list.id}/items`)).json()) as { id: number; code: string }[]
  return Object.fromEntries(items.map((i) => [i.code, i.id]))
}

async function logout(page: Page): Promise<void> {
  await page.getByTestId('logout').click()
}

test('milestone, verdict, revised report, acceptance desk and decision', async ({ page, request }) => {
  const ids = await itemIds(request)
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)

  // ---- the organiser adds a milestone; one after the completion deadline is refused at the field
  await login(page, ORGANISER)
  await page.goto(`/items/${ids['AV2023-02']}`)
  const panel = page.getByTestId('acceptance-panel')
  await expect(panel).toContainText('潇湘音频研究院')
  await expect(panel.getByTestId('milestone')).toHaveCount(2)
  await panel.getByTestId('milestone-add').click()
  const dialog = page.getByTestId('milestone-dialog')
  await dialog.locator('.el-date-editor input').fill(day(900))
  await dialog.locator('.el-date-editor input').press('Enter')
  await field(page, 'milestone-title').fill('样机测试')
  await dialog.getByTestId('milestone-save').click()
  await expect(dialog).toContainText('晚于项目截止日期')
  await dialog.locator('.el-date-editor input').fill(day(60))
  await dialog.locator('.el-date-editor input').press('Enter')
  await dialog.getByTestId('milestone-save').click()
  await expect(panel.getByTestId('milestone')).toHaveCount(3)
  await expect(panel).toContainText('样机测试')
  await shot(page, 'acceptance-organiser-milestones')

  // ---- the expert asks for a revision of the mid-term report (confirmed: final)
  await logout(page)
  await login(page, EXPERT)
  await page.goto(`/items/${ids['AV2023-02']}`)
  const midterm = page.getByTestId('milestone').filter({ hasText: '中期检查' })
  await midterm.getByTestId('verdict-open').click()
  const verdict = page.getByTestId('verdict-dialog')
  await verdict.getByText('需修改').click()
  await field(page, 'verdict-comment').fill('请补充 10 段带噪样例')
  await verdict.getByTestId('verdict-save').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await expect(midterm.getByTestId('report-verdict')).toContainText('需修改')
  await expect(midterm.getByTestId('verdict-open')).toHaveCount(0) // once per version
  await shot(page, 'acceptance-expert-verdict')

  // ---- the appointee uploads a revised report: version 2
  await logout(page)
  await login(page, APPOINTEE)
  await page.goto(`/items/${ids['AV2023-02']}`)
  const mine = page.getByTestId('milestone').filter({ hasText: '中期检查' })
  await expect(mine.getByTestId('report-verdict')).toContainText('请补充 10 段带噪样例')
  await mine.getByTestId('report-open').click()
  const report = page.getByTestId('report-dialog')
  await report.locator('input[type="file"]').setInputFiles(makePdf(join(tmpdir(), '中期报告-修改稿.pdf')))
  await field(page, 'report-note').fill('已补充样例')
  await report.getByTestId('report-send').click()
  await expect(mine.getByTestId('milestone-report')).toHaveCount(2)
  await expect(mine).toContainText('第 2 版')
  await expect(page.getByTestId('acceptance-desk')).toHaveCount(0) // the desk is the staff's
  await shot(page, 'acceptance-appointee-revision')

  // ---- the organiser's desk: AV2023-01's targets met and accepted; then decide AV2023-02
  await logout(page)
  await login(page, ORGANISER)
  await page.goto(`/items/${ids['AV2023-01']}`)
  const desk = page.getByTestId('acceptance-desk')
  await expect(desk.getByTestId('desk-met').first()).toHaveText('达标')
  await expect(desk.getByTestId('desk-summary')).toContainText('全部指标达标')
  await expect(desk.getByTestId('desk-decision')).toHaveText('通过验收')
  await shot(page, 'acceptance-desk-accepted')

  await page.goto(`/items/${ids['AV2023-02']}`)
  await page.getByTestId('decision-open').click()
  const decision = page.getByTestId('decision-dialog')
  await decision.getByText('有条件通过验收').click()
  await field(page, 'decision-note').fill('三个月内补交主观评测报告')
  await decision.locator('input[type="file"]').setInputFiles(makePdf(join(tmpdir(), '验收意见.pdf')))
  await decision.getByTestId('decision-save').click()
  await expect(page.locator('.el-message-box')).toContainText('不可更改')
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await expect(page.getByTestId('acceptance-outcome')).toHaveText('有条件通过验收')
  await expect(page.getByTestId('milestone-add')).toHaveCount(0) // closed once decided
  await shot(page, 'acceptance-decided')

  await page.goto('/hall-of-fame')
  await expect(page.getByTestId('hall-table')).toContainText('潇湘音频研究院')
})
