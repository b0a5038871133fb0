/** Journey (issue 14, 1): an anonymous visitor finds the running contest under "running" and the
 * finished 2023 edition with its final board (awards, prizes, verification) and the hall of fame. */
import { expect, test } from '@playwright/test'
import { shot } from './helpers'

for (const locale of ['zh-CN', 'en'] as const) {
  test.describe(`visitor (${locale})`, () => {
    test.use({ locale: locale === 'en' ? 'en-US' : 'zh-CN' })
    const zh = locale === 'zh-CN'

    test(`running and past contests, the final board and the hall of fame (${locale})`, async ({ page }) => {
      await page.goto('/')
      // grouped by phase dates: the demo runs now, the 2023 edition is over
      await expect(page.getByTestId('contests-running').getByTestId('contest-card-malanshan-demo')).toBeVisible()
      await expect(page.getByTestId('contests-past').getByTestId('contest-card-malanshan-2023')).toBeVisible()
      await expect(page.getByTestId('contest-card-malanshan-demo')).toContainText(zh ? '进行中' : 'Running')
      await expect(page.locator('.hero')).toContainText(zh ? '马栏山杯' : 'Malanshan Cup')
      await expect(page.locator('.app-footer')).toContainText(zh ? '马栏山杯' : 'Malanshan Cup')
      await shot(page, `home-stages-${locale}`)

      await page.getByTestId('contest-card-malanshan-2023').click()
      await page.getByTestId('track-card-vqa').click()
      // published: the final ranking is what the board shows first
      const final = page.getByTestId('final-board')
      await expect(final).toBeVisible()
      await expect(page.getByTestId('final-title')).toContainText(zh ? '最终结果' : 'Final results')
      await expect(final.getByTestId('lb-award').first()).toContainText(zh ? '一等奖' : 'First prize')
      await expect(final.getByTestId('lb-prize').first()).toContainText('¥100,000')
      await expect(final.getByTestId('lb-verified').first()).toBeVisible()
      await expect(page.getByTestId('tie-rule').or(page.getByTestId('tie-rule-applied'))).toContainText(zh ? '并列规则' : 'Tie-break rule')
      await shot(page, `final-board-${locale}`)
      // the public board is one tab away
      await page.getByTestId('board-public').click()
      await expect(page.getByTestId('leaderboard')).toBeVisible()
      await expect(page.getByTestId('final-board')).toHaveCount(0)

      await page.goto('/hall-of-fame')
      const hall = page.getByTestId('hall-table')
      await expect(hall).toContainText(zh ? '一等奖' : 'First prize')
      await expect(hall).toContainText('2023')
      await shot(page, `hall-of-fame-${locale}`)
    })
  })
}
