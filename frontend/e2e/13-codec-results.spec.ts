/** The codec submission page: per-sequence BD-rates of the public split for the team (page and
 * CSV), every split for judges; Ladder mode explained on the phase. Uses the seeded demo. */
import { expect, test, type APIRequestContext } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { ORGANISER, apiToken, login, shot } from './helpers'

const PARTICIPANT = { email: 'participant@demo.jiebang.org', password: 'jiebang-demo-2024' }

async function get<T>(request: APIRequestContext, path: string, token?: string): Promise<T> {
  const res = await request.get(`/api/v1${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  expect(res.ok(), `${path}: ${res.status()}`).toBeTruthy()
  return (await res.json()) as T
}

async function codecPhase(request: APIRequestContext): Promise<{ trackId: number; phaseId: number; submissionId: number }> {
  const token = await apiToken(request, PARTICIPANT)
  const demo = (await get<{ id: number; slug: string }[]>(request, '/contests')).find((c) => c.slug === 'malanshan-demo')!
  const codec = (await get<{ id: number; slug: string }[]>(request, `/contests/${demo.id}/tracks`)).find((tk) => tk.slug === 'codec')!
  const phase = (await get<{ id: number }[]>(request, `/tracks/${codec.id}/phases`))[0]
  const subs = await get<{ id: number; status: string }[]>(request, `/phases/${phase.id}/submissions/mine`, token)
  const scored = subs.find((s) => s.status === 'scored')
  expect(scored, 'the demo scores a codec baseline for the participant').toBeTruthy()
  return { trackId: codec.id, phaseId: phase.id, submissionId: scored!.id }
}

test.use({ locale: 'en-US' })

test('the team sees the public split per sequence, the judge every split', async ({ page, request }) => {
  const { submissionId } = await codecPhase(request)
  await login(page, PARTICIPANT)
  await page.goto(`/submissions/${submissionId}`)
  const table = page.getByTestId('codec-sequence-table')
  await expect(table).toContainText('astronaut')
  // the page follows the account's saved language: check what reads the same in both
  await expect(table).toContainText(/BD-rate PSNR-YUV.*libx265/)
  await expect(table).not.toContainText('coffee10')
  await shot(page, 'codec-results-team')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('codec-csv').click()])
  const csv = readFileSync((await download.path())!, 'utf8')
  expect(csv.split('\n')[0]).toContain('bd_rate')
  expect(csv).toContain('astronaut')
  expect(csv).not.toContain('coffee10')

  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await login(page, ORGANISER)
  await page.goto(`/judge/submissions/${submissionId}`)
  const all = page.getByTestId('codec-sequence-table')
  await expect(all).toContainText('astronaut')
  await expect(all).toContainText('coffee10')
  await expect(all).toContainText(/Private|私有/)
  await shot(page, 'codec-results-judge')
})

test('a phase in Ladder mode says so, with its threshold', async ({ page, request }) => {
  const { trackId, phaseId } = await codecPhase(request)
  const headers = { Authorization: `Bearer ${await apiToken(request, ORGANISER)}` }
  const set = async (value: number | null) => expect((await request.patch(`/api/v1/phases/${phaseId}`, { headers, data: { ladder_threshold: value } })).ok()).toBeTruthy()
  await set(0.5)
  try {
    await page.goto(`/tracks/${trackId}?tab=overview`)
    const note = page.locator('[data-testid^="ladder-"]').first()
    await expect(note).toContainText(/Ladder/)
    await expect(page.getByTestId('ladder-threshold').first()).toContainText('0.5')
    await expect(note).toContainText(/beats the score shown by more than 0\.5|好出 0\.5 以上/)
    await shot(page, 'ladder-note')
  } finally {
    await set(null)
  }
})
