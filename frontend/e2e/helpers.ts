import { expect, type APIRequestContext, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const SHOTS = resolve(here, '../../test-artifacts/screenshots')
mkdirSync(SHOTS, { recursive: true })

export const ORGANISER = { email: 'organiser@example.com', password: 'organiser-pass-1' }
export const JUDGE = { email: 'judge@example.com', password: 'judge-pass-1' }

export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined)
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

/** An organiser-made, published contest with one track and one open phase. */
export async function seedContest(request: APIRequestContext, tag = uid()): Promise<{ contestId: number; trackId: number; phaseId: number; slug: string }> {
  const token = await apiToken(request, ORGANISER)
  const headers = { Authorization: `Bearer ${token}` }
  const slug = `cup-${tag}`
  const contest = await (await request.post('/api/v1/contests', { headers, data: { slug, title_zh: `麦浪山杯 ${tag}`, title_en: `Malanshan Cup ${tag}`, edition: '2026', year: new Date().getFullYear(), description_zh: '视频编码赛题。', description_en: 'Video coding challenge.' } })).json()
  const track = await (await request.post(`/api/v1/contests/${contest.id}/tracks`, { headers, data: { slug: 'codec', title_zh: '视频编码赛道', title_en: 'Video coding track', evaluator_key: 'video_codec_rd', evaluator_version: '1.0.0' } })).json()
  const now = Date.now()
  const phase = await (await request.post(`/api/v1/tracks/${track.id}/phases`, { headers, data: { slug: 'dev', title_zh: '开发阶段', title_en: 'Development', starts_at: new Date(now - 86400_000).toISOString(), ends_at: new Date(now + 30 * 86400_000).toISOString(), submission_rule: 'selected' } })).json()
  const pub = await request.post(`/api/v1/contests/${contest.id}/publish`, { headers })
  expect(pub.ok()).toBeTruthy()
  return { contestId: contest.id, trackId: track.id, phaseId: phase.id, slug }
}

/** The text box of an Element Plus field, whether the test id sits on the input or its wrapper. */
export function field(page: Page, testid: string) {
  return page.locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`)
}
