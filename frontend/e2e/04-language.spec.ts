/** Journey 4: the language follows the browser, then the switcher, and is saved to the profile. */
import { expect, test } from '@playwright/test'
import { apiToken, choose, field, shot, uid } from './helpers'

test.use({ locale: 'en-US' })

test('language is switched and remembered', async ({ page, request }) => {
  const tag = uid()
  // the browser says English: the first visit is in English
  await page.goto('/')
  await expect(page.getByTestId('nav-home')).toHaveText('Home')
  // keyboard: the first Tab reaches the skip link, which moves focus to the main content
  await page.keyboard.press('Tab')
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('#main')).toBeFocused()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')

  // switch to Chinese while signed out
  await choose(page, 'lang-switch', '中文')
  await expect(page.getByTestId('nav-home')).toHaveText('首页')
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await page.reload()
  await expect(page.getByTestId('nav-home')).toHaveText('首页')

  // a user whose saved setting is English gets English after signing in
  const email = `l-${tag}@example.com`
  const password = 'language-pass-1'
  await request.post('/api/v1/auth/register', { data: { email, display_name: `Lang ${tag}`, password, locale: 'en' } })
  await page.goto('/login')
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible()
  await shot(page, 'login')
  await field(page, 'login-email').first().fill(email)
  await field(page, 'login-password').first().fill(password)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('nav-home')).toHaveText('Home')

  // switching while signed in saves it to the profile
  await choose(page, 'lang-switch', '中文')
  await expect(page.getByTestId('nav-home')).toHaveText('首页')
  const token = await apiToken(request, { email, password })
  await expect.poll(async () => (await (await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } })).json()).locale).toBe('zh-CN')

  // server messages follow the UI language too (Accept-Language)
  await page.goto('/teams')
  await field(page, 'join-code').first().fill('nosuchcode')
  await page.getByTestId('team-join').click()
  await expect(page.locator('.el-form-item__error, .el-message--error').first()).toBeVisible()
  await shot(page, 'teams-join-error')
  await page.setViewportSize({ width: 375, height: 760 })
  await page.goto('/')
  await shot(page, 'phone-home')
  await page.goto('/login')
  await shot(page, 'phone-login')
  await page.goto('/nope')
  await shot(page, 'not-found')
})
