import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const SHOTS = resolve(here, '../../test-artifacts/screenshots')
mkdirSync(SHOTS, { recursive: true })

export const ORGANISER = { email: 'organiser@example.com', password: 'organiser-pass-1' }
export const JUDGE = { email: 'judge@example.com', password: 'judge-pass-1' }

export async function shot(page: Page, name: string): Promise<void> {
  // pages are ready when their skeletons are gone
  await page.locator('.el-skeleton').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined)
  await page.waitForTimeout(400) // let tag and dialog transitions settle
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
}

export async function login(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/login')
  await field(page, 'login-email').first().fill(who.email)
  await field(page, 'login-password').first().fill(who.password)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('whoami')).toBeVisible()
}

export async function apiToken(request: APIRequestContext, who: { email: string; password: string }): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: who })
  expect(res.ok()).toBeTruthy()
  return (await res.json()).access_token
}

/** Pick an option of an el-select by its visible label. */
export async function choose(page: Page, testid: string, label: string | RegExp): Promise<void> {
  await page.getByTestId(testid).click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: label }).first().click()
}

export const uid = () => Math.random().toString(36).slice(2, 8)

/** Go to a page through its nav entry (by test id). The organiser's pages (nav-admin-lists,
 * nav-admin-contests, nav-health, nav-roles; an organiser's nav-audit) sit in the nav's "Manage"
 * menu (App.vue): while the entry is hidden, open the menu, then click it. */
export async function navTo(page: Page, testid: string): Promise<void> {
  const entry = page.getByTestId(testid)
  await expect(async () => {
    if (!(await entry.isVisible())) await page.getByTestId('nav-manage').click({ timeout: 1000 })
    await expect(entry).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await entry.click()
}

/** Publishing a contest asks first, naming it with its tracks and phases: click `button`
 * (the contest page's, or a check panel's) and confirm. */
export async function publishContest(page: Page, button: Locator = page.getByTestId('publish-contest')): Promise<void> {
  await button.click()
  const box = page.locator('.el-message-box')
  await expect(box).toContainText(/track|赛道/)
  await box.locator('.el-message-box__btns .el-button--primary').click()
}

/** An organiser-made, published contest with one track and one open phase. */
export async function seedContest(request: APIRequestContext, tag = uid()): Promise<{ contestId: number; trackId: number; phaseId: number; slug: string }> {
  const token = await apiToken(request, ORGANISER)
  const headers = { Authorization: `Bearer ${token}` }
  const slug = `cup-${tag}`
  const contest = await (await request.post('/api/v1/contests', { headers, data: { slug, title_zh: `马栏山杯 ${tag}`, title_en: `Malanshan Cup ${tag}`, edition: '2026', year: new Date().getFullYear(), description_zh: '视频编码赛题。', description_en: 'Video coding challenge.' } })).json()
  const track = await (await request.post(`/api/v1/contests/${contest.id}/tracks`, { headers, data: { slug: 'codec', title_zh: '视频编码赛道', title_en: 'Video coding track', evaluator_key: 'video_codec_rd', evaluator_version: '1.0.0' } })).json()
  const now = Date.now()
  const phase = await (await request.post(`/api/v1/tracks/${track.id}/phases`, { headers, data: { slug: 'dev', title_zh: '开发阶段', title_en: 'Development', starts_at: new Date(now - 86400_000).toISOString(), ends_at: new Date(now + 30 * 86400_000).toISOString(), submission_rule: 'selected' } })).json()
  const pub = await request.post(`/api/v1/contests/${contest.id}/publish`, { headers })
  expect(pub.ok()).toBeTruthy()
  return { contestId: contest.id, trackId: track.id, phaseId: phase.id, slug }
}

/** The text box of an Element Plus field, whether the test id sits on the input or its wrapper;
 * looked for in the page or in one part of it (a dialog, a table row). */
export function field(page: Page | Locator, testid: string) {
  return page.locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`)
}

/** A small results archive in the video_codec_rd layout (<sequence>/r<k>.264), made with Python's zipfile. */
export function makeArchive(path: string, sizeMiB = 6): string {
  const py = `
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_STORED) as z:
    for k in range(1, 5):
        z.writestr(f'foreman/r{k}.264', os.urandom(int(float(sys.argv[2]) * 1024 * 1024 / 4)))
`
  execFileSync(resolve(here, '../../.venv/bin/python'), ['-c', py, path, String(sizeMiB)])
  return path
}

/** A participant with a team in the contest and one uploaded submission, all through the API. */
export async function seedSubmission(request: APIRequestContext, contestId: number, phaseId: number, tag = uid()): Promise<{ submissionId: number; team: string; token: string }> {
  const email = `s-${tag}@example.com`
  const password = 'participant-pass-1'
  expect((await request.post('/api/v1/auth/register', { data: { email, display_name: `Solver ${tag}`, password } })).ok()).toBeTruthy()
  const token = await apiToken(request, { email, password })
  const headers = { Authorization: `Bearer ${token}` }
  const team = `Squad ${tag}`
  expect((await request.post(`/api/v1/contests/${contestId}/teams`, { headers, data: { name: team } })).ok()).toBeTruthy()
  const archive = makeArchive(join(tmpdir(), `jiebang-seed-${tag}.zip`), 1)
  const bytes = readFileSync(archive)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const created = await request.post(`/api/v1/phases/${phaseId}/submissions`, { headers, data: { filename: 'seed.zip', size: bytes.length, sha256 } })
  expect(created.ok()).toBeTruthy()
  const { submission, upload } = await created.json()
  const parts: { number: number; etag: string }[] = []
  for (const part of upload.parts as { number: number; url: string }[]) {
    const chunk = bytes.subarray((part.number - 1) * upload.part_size, part.number * upload.part_size)
    const put = await request.put(part.url, { headers: { ...headers, 'Content-Type': 'application/octet-stream' }, data: chunk })
    expect(put.ok()).toBeTruthy()
    parts.push({ number: part.number, etag: (await put.json()).etag })
  }
  expect((await request.post(`/api/v1/submissions/${submission.id}/complete`, { headers, data: { parts } })).ok()).toBeTruthy()
  return { submissionId: submission.id, team, token }
}

/** A published challenge list with one open item, made by the organiser through the API. */
export async function seedItem(request: APIRequestContext, tag = uid()): Promise<{ itemId: number; code: string }> {
  const token = await apiToken(request, ORGANISER)
  const headers = { Authorization: `Bearer ${token}` }
  // one list per year: reuse this year's if an earlier journey already made it
  const year = new Date().getFullYear()
  const made = await request.post('/api/v1/challenge-lists', { headers, data: { year, title_zh: `榜单 ${tag}`, title_en: `List ${tag}` } })
  const list = made.ok()
    ? await made.json()
    : ((await (await request.get('/api/v1/challenge-lists', { headers })).json()) as { id: number; year: number }[]).find((l) => l.year === year)!
  const code = `IT-${tag}`
  const item = await (await request.post(`/api/v1/challenge-lists/${list.id}/items`, {
    headers,
    data: {
      code, title_zh: '超低延迟音频编码', title_en: 'Ultra-low-latency audio coding', category: 'audio', application_deadline: new Date(Date.now() + 30 * 86400_000).toISOString(),
      reward_zh: '50 万元', reward_en: 'CNY 500k',
      targets: [{ metric: 'latency_ms', comparator: '<=', threshold: 5, unit: 'ms', note_zh: '端到端', note_en: 'end to end' }],
    },
  })).json()
  if ((list as { status?: string }).status !== 'published') {
    expect((await request.put(`/api/v1/challenge-lists/${list.id}/status`, { headers, data: { status: 'published' } })).ok()).toBeTruthy()
  }
  return { itemId: item.id, code }
}

/** A tiny but well-formed PDF. */
export function makePdf(path: string): string {
  const body = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
  writeFileSync(path, body)
  return path
}
