/** Journey 3: a judge flags a submission with a reason (verifying is for scored ones, see 07); an organiser publishes the results. */
import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JUDGE, ORGANISER, apiToken, field, login, makePdf, seedContest, seedItem, seedSubmission, shot, uid } from './helpers'

test('judge flags, organiser publishes', async ({ page, request }) => {
  test.setTimeout(120_000)
  const tag = uid()
  const seeded = await seedContest(request, tag)
  const { submissionId, team, token: participant } = await seedSubmission(request, seeded.contestId, seeded.phaseId, tag)
  // the same team applies to a challenge item, for the organiser to review
  const item = await seedItem(request, tag)
  const teams = await (await request.get('/api/v1/teams/mine', { headers: { Authorization: `Bearer ${participant}` } })).json()
  const applied = await request.post(`/api/v1/challenge-items/${item.itemId}/applications`, {
    headers: { Authorization: `Bearer ${participant}` },
    multipart: { team_id: String(teams[0].id), summary: 'Our plan', proposal: { name: 'plan.pdf', mimeType: 'application/pdf', buffer: readFileSync(makePdf(join(tmpdir(), `plan-${tag}.pdf`))) } },
  })
  expect(applied.ok(), await applied.text()).toBeTruthy()

  // ---- judge
  await login(page, JUDGE)
  await page.goto(`/judge?phase=${seeded.phaseId}`)
  await expect(page.getByTestId('judge-submissions')).toContainText(team)
  // this track has no reference data, so the entry never scores: it can be flagged, not verified
  await expect(page.getByTestId(`verify-${submissionId}`)).toHaveCount(0, { timeout: 30_000 })
  await page.getByTestId(`flag-${submissionId}`).first().click()
  // the reason is required: the form says so before anything is sent
  await page.getByTestId('action-confirm').click()
  await expect(page.locator('.el-dialog .el-form-item__error')).toBeVisible()
  await field(page, 'action-reason').first().fill('Re-ran locally; matches the logs.')
  await page.getByTestId('action-confirm').click()
  await expect(page.getByTestId('judge-submissions').getByTestId('tag-flagged')).toBeVisible()
  await shot(page, 'judge-review')

  await page.getByRole('link', { name: `#${submissionId}` }).click()
  await expect(page.getByTestId('review-flagged')).toBeVisible()
  await shot(page, 'judge-submission')

  await page.getByTestId('nav-audit').click()
  await expect(page.getByTestId('audit-table')).toContainText('Re-ran locally')
  await shot(page, 'judge-audit')
  await page.getByTestId('logout').click()

  // ---- organiser
  await login(page, ORGANISER)
  // re-score the one submission with the track's evaluator version pinned, and a reason
  await page.goto(`/judge/submissions/${submissionId}`)
  await expect(page.getByTestId('rescore-submission')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('rescore-submission').click()
  await expect(page.getByTestId('rescore-version')).toContainText('1.0.0')
  await field(page, 'rescore-reason').first().fill('Evaluator 1.0.0 re-run for the final ranking.')
  const rescored = page.waitForResponse((r) => r.url().endsWith(`/judge/submissions/${submissionId}/rescore`))
  await page.getByTestId('rescore-confirm').click()
  const rescore = await rescored
  expect(rescore.status(), await rescore.text()).toBe(200)
  expect(await rescore.json()).toMatchObject({ submission_ids: [submissionId], evaluator_version: '1.0.0' })
  await expect(page.getByTestId('submission-audit')).toContainText('Evaluator 1.0.0 re-run', { timeout: 15_000 })
  await expect(page.getByTestId('rescore-submission')).toBeEnabled({ timeout: 60_000 })
  await shot(page, 'organiser-rescore')

  await page.goto(`/judge?phase=${seeded.phaseId}`)
  await page.getByTestId('op-freeze').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await expect(page.locator('.el-message--success')).toBeVisible()
  // final results can only be published once the phase has ended: end it now
  const token = await apiToken(request, ORGANISER)
  const ended = await request.patch(`/api/v1/phases/${seeded.phaseId}`, { headers: { Authorization: `Bearer ${token}` }, data: { ends_at: new Date(Date.now() + 1500).toISOString() } })
  expect(ended.ok(), await ended.text()).toBeTruthy()
  await page.waitForTimeout(2000)
  await page.reload()
  // publishing is final: the dialog is the confirmation, with the award tiers and a note
  await page.getByTestId('op-publish').click()
  await expect(page.getByTestId('award-ranks-2')).toContainText('3')
  await page.getByTestId('award-remove-2').click()
  await page.getByTestId('award-remove-1').click()
  await field(page, 'award-zh-0').first().fill('金奖')
  await field(page, 'award-en-0').first().fill('Gold')
  await field(page, 'award-prize-0').first().fill('¥100,000')
  await field(page, 'publish-note').first().fill('Final results after review.')
  await shot(page, 'organiser-publish-awards')
  const published = page.waitForResponse((r) => r.url().endsWith(`/phases/${seeded.phaseId}/publish`))
  await page.getByTestId('publish-confirm').click()
  const res = await published
  expect(res.status(), await res.text()).toBe(200)
  expect(res.request().postDataJSON()).toEqual({ awards: [{ label_zh: '金奖', label_en: 'Gold', count: 1, prize: '¥100,000' }], note: 'Final results after review.' })
  const version = await res.json()
  expect(version.note).toBe('Final results after review.')
  expect(version.board.awards).toEqual([{ label_zh: '金奖', label_en: 'Gold', count: 1, prize: '¥100,000' }])
  await page.getByRole('tab', { name: /排行榜|Leaderboard/ }).click()
  await expect(page.getByTestId('lb-published')).toBeVisible()
  await shot(page, 'organiser-publish')

  // ---- the public track page shows the published board
  await page.goto(`/tracks/${seeded.trackId}`)
  await expect(page.getByTestId('track-title')).toBeVisible()
  await page.goto('/hall-of-fame')
  await expect(page.locator('h1')).toBeVisible()
  await shot(page, 'hall-of-fame')
  // ---- application review: award it
  await page.goto(`/admin/items/${item.itemId}/applications`)
  await expect(page.getByTestId('applications-table')).toContainText(team)
  await page.getByTestId('app-shortlist').click()
  await expect(page.locator('.el-message-box')).toContainText(item.code)
  await page.locator('.el-message-box input').fill('方案完整')
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await expect(page.getByTestId('applications-table').locator('[data-status="shortlisted"]')).toBeVisible()
  await page.getByTestId('app-award').click()
  await expect(page.locator('.el-message-box')).toContainText(item.code)
  await page.locator('.el-message-box input').fill('指标达成')
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await expect(page.getByTestId('applications-table').locator('[data-status="awarded"]')).toBeVisible()
  await shot(page, 'admin-applications')
  await page.goto('/admin/health')
  await expect(page.getByTestId('health')).toBeVisible()
  await expect(page.getByTestId('readiness')).toContainText('数据库')
  await shot(page, 'admin-health')
})
