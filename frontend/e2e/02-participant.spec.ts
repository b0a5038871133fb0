/** Journey 1: a participant registers, forms a team, submits with a visible progress bar and follows the real status. */
import { expect, test } from '@playwright/test'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { choose, field, makeArchive, makePdf, seedContest, seedItem, shot, uid } from './helpers'

/** How long to wait for the pipeline to settle a submission (E2E_SCORE_WAIT_MS). */
const SCORE_WAIT_MS = Number(process.env.E2E_SCORE_WAIT_MS ?? 120_000)

test('participant registers, forms a team and submits', async ({ page, request }) => {
  test.setTimeout(300_000)
  const t0 = Date.now()
  const mark = (what: string) => console.log(`[participant] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  const tag = uid()
  const seeded = await seedContest(request, tag)

  // ---- register (validation as you type, then the real thing)
  await page.goto('/register')
  await field(page, 'reg-email').first().fill('not-an-email')
  await expect(page.locator('.el-form-item__error').first()).toBeVisible()
  await shot(page, 'register')
  await field(page, 'reg-email').first().fill(`p-${tag}@example.com`)
  await field(page, 'reg-name').first().fill(`Player ${tag}`)
  await field(page, 'reg-password').first().fill('participant-pass-1')
  await page.getByTestId('reg-submit').click()
  await expect(page).toHaveURL(/\/teams/)
  await expect(page.getByTestId('whoami')).toHaveText(`Player ${tag}`)

  mark('registered')
  // ---- team
  await choose(page, 'team-contest', tag)
  await field(page, 'team-name').first().fill(`Team ${tag}`)
  await page.getByTestId('team-create').click()
  await expect(page.getByTestId(`team-Team ${tag}`)).toBeVisible()
  await expect(page.getByTestId('invite-code')).toHaveText(/\w{6,}/)
  await shot(page, 'teams')

  mark('team formed')
  // ---- apply to a challenge item with a PDF proposal
  const item = await seedItem(request, tag)
  await page.goto(`/items/${item.itemId}`)
  await page.getByTestId('apply-open').click()
  await field(page, 'apply-summary').first().fill('We propose a 2 ms-latency codec.')
  await page.getByTestId('apply-file').locator('input[type=file]').setInputFiles(makePdf(join(tmpdir(), `proposal-${tag}.pdf`)))
  await page.getByTestId('apply-submit').click()
  await expect(page.locator('.el-message--success')).toBeVisible()
  await page.getByTestId('nav-applications').click()
  await expect(page.getByText(`proposal-${tag}.pdf`)).toBeVisible()
  await shot(page, 'my-applications')

  mark('applied')
  // ---- submit: 3 parts of 16 MiB; the last part's connection keeps dropping until we resume
  await page.goto(`/tracks/${seeded.trackId}`)
  await page.getByTestId('submit-dev').click()
  await expect(page.getByTestId('quota')).toBeVisible()
  const archive = makeArchive(join(tmpdir(), `jiebang-e2e-${tag}.zip`), 33)
  const dropPart3 = (route: import('@playwright/test').Route) => route.abort('connectionreset')
  await page.route('**/api/v1/uploads/*/parts/3', dropPart3)
  await page.getByTestId('dropzone').locator('input[type=file]').setInputFiles(archive)
  await expect(page.getByTestId('chosen-file')).toContainText('.zip')
  await page.getByTestId('submit-start').click()
  await expect(page.getByTestId('upload-progress')).toBeVisible()
  await expect(page.getByTestId('sha256')).toHaveText(/^[0-9a-f]{64}$/, { timeout: 30_000 })
  await expect(page.getByTestId('upload-error')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('submit-resume')).toBeVisible()
  await shot(page, 'submit-interrupted')
  mark('upload interrupted')
  await page.unroute('**/api/v1/uploads/*/parts/3', dropPart3)
  await page.getByTestId('submit-resume').click()
  await expect(page.getByTestId('view-submission')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('upload-error')).toHaveCount(0)
  await shot(page, 'submit')
  await page.getByTestId('view-submission').click()

  mark('uploaded')
  // ---- the submission above went to a track without reference data: the real pipeline says so
  const status = page.getByTestId('submission-status')
  await expect(status).toBeVisible()
  await expect(status).toHaveAttribute('data-status', /queued|running|failed/)
  await shot(page, 'submission')

  // ---- a real codec submission to the demo contest: scored by the sandboxed pipeline, RD chart shown
  const contests = await (await request.get('/api/v1/contests')).json()
  const demo = contests.find((c: { slug: string }) => c.slug === 'malanshan-demo')
  const tracks = await (await request.get(`/api/v1/contests/${demo.id}/tracks`)).json()
  const codec = tracks.find((t: { slug: string }) => t.slug === 'codec')
  await page.goto('/teams')
  // the running demo, not the finished 2023 edition (whose title says so)
  await choose(page, 'team-contest', /（演示）$|\(demo\)$/)
  await field(page, 'team-name').first().fill(`Codec ${tag}`)
  await page.getByTestId('team-create').click()
  await expect(page.getByTestId(`team-Codec ${tag}`)).toBeVisible()
  await page.goto(`/tracks/${codec.id}`)
  await page.getByTestId('submit-dev').click()
  await page.getByTestId('dropzone').locator('input[type=file]').setInputFiles(join('..', 'test-artifacts', 'e2e-codec-submission.tar'))
  await page.getByTestId('submit-start').click()
  await expect(page.getByTestId('view-submission')).toBeVisible({ timeout: 60_000 })
  await page.getByTestId('view-submission').click()
  await expect(page.getByTestId('submission-status')).toHaveAttribute('data-status', 'scored', { timeout: SCORE_WAIT_MS })
  await expect(page.getByTestId('scores')).toBeVisible()
  await expect(page.getByTestId('echart').locator('canvas')).toBeVisible()
  mark('scored')
  await shot(page, 'submission-scored')

  await page.goto(`/phases/${seeded.phaseId}/submissions`)
  await expect(page.getByTestId('my-submissions')).toBeVisible()
  await shot(page, 'my-submissions')

  mark('render check done')
  // ---- phone width: the core pages still work at 375 px
  await page.setViewportSize({ width: 375, height: 800 })
  await page.goto(`/phases/${seeded.phaseId}/submit`)
  await expect(page.getByTestId('dropzone')).toBeVisible()
  await shot(page, 'phone-submit')
  await page.getByTestId('menu-button').click()
  await expect(page.locator('.drawer-nav')).toBeVisible()
  await shot(page, 'phone-menu')
})
