/** A unit's organiser (no global role) creates a contest for the unit and opens its admin page, sees
 * the unit named (after creating it from the nav, owned by the unit), assigns a judge by e-mail — who then reads the contest's readiness, while
 * another unit's organiser cannot — and revokes the judge after a confirmation naming them. */
import { expect, test, type APIRequestContext } from '@playwright/test'
import { field, login, shot, uid, navTo } from './helpers'

const PASSWORD = 'contest-roles-pass-1'
interface Person { email: string; password: string; token: string; name: string }

async function register(request: APIRequestContext, name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}@example.org`
  const made = await request.post('/api/v1/auth/register', { data: { email, display_name: name, password: PASSWORD } })
  expect(made.ok(), await made.text()).toBeTruthy()
  const signed = await request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } })
  return { email, password: PASSWORD, token: (await signed.json()).access_token, name }
}

const auth = (p: Person) => ({ Authorization: `Bearer ${p.token}` })

test('a unit organiser assigns and revokes a contest judge', async ({ page, request }) => {
  const tag = uid()
  const owner = await register(request, `Unit Owner ${tag}`)
  const judge = await register(request, `Contest Judge ${tag}`)
  const other = await register(request, `Other Owner ${tag}`)
  const unitName = `湘江实验室 ${tag}`
  const unit = await (await request.post('/api/v1/organisations', { headers: auth(owner), data: { name_zh: unitName, name_en: `Xiangjiang Lab ${tag}`, org_type: 'research_institute' } })).json()
  await request.post('/api/v1/organisations', { headers: auth(other), data: { name_zh: `别的单位 ${tag}`, name_en: `Other unit ${tag}`, org_type: 'enterprise' } })
  // the unit's organiser has no global role: the nav still offers contests, and a new one is the unit's
  await login(page, owner)
  await navTo(page, 'nav-admin-contests')
  await page.getByTestId('new-contest').click()
  await expect(page.getByTestId('contest-unit')).toContainText(unitName)
  await field(page, 'contest-slug').first().fill(`unit-cup-${tag}`)
  await field(page, 'contest-title-zh').first().fill(`单位杯 ${tag}`)
  await field(page, 'contest-title-en').first().fill(`Unit Cup ${tag}`)
  await field(page, 'contest-edition').first().fill('2026')
  await page.getByTestId('contest-create').click()
  await page.waitForURL(/\/admin\/contests\/\d+$/)
  const contestId = Number(page.url().split('/').pop())
  const contest = await (await request.get(`/api/v1/contests/${contestId}`, { headers: auth(owner) })).json()
  expect(contest.organisation_id).toBe(unit.id)
  const readiness = `/api/v1/contests/${contestId}/readiness`
  expect((await request.get(readiness, { headers: auth(judge) })).status()).toBe(403)
  expect((await request.patch(`/api/v1/contests/${contestId}`, { headers: auth(other), data: { edition: 'x' } })).status()).toBe(403)

  await expect(page.getByTestId('contest-owner')).toContainText(unitName)
  await page.getByTestId('contest-role-email').fill(judge.email)
  await page.getByTestId('contest-role-add').click()
  await expect(page.getByTestId('contest-role-holders')).toContainText(judge.name)
  await shot(page, 'contest-roles')

  expect((await request.get(readiness, { headers: auth(judge) })).status()).toBe(200) // assigned
  expect((await request.get(readiness, { headers: auth(other) })).status()).toBe(403) // another unit

  // the assigned judge (no global role) reaches the judge console from the nav; another user has no such link
  await page.getByTestId('logout').click()
  await login(page, judge)
  await page.getByTestId('nav-judge').click()
  await expect(page).toHaveURL(/\/judge$/)
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  await page.getByTestId('logout').click()
  await login(page, other)
  await expect(page.getByTestId('nav-judge')).toHaveCount(0)
  await page.getByTestId('logout').click()
  await login(page, owner)
  await page.goto(`/admin/contests/${contestId}`)

  await page.getByTestId('contest-role-holders').getByRole('button').first().click()
  const box = page.locator('.el-message-box')
  await expect(box).toContainText(judge.name)
  await expect(box).toContainText(`单位杯 ${tag}`)
  await box.getByRole('button', { name: '撤销' }).click()
  await expect(page.getByTestId('contest-role-holders')).not.toContainText(judge.name)
  expect((await request.get(readiness, { headers: auth(judge) })).status()).toBe(403) // revoked
})
