/** Journey (issue 14, 2): a team gets the data from the Data tab, submits the sample submission and
 * sees it scored in its list, then uploads a text file named .zip and reads the specific message. */
import { expect, test } from '@playwright/test'
import { statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apiToken, field, login, shot, uid } from './helpers'

const SCORE_WAIT_MS = Number(process.env.E2E_SCORE_WAIT_MS ?? 180_000)

test('participant: Data tab downloads, the sample scores, a fake zip is refused in words', async ({ page, request }) => {
  test.setTimeout(420_000)
  const tag = uid()
  const who = { email: `d-${tag}@example.com`, password: 'participant-pass-1' }
  expect((await request.post('/api/v1/auth/register', { data: { email: who.email, display_name: `Data ${tag}`, password: who.password, locale: 'zh-CN' } })).ok()).toBeTruthy()
  const token = await apiToken(request, who)
  const contests = await (await request.get('/api/v1/contests')).json()
  const demo = contests.find((c: { slug: string }) => c.slug === 'malanshan-demo')
  expect((await request.post(`/api/v1/contests/${demo.id}/teams`, { headers: { Authorization: `Bearer ${token}` }, data: { name: `Data team ${tag}` } })).ok()).toBeTruthy()
  const tracks = await (await request.get(`/api/v1/contests/${demo.id}/tracks`)).json()
  const codec = tracks.find((tk: { slug: string }) => tk.slug === 'codec')
  const phases = await (await request.get(`/api/v1/tracks/${codec.id}/phases`)).json()
  const phaseId = phases.find((p: { slug: string }) => p.slug === 'dev')?.id ?? phases[0].id

  await login(page, who)
  await page.goto(`/tracks/${codec.id}`)
  await page.getByTestId('tab-data').click()
  await expect(page.getByTestId('data-files')).toBeVisible()
  await expect(page.getByTestId('data-files').locator('tbody tr').first()).toBeVisible()
  await expect(page.getByTestId('data-layout')).toBeVisible()
  await expect(page.getByTestId('data-cli')).toContainText('jiebang submit malanshan-demo/codec')
  // teams never see the hidden reference
  await expect(page.getByTestId('data-hidden')).toHaveCount(0)
  await shot(page, 'track-data')

  // the whole development kit, then the sample submission
  const [kit] = await Promise.all([page.waitForEvent('download'), page.getByTestId('data-download-all').click()])
  const kitPath = join(tmpdir(), `devkit-${tag}-${kit.suggestedFilename()}`)
  await kit.saveAs(kitPath)
  expect(statSync(kitPath).size).toBeGreaterThan(0)
  const [sample] = await Promise.all([page.waitForEvent('download'), page.getByTestId('data-sample').click()])
  const samplePath = join(tmpdir(), `${tag}-${sample.suggestedFilename()}`)
  await sample.saveAs(samplePath)
  expect(statSync(samplePath).size).toBeGreaterThan(0)

  // submit the sample as it is: it scores
  await page.goto(`/tracks/${codec.id}?tab=overview`)
  await page.getByTestId('submit-dev').click()
  await expect(page.getByTestId('quota-scoring')).toBeVisible()
  await expect(page.getByTestId('quota-rule')).toContainText('失败尝试')
  await page.getByTestId('dropzone').locator('input[type=file]').setInputFiles(samplePath)
  await field(page, 'submit-description').first().fill('基线原样提交')
  await page.getByTestId('submit-start').click()
  await expect(page.getByTestId('view-submission')).toBeVisible({ timeout: 60_000 })
  await page.getByTestId('view-submission').click()
  await expect(page.getByTestId('submission-status')).toHaveAttribute('data-status', 'scored', { timeout: SCORE_WAIT_MS })
  await page.goto(`/phases/${phaseId}/submissions`)
  const list = page.getByTestId('my-submissions')
  await expect(list.locator('[data-status="scored"]').first()).toBeVisible()
  await expect(list.locator('[data-testid^="score-"]').first()).toHaveText(/^-?\d+\.\d+$/)
  await expect(list).toContainText('基线原样提交') // the team's note
  await shot(page, 'my-submissions-scored')

  // a text file named .zip: refused on arrival, with words a team can act on
  const fake = join(tmpdir(), `results-${tag}.zip`)
  writeFileSync(fake, 'these are my results, honestly\n')
  await page.goto(`/phases/${phaseId}/submit`)
  await page.getByTestId('dropzone').locator('input[type=file]').setInputFiles(fake)
  await page.getByTestId('submit-start').click()
  await expect(page.getByText(/不是 zip（或 tar）压缩包/).first()).toBeVisible({ timeout: 60_000 })
  await shot(page, 'submit-not-a-zip')
  await page.goto(`/phases/${phaseId}/submissions`)
  await expect(page.getByTestId('my-submissions')).toContainText(/不是 zip（或 tar）压缩包/, { timeout: 30_000 })
})
