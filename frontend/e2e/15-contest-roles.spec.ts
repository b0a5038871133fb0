/** A unit's organiser (no global role) opens the admin page of the contest the unit runs, sees
 * the unit named, assigns a judge by e-mail — who then reads the contest's readiness, while
 * another unit's organiser cannot — and revokes the judge after a confirmation naming them. */
import { expect, test, type APIRequestContext } from '@playwright/test'
import { login, shot, uid } from './helpers'

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
  const made = await request.post('/api/v1/contests', { headers: auth(owner), data: { slug: `unit-cup-${tag}`, title_zh: `单位杯 ${tag}`, title_en: `Unit Cup ${tag}`, edition: '2026', year: 2026, organisation_id: unit.id } })
  expect(made.status(), await made.text()).toBe(201)
  const contest = await made.json()
  const readiness = `/api/v1/contests/${contest.id}/readiness`
  expect((await request.get(readiness, { headers: auth(judge) })).status()).toBe(403)

  await login(page, owner)
  await page.goto(`/admin/contests/${contest.id}`)
  await expect(page.getByTestId('contest-owner')).toContainText(unitName)
  await page.getByTestId('contest-role-email').fill(judge.email)
  await page.getByTestId('contest-role-add').click()
  await expect(page.getByTestId('contest-role-holders')).toContainText(judge.name)
  await shot(page, 'contest-roles')

  expect((await request.get(readiness, { headers: auth(judge) })).status()).toBe(200) // assigned
  expect((await request.get(readiness, { headers: auth(other) })).status()).toBe(403) // another unit

  await page.getByTestId('contest-role-holders').getByRole('button').first().click()
  const box = page.locator('.el-message-box')
  await expect(box).toContainText(judge.name)
  await expect(box).toContainText(`单位杯 ${tag}`)
  await box.getByRole('button', { name: '撤销' }).click()
  await expect(page.getByTestId('contest-role-holders')).not.toContainText(judge.name)
  expect((await request.get(readiness, { headers: auth(judge) })).status()).toBe(403) // revoked
})
