/** Journey (issue 14, 3): a judge sees publishing refused, with its reason and date, on a running
 * phase; on a phase that has ended (the fixture moves its end), verifies the leaders, publishes
 * with award tiers and prizes, and an anonymous visitor then sees the final board. */
import { expect, test, type Page } from '@playwright/test'
import { JUDGE, ORGANISER, apiToken, field, login, shot } from './helpers'

async function verify(page: Page, submissionId: number): Promise<void> {
  // the submissions tab's button (the leaderboard tab, hidden, has one too)
  await page.getByTestId('judge-submissions').getByTestId(`verify-${submissionId}`).click()
  // the open dialog's own fields (each row's actions keep a closed dialog of their own)
  const dialog = page.locator('.el-dialog:visible')
  await dialog.locator('textarea[data-testid="action-reason"], [data-testid="action-reason"] textarea').fill('Re-ran the baseline locally; the scores match.')
  await dialog.getByTestId('action-confirm').click()
  await expect(page.locator('.el-dialog:visible')).toHaveCount(0)
}

test('judge: publish refused while running; verified and published once ended; visitors see the awards', async ({ page, request }) => {
  test.setTimeout(240_000)
  const contests = await (await request.get('/api/v1/contests')).json()
  const demo = contests.find((c: { slug: string }) => c.slug === 'malanshan-demo')
  const tracks = await (await request.get(`/api/v1/contests/${demo.id}/tracks`)).json()
  const phaseOf = async (slug: string) => {
    const track = tracks.find((tk: { slug: string }) => tk.slug === slug)
    const phases = await (await request.get(`/api/v1/tracks/${track.id}/phases`)).json()
    return { track, phase: phases.find((p: { slug: string }) => p.slug === 'dev') ?? phases[0] }
  }
  const running = await phaseOf('codec')
  const ending = await phaseOf('restoration')

  // ---- a running phase: the button is there, disabled, and says why and from when
  await login(page, JUDGE)
  await page.goto(`/judge?phase=${running.phase.id}`)
  await expect(page.getByTestId('op-publish')).toBeDisabled()
  await expect(page.getByTestId('publish-reason')).toContainText(/阶段结束后/)
  await expect(page.getByTestId('publish-reason')).toContainText(/\d{4}/)
  await shot(page, 'judge-publish-disabled')

  // ---- the fixture ends the restoration phase (its three baselines are scored)
  const organiser = await apiToken(request, ORGANISER)
  const moved = await request.patch(`/api/v1/phases/${ending.phase.id}`, { headers: { Authorization: `Bearer ${organiser}` }, data: { freeze_at: null, ends_at: new Date(Date.now() + 1500).toISOString() } })
  expect(moved.ok(), await moved.text()).toBeTruthy()
  await page.waitForTimeout(2000)

  const judge = await apiToken(request, JUDGE)
  const board = await (await request.get(`/api/v1/phases/${ending.phase.id}/leaderboard?split=private`, { headers: { Authorization: `Bearer ${judge}` } })).json()
  const leaders: number[] = board.rows.slice(0, 3).map((r: { submission_id: number }) => r.submission_id)
  expect(leaders.length).toBeGreaterThan(0)

  await page.goto(`/judge?phase=${ending.phase.id}`)
  await expect(page.getByTestId('judge-submissions')).toBeVisible()
  // the console: metric groups with public / private halves, and the time of each entry
  await expect(page.getByTestId('judge-submissions').locator('th')).toContainText(['公开', '私有'])
  await expect(page.getByTestId('judge-created').first()).toBeVisible()
  for (const id of leaders) await verify(page, id)
  for (const id of leaders) {
    const row = page.getByTestId('judge-submissions').locator('tr').filter({ has: page.getByRole('link', { name: `#${id}`, exact: true }) })
    await expect(row.getByTestId('tag-verified')).toBeVisible()
  }
  await page.getByTestId('filter-unverified').click()
  for (const id of leaders) await expect(page.getByTestId(`verify-${id}`)).toHaveCount(0)
  await page.getByTestId('filter-unverified').click()

  await expect(page.getByTestId('op-publish')).toBeEnabled()
  await page.getByTestId('op-publish').click()
  await expect(page.getByTestId('publish-dialog')).toBeVisible()
  await field(page, 'award-prize-0').first().fill('¥100,000')
  await field(page, 'award-prize-1').first().fill('¥50,000')
  await field(page, 'publish-note').first().fill('开发阶段最终结果 / final results of the development phase')
  const published = page.waitForResponse((r) => r.url().endsWith(`/phases/${ending.phase.id}/publish`))
  await page.getByTestId('publish-confirm').click()
  const res = await published
  expect(res.status(), await res.text()).toBe(200)
  await shot(page, 'judge-published')
  await page.getByTestId('logout').click()

  // ---- an anonymous visitor: the final board with award tiers and prizes, by default
  await page.goto(`/tracks/${ending.track.id}`)
  const final = page.getByTestId('final-board')
  await expect(final).toBeVisible()
  await expect(final.getByTestId('lb-award').first()).toContainText('一等奖')
  await expect(final.getByTestId('lb-prize').first()).toContainText('¥100,000')
  await expect(final.getByTestId('lb-verified').first()).toBeVisible()
  await shot(page, 'visitor-final-board')
})
