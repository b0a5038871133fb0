/** Journey 10: 揭榜 by units and expert review, in the browser. An organiser sets a list's rubric
 * (first with weights that miss 100 %, refused at the field); two users register units and apply
 * as them; one is returned at the formal check and resubmits; three reviewers are assigned, one
 * refused for belonging to an applying unit; two score; the ranking shows the spread and flags it.
 * A fourth expert declares a conflict the platform could not see, and is recused. */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ORGANISER, apiToken, field, login, makePdf, shot, uid } from './helpers'

const PASSWORD = 'unit-review-pass-1'
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** A valid unified social credit code (GB 32100-2015) that no other journey uses. */
function creditCode(): string {
  let body = '91430100MA'
  while (body.length < 17) body += ALPHABET[Math.floor(Math.random() * 31)]
  const total = [...body].reduce((s, ch, i) => s + ALPHABET.indexOf(ch) * WEIGHTS[i], 0)
  return body + ALPHABET[(31 - (total % 31)) % 31]
}

interface Person { email: string; password: string; id: number; name: string }

async function register(request: APIRequestContext, name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}@example.org`
  const res = await request.post('/api/v1/auth/register', { data: { email, display_name: name, password: PASSWORD } })
  expect(res.ok(), await res.text()).toBeTruthy()
  return { email, password: PASSWORD, id: (await res.json()).id, name }
}

/** A published list of its own (one list per year: a year no other journey takes) with one item. */
async function seedList(request: APIRequestContext, tag: string): Promise<{ listId: number; itemId: number }> {
  const headers = { Authorization: `Bearer ${await apiToken(request, ORGANISER)}` }
  let list: { id: number } | null = null
  for (let year = 2099; year > 2060 && !list; year--) {
    const made = await request.post('/api/v1/challenge-lists', { headers, data: { year, title_zh: `单位揭榜榜单 ${tag}`, title_en: `Units list ${tag}` } })
    if (made.ok()) list = await made.json()
  }
  expect(list).not.toBeNull()
  const item = await request.post(`/api/v1/challenge-lists/${list!.id}/items`, {
    headers,
    data: { code: `UR-${tag}`, title_zh: '低码率语音编码', title_en: 'Low-bitrate speech coding', category: 'audio', reward_zh: '80 万元', reward_en: 'CNY 800k', application_deadline: new Date(Date.now() + 20 * 86400_000).toISOString() },
  })
  expect(item.ok(), await item.text()).toBeTruthy()
  expect((await request.put(`/api/v1/challenge-lists/${list!.id}/status`, { headers, data: { status: 'published' } })).ok()).toBeTruthy()
  return { listId: list!.id, itemId: (await item.json()).id }
}

async function setNumber(page: Page, locator: ReturnType<Page['locator']>, value: number): Promise<void> {
  await locator.fill(String(value))
  await locator.press('Tab')
}

async function confirmBox(page: Page): Promise<void> {
  await page.locator('.el-message-box__btns .el-button--primary').click()
}

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await login(page, who)
}

/** Register a unit on the units page (a mistyped credit code is named first), then apply as it. */
async function unitApplies(page: Page, itemId: number, unit: string, pdf: string): Promise<void> {
  await page.goto('/units')
  await page.getByTestId('unit-new').click()
  await field(page, 'unit-name-zh').fill(unit)
  await field(page, 'unit-name-en').fill(`${unit} Ltd`)
  const good = creditCode()
  const typo = good.slice(0, 17) + ALPHABET[(ALPHABET.indexOf(good[17]) + 1) % 31]
  await field(page, 'unit-credit-code').fill(typo)
  await field(page, 'unit-contact-name').click()
  await expect(page.locator('.el-dialog').getByText(`但按前 17 位计算的校验码应为 ${good[17]}`)).toBeVisible()
  await field(page, 'unit-credit-code').fill(good)
  await field(page, 'unit-contact-name').fill('联系人')
  await page.getByTestId('unit-save').click()
  await expect(page.getByTestId('unit-name').filter({ hasText: unit })).toBeVisible()

  await page.goto(`/items/${itemId}/unit-application`)
  await expect(page.getByTestId('unit-deadline')).toContainText('Asia/Shanghai')
  await field(page, 'apply-lead').fill(`${unit}负责人`)
  await field(page, 'apply-lead-email').fill('lead@example.org')
  await field(page, 'member-name-0').fill('李四')
  await field(page, 'member-role-0').fill('算法')
  await page.getByTestId('member-row-add').click()
  await field(page, 'member-name-1').fill('王五')
  await field(page, 'member-role-1').fill('工程')
  await setNumber(page, field(page, 'apply-budget'), 1500000)
  await page.getByTestId('apply-proposal').locator('input[type=file]').setInputFiles(pdf)
  await page.getByTestId('apply-commitment').locator('input[type=file]').setInputFiles(pdf)
  await expect(page.getByTestId('apply-proposal-chosen')).toBeVisible()
  await page.getByTestId('unit-apply-submit').click()
  await expect(page.getByTestId('unit-app-status')).toHaveAttribute('data-status', 'submitted', { timeout: 15_000 })
}

async function score(page: Page, appId: number, values: [number, number], comment: string): Promise<void> {
  const sheet = page.getByTestId(`sheet-${appId}`)
  const inputs = sheet.locator('[data-testid="score-input"] input')
  await setNumber(page, inputs.nth(0), values[0])
  await setNumber(page, inputs.nth(1), values[1])
  await sheet.locator('textarea[data-testid="score-comment"], [data-testid="score-comment"] textarea').first().fill(comment)
  await sheet.getByTestId('sheet-submit').click()
  await confirmBox(page)
  await expect(sheet.getByTestId('sheet-submitted')).toBeVisible()
}

test('units apply, the formal check returns one, experts score blind, the ranking flags the spread', async ({ page, request }) => {
  test.setTimeout(420_000) // five sign-ins and two upload rounds, on a shared machine
  const tag = uid()
  const { listId, itemId } = await seedList(request, tag)
  const [alpha, beta, r1, r2, r3, r4] = await Promise.all(['Alpha', 'Beta', 'Expert One', 'Expert Two', 'Expert Conflicted', 'Expert Recusing'].map((n) => register(request, `${n} ${tag}`)))
  const pdf = makePdf(join(tmpdir(), `jiebang-unit-${tag}.pdf`))
  const unitA = `甲声学研究所${tag}`
  const unitB = `乙智能科技${tag}`

  // the organiser sets the rubric: 50 + 40 is refused at the weights, 50 + 50 is kept
  await signIn(page, ORGANISER)
  await page.goto(`/review/lists/${listId}/rubric`)
  await field(page, 'criterion-zh-0').fill('技术方案')
  await field(page, 'criterion-en-0').fill('Technical approach')
  await setNumber(page, field(page, 'criterion-weight-0'), 50)
  await page.getByTestId('criterion-add').click()
  await field(page, 'criterion-zh-1').fill('团队能力')
  await field(page, 'criterion-en-1').fill('Team')
  await setNumber(page, field(page, 'criterion-weight-1'), 40)
  await expect(page.getByTestId('weight-sum')).toContainText('90%')
  await page.getByTestId('rubric-save').click()
  const weightsError = page.getByTestId('rubric-weights').locator('.el-form-item__error')
  await expect(weightsError).toContainText('100%')
  await expect(weightsError).toContainText('90%')
  await shot(page, '10-rubric-refused')
  await setNumber(page, field(page, 'criterion-weight-1'), 50)
  await page.getByTestId('rubric-save').click()
  await expect(page.getByText('评审细则已保存')).toBeVisible()
  await expect(weightsError).toHaveCount(0)

  // two users register units and apply as them
  await signIn(page, alpha)
  await unitApplies(page, itemId, unitA, pdf)
  await signIn(page, beta)
  await unitApplies(page, itemId, unitB, pdf)
  // Beta's unit takes in the third expert, who is then in conflict with this item
  await page.goto('/units')
  await field(page, 'member-email').fill(r3.email) // people are named by e-mail
  await page.getByTestId('member-add').click()
  await expect(page.getByTestId('unit-members').getByText(r3.name)).toBeVisible()

  const headers = { Authorization: `Bearer ${await apiToken(request, ORGANISER)}` }
  const apps = (await (await request.get(`/api/v1/challenge-items/${itemId}/applications`, { headers })).json()) as { id: number; applicant_org_id: number }[]
  const units = (await (await request.get('/api/v1/organisations')).json()) as { id: number; name_zh: string }[]
  const appOf = (name: string) => apps.find((a) => a.applicant_org_id === units.find((u) => u.name_zh === name)!.id)!.id
  const appA = appOf(unitA)
  const appB = appOf(unitB)

  // formal check: Alpha's is returned with what is missing, Beta's is complete
  await signIn(page, ORGANISER)
  await page.goto(`/review/items/${itemId}/formal-check`)
  await expect(page.getByTestId(`fc-unit-${appA}`)).toHaveText(unitA)
  await page.getByTestId(`fc-return-${appA}`).click()
  await page.getByTestId('return-common').getByText('加盖单位公章的承诺书').click()
  await field(page, 'return-other').fill('项目实施进度计划')
  await expect(page.getByTestId('return-summary')).toContainText('项目实施进度计划')
  await page.getByTestId('return-confirm').click()
  await expect(page.getByTestId(`fc-status-${appA}`).locator('[data-status]')).toHaveAttribute('data-status', 'returned')
  await page.getByTestId(`fc-complete-${appB}`).click()
  await confirmBox(page)
  await expect(page.getByTestId(`fc-status-${appB}`).locator('[data-status]')).toHaveAttribute('data-status', 'complete')

  // Alpha sees the missing items, amends and resubmits
  await signIn(page, alpha)
  await page.goto(`/items/${itemId}/unit-application`)
  await expect(page.getByTestId('missing-items')).toContainText('加盖单位公章的承诺书')
  await expect(page.getByTestId('missing-items')).toContainText('项目实施进度计划')
  await shot(page, '10-returned')
  await page.getByTestId('resubmit-commitment').locator('input[type=file]').setInputFiles(pdf)
  await page.getByTestId('resubmit-submit').click()
  await confirmBox(page)
  await expect(page.getByTestId('unit-app-status')).toHaveAttribute('data-status', 'submitted')

  // the organiser completes it and assigns three experts: the one in Beta's unit is refused
  await signIn(page, ORGANISER)
  await page.goto(`/review/items/${itemId}/formal-check`)
  await page.getByTestId(`fc-complete-${appA}`).click()
  await confirmBox(page)
  await expect(page.getByTestId(`fc-status-${appA}`).locator('[data-status]')).toHaveAttribute('data-status', 'complete')
  await page.getByTestId('review-nav-reviewers').click()
  for (const r of [r1, r2, r4, r3]) {
    await field(page, 'reviewer-email').fill(r.email)
    await page.getByTestId('reviewer-assign').click()
    if (r !== r3) await expect(page.getByTestId('reviewers-table').getByText(r.name)).toBeVisible()
  }
  const refusal = page.getByTestId('assign-refused')
  await expect(refusal).toContainText(unitB)
  await expect(refusal).toContainText(r3.name)
  await expect(page.getByTestId('reviewers-table').getByText(r3.name)).toHaveCount(0)
  await shot(page, '10-reviewer-refused')

  // two experts score blind: the second sees the first's sheet only after handing in their own
  await signIn(page, r1)
  await page.getByTestId('nav-review-desk').click()
  await page.getByTestId(`desk-open-${itemId}`).click()
  await expect(page.getByTestId(`others-hidden-${appA}`)).toBeVisible()
  await score(page, appA, [90, 90], '方案完整，指标可达')
  await score(page, appB, [70, 70], '方案可行')
  await signIn(page, r2)
  await page.goto(`/review/desk/items/${itemId}`)
  await expect(page.getByTestId(`others-hidden-${appA}`)).toBeVisible()
  await expect(page.getByTestId(`review-app-${appA}`).getByText(r1.name)).toHaveCount(0)
  await score(page, appA, [50, 50], '实施风险较大')
  await expect(page.getByTestId(`others-${appA}`)).toContainText(r1.name)
  await score(page, appB, [72, 68], '团队较强')

  // a fourth expert declares a conflict of interest with Alpha's unit and is recused
  await signIn(page, r4)
  await page.goto(`/review/desk/items/${itemId}`)
  await page.getByTestId('conflict-open').click()
  await page.getByTestId('conflict-unit').click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: unitA }).click()
  await field(page, 'conflict-reason').fill('近三年与该单位合作过科研项目')
  await page.getByTestId('conflict-submit').click()
  await confirmBox(page)
  await expect(page).toHaveURL(/\/review\/desk$/)
  await expect(page.getByText('您尚未被指派评审任何项目。')).toBeVisible()

  // the ranking: Alpha's spread of 40 points is beyond the threshold of 20 and flagged
  await signIn(page, ORGANISER)
  await page.goto(`/review/items/${itemId}/ranking`)
  const rows = page.getByTestId('ranking-table').locator('.el-table__body tr')
  await expect(rows).toHaveCount(2)
  const alphaRow = rows.filter({ hasText: unitA })
  await expect(alphaRow.getByTestId('ranking-spread')).toHaveText('40.00')
  await expect(alphaRow.getByTestId('ranking-total')).toHaveText('70.00')
  await expect(alphaRow.getByTestId('ranking-flag')).toBeVisible()
  const betaRow = rows.filter({ hasText: unitB })
  await expect(betaRow.getByTestId('ranking-spread')).toHaveText('0.00')
  await expect(betaRow.getByTestId('ranking-flag')).toHaveCount(0)
  await expect(page.getByTestId('echart').locator('canvas').first()).toBeVisible()
  await shot(page, '10-ranking')
})

test('a list\'s own organiser reaches the item\'s organiser pages; a plain unit member reads a note', async ({ page, request }) => {
  test.setTimeout(240_000)
  const tag = uid()
  const { listId, itemId } = await seedList(request, `LO${tag}`)
  const [listOrganiser, owner, member, bystander] = await Promise.all(['List Organiser', 'Unit Owner', 'Plain Member', 'Bystander'].map((n) => register(request, `${n} ${tag}`)))
  const headers = { Authorization: `Bearer ${await apiToken(request, ORGANISER)}` }
  const granted = await request.post(`/api/v1/challenge-lists/${listId}/roles`, { headers, data: { user_id: listOrganiser.id, role: 'organiser' } })
  expect(granted.status(), await granted.text()).toBe(201)

  // someone without a grant sees none of the organiser's pages on the item
  await signIn(page, bystander)
  await page.goto(`/items/${itemId}`)
  await expect(page.getByTestId('item-title')).toBeVisible()
  await expect(page.getByTestId('unit-apply-open')).toBeVisible()
  await expect(page.getByTestId('item-organiser-tools')).toHaveCount(0)

  // the list's organiser (no global role) sees them, and assigns a reviewer by e-mail
  await signIn(page, listOrganiser)
  await page.goto(`/items/${itemId}`)
  const tools = page.getByTestId('item-organiser-tools')
  await expect(tools.getByTestId('item-exports')).toBeVisible()
  await expect(tools.getByTestId('notice-desk-open')).toBeVisible()
  await tools.getByTestId('reviewers-open').click()
  await field(page, 'reviewer-email').fill(`nobody-${tag}@example.org`)
  await page.getByTestId('reviewer-assign').click()
  await expect(page.locator('.el-form-item__error')).toContainText(`没有以邮箱 nobody-${tag}@example.org 注册的账户`)
  await field(page, 'reviewer-email').fill(bystander.email)
  await page.getByTestId('reviewer-assign').click()
  await expect(page.getByTestId('reviewers-table').getByText(bystander.name)).toBeVisible()
  await page.goto(`/items/${itemId}`)
  await page.getByTestId('applications-open').click()
  await expect(page).toHaveURL(new RegExp(`/admin/items/${itemId}/applications$`))
  await expect(page.getByText('404')).toHaveCount(0)

  // a unit's owner adds a member by e-mail; the member reads a note instead of a refusal
  const ownerHeaders = { Authorization: `Bearer ${await apiToken(request, owner)}` }
  const unit = `丙单位${tag}`
  const made = await request.post('/api/v1/organisations', { headers: ownerHeaders, data: { name_zh: unit, name_en: `${unit} Ltd`, org_type: 'enterprise' } })
  expect(made.status(), await made.text()).toBe(201)
  await signIn(page, owner)
  await page.goto('/units')
  await field(page, 'member-email').fill(member.email.toUpperCase())
  await page.getByTestId('member-add').click()
  await expect(page.getByTestId('unit-members').getByText(member.email)).toBeVisible()
  await signIn(page, member)
  await page.goto('/units')
  await expect(page.getByTestId('unit-name').filter({ hasText: unit })).toBeVisible()
  await expect(page.getByTestId('unit-members-organisers-only')).toBeVisible()
  await expect(page.getByTestId('member-email')).toHaveCount(0)
  await expect(page.getByTestId('unit-members').getByRole('alert')).toHaveCount(0) // PageState's error
})
