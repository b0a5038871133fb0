/** Issue 16, Codabench's "migrate" button: on the contest's admin page the organiser opens the
 * migration of a phase that follows another, reads how many ranked submissions it will copy and
 * from where, confirms, reads the result; pressing it again offers nothing to copy (none is
 * migrated twice) and both runs are in the audit log. A team member may not migrate. */
import { expect, test } from '@playwright/test'
import { ORGANISER, apiToken, login, shot, uid } from './helpers'

test('an organiser migrates the previous phase\'s ranked submissions by hand, once', async ({ page, request }) => {
  const tag = uid()
  const headers = { Authorization: `Bearer ${await apiToken(request, ORGANISER)}` }
  const contests = await (await request.get('/api/v1/contests', { headers })).json()
  const demo = contests.find((c: { slug: string }) => c.slug === 'malanshan-demo')
  const [track] = await (await request.get(`/api/v1/contests/${demo.id}/tracks`, { headers })).json()
  const [source] = await (await request.get(`/api/v1/tracks/${track.id}/phases`, { headers })).json()
  const ends = new Date(source.ends_at).getTime()
  const made = await request.post(`/api/v1/tracks/${track.id}/phases`, {
    headers,
    data: { slug: `final-${tag}`, title_zh: `决赛 ${tag}`, title_en: `Final ${tag}`, starts_at: new Date(ends + 3600_000).toISOString(), ends_at: new Date(ends + 30 * 86400_000).toISOString() },
  })
  expect(made.ok(), await made.text()).toBeTruthy()
  const final = await made.json()
  const preview = await (await request.get(`/api/v1/phases/${final.id}/migration`, { headers })).json()
  expect(preview.source_phase_id).toBe(source.id)
  expect(preview.pending).toBeGreaterThan(0) // the demo teams' scored baselines
  const count = preview.pending

  await login(page, ORGANISER) // the demo organiser reads Chinese
  await page.goto(`/admin/contests/${demo.id}`)
  await expect(page.getByTestId(`migrate-phase-${source.id}`)).toHaveCount(0) // the first phase has nothing before it
  await page.getByTestId(`migrate-phase-${final.id}`).click()
  const dialog = page.getByTestId('migrate-dialog')
  await expect(dialog.getByTestId('migrate-pending')).toHaveText(String(count))
  await expect(dialog.getByTestId('migrate-question')).toContainText(`${count} 个上榜提交复制到“决赛 ${tag}”`)
  await expect(dialog.getByTestId('migrate-question')).toContainText(source.title_zh)
  await shot(page, 'phase-migration-confirm')
  await dialog.getByTestId('migrate-confirm').click()
  await expect(dialog.getByTestId('migrate-result')).toHaveText(`已迁移 ${count} 个提交，正在排队评测。`)
  await shot(page, 'phase-migration-done')
  await dialog.getByTestId('migrate-close').click()
  await expect(dialog).toBeHidden()

  // a second press: nothing left to copy, the confirm button stays disabled
  await page.getByTestId(`migrate-phase-${final.id}`).click()
  await expect(dialog.getByTestId('migrate-nothing')).toBeVisible()
  await expect(dialog.getByTestId('migrate-pending')).toHaveText('0')
  await expect(dialog.getByTestId('migrate-confirm')).toBeDisabled()
  const mine = await (await request.get(`/api/v1/judge/phases/${final.id}/submissions`, { headers })).json()
  expect(mine.length).toBe(count)
  const again = await (await request.post(`/api/v1/phases/${final.id}/migration`, { headers })).json()
  expect(again.migrated).toEqual([])
  const audit = await (await request.get('/api/v1/judge/audit', { headers, params: { phase_id: final.id } })).json()
  expect(audit.filter((a: { action: string }) => a.action === 'phase.migrate').length).toBe(2)

  // a participant may not press it
  const who = { email: `mig-${tag}@example.com`, password: 'participant-pass-1' }
  expect((await request.post('/api/v1/auth/register', { data: { ...who, display_name: `Mig ${tag}` } })).ok()).toBeTruthy()
  const theirs = { Authorization: `Bearer ${await apiToken(request, who)}` }
  expect((await request.post(`/api/v1/phases/${final.id}/migration`, { headers: theirs })).status()).toBe(403)
})
