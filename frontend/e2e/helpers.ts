import { expect, type APIRequestContext, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const SHOTS = resolve(here, '../../test-artifacts/screenshots')
mkdirSync(SHOTS, { recursive: true })

export const ORGANISER = { email: 'organiser@e2e.test', password: 'organiser-pass-1' }
export const JUDGE = { email: 'judge@e2e.test', password: 'judge-pass-1' }

export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined)
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
}

export async function login(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/login')
  await page.getByTestId('login-email').locator('input').fill(who.email)
  await page.getByTestId('login-password').locator('input').fill(who.password)
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
