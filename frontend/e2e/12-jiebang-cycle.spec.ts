/** Journey 12: the whole 揭榜挂帅 cycle, from an issuing unit's item with a rubric to acceptance and
 * the hall of fame, with the emails of each step read from the loopback SMTP server's folder.
 * In the browser: issuing unit, list, rubric, item, publishing, units and applications (with the scored team), formal check, return and
 * resubmission, reviewer assignment with the conflict refused, blind scoring, ranking, public notice,
 * objection, answer, appointment, message, exports, milestone, report, verdict, acceptance, hall of fame.
 * The organiser starts it in the browser too: the issuing unit registered on the units page, the list
 * with its time zone, its rubric (trimmed mean, spread threshold), the item with its issuing unit,
 * reward, deadline and track target, and the list published through its confirmation.
 * Through the API: reading the 2023 item's met target to copy, and adding the conflicted expert to
 * B's unit. */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ORGANISER, apiToken, choose, field, login, makePdf, shot, uid, navTo } from './helpers'

const here = dirname(fileURLToPath(import.meta.url))
const PORT = Number(process.env.E2E_PORT ?? 8765)
const MAIL_DIR = resolve(here, `../../test-artifacts/e2e-mail-${PORT}`)
const DEMO_PASSWORD = 'jiebang-demo-2024'
const CAPTAINS = ['participant@demo.jiebang.org', 'yuelu@demo.jiebang.org', 'orange-isle@demo.jiebang.org']
const PASSWORD = 'cycle-pass-1'

interface Who { email: string; password: string }
interface Mail { rcpt_tos: string[]; subject: string; body: string }
type Headers = Record<string, string>

test.use({ timezoneId: 'UTC' }) // the notice's end is typed into the date picker in UTC

function mails(): Mail[] {
  if (!existsSync(MAIL_DIR)) return []
  return readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .map((f) => JSON.parse(readFileSync(join(MAIL_DIR, f), 'utf8')) as Mail)
}

/** An email reached `to` whose subject matches and whose body names the item. */
async function expectMail(to: string, subject: RegExp, needle: string): Promise<void> {
  await expect
    .poll(() => mails().filter((m) => m.rcpt_tos.includes(to) && subject.test(m.subject) && m.body.includes(needle)).length, {
      timeout: 45_000,
      message: `an email "${subject}" about ${needle} to ${to}`,
    })
    .toBeGreaterThan(0)
}

async function ok<T>(res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(res.ok(), `${res.url()}: ${res.status()} ${await res.text()}`).toBeTruthy()
  return (await res.json()) as T
}

async function register(request: APIRequestContext, email: string, name: string): Promise<Who> {
  await ok(await request.post('/api/v1/auth/register', { data: { email, display_name: name, password: PASSWORD } }))
  return { email, password: PASSWORD }
}

async function bearer(request: APIRequestContext, who: Who): Promise<Headers> {
  return { Authorization: `Bearer ${await apiToken(request, who)}` }
}

async function setNumber(locator: ReturnType<Page['locator']>, value: number): Promise<void> {
  await locator.fill(String(value))
  await locator.press('Tab')
}

async function confirmBox(page: Page): Promise<void> {
  await page.locator('.el-message-box__btns .el-button--primary').click()
}

async function signInAs(page: Page, who: Who): Promise<void> {
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await login(page, who)
}

test('揭榜挂帅: item, applications, formal check, review, public notice, appointment, milestone, acceptance', async ({ page, request }) => {
  test.setTimeout(900_000) // a dozen sign-ins, the 80-second notice period, on a shared machine
  const tag = uid()
  const code = `CY-${tag}`
  const organiser = await bearer(request, ORGANISER)

  // ---- who is who: the 2023 winner's captain applies with the team whose verified score meets the target
  const lists = await ok<{ id: number; year: number }[]>(await request.get('/api/v1/challenge-lists'))
  const list2023 = lists.find((l) => l.year === 2023)!
  const items2023 = await ok<{ id: number; code: string }[]>(await request.get(`/api/v1/challenge-lists/${list2023.id}/items`))
  const av2023 = items2023.find((i) => i.code === 'AV2023-01')!
  const met = (await ok<{ met: boolean; team_id: number; target_id: number }[]>(await request.get(`/api/v1/challenge-items/${av2023.id}/targets-met`))).find((r) => r.met)!
  const av2023Item = await ok<{ targets: { id: number; metric: string; comparator: string; threshold: number; unit: string; track_id: number | null }[] }>(await request.get(`/api/v1/challenge-items/${av2023.id}`))
  const target = av2023Item.targets.find((x) => x.id === met.target_id)!
  const captains: { who: Who; headers: Headers; teams: { id: number; contest_id: number }[] }[] = []
  for (const email of CAPTAINS) {
    const who = { email, password: DEMO_PASSWORD }
    const headers = await bearer(request, who)
    captains.push({ who, headers, teams: await ok(await request.get('/api/v1/teams/mine', { headers })) })
  }
  const a = captains.find((c) => c.teams.some((x) => x.id === met.team_id))!
  const contestId = a.teams.find((x) => x.id === met.team_id)!.contest_id
  const b = captains.find((c) => c !== a)!
  const aTeam = met.team_id
  const bTeam = b.teams.find((x) => x.contest_id === contestId)!.id

  // ---- the track target to copy (the 2023 item's, met by A's verified score), named as the picker shows it
  const track = await ok<{ title_zh: string; contest_id: number }>(await request.get(`/api/v1/tracks/${target.track_id}`))
  const contest = await ok<{ title_zh: string }>(await request.get(`/api/v1/contests/${track.contest_id}`))
  const trackLabel = `${contest.title_zh} · ${track.title_zh}`

  // ---- the organiser registers the issuing unit (UI)
  const issuingName = `发榜单位 ${tag}`
  await login(page, ORGANISER)
  await page.goto('/units')
  await page.getByTestId('unit-new').click()
  const unitDialog = page.getByTestId('unit-dialog')
  await field(unitDialog, 'unit-name-zh').fill(issuingName)
  await field(unitDialog, 'unit-name-en').fill(`Issuing unit ${tag}`)
  await choose(page, 'unit-type', '政府部门')
  await field(unitDialog, 'unit-contact-name').fill('发榜联系人')
  await field(unitDialog, 'unit-contact-email').fill(ORGANISER.email)
  await unitDialog.getByTestId('unit-save').click()
  await expect(unitDialog).toBeHidden()
  await expect(page.getByTestId('unit-name').filter({ hasText: issuingName })).toBeVisible()

  // ---- a list for a free year, in Beijing time (UI)
  await navTo(page, 'nav-admin-lists')
  const listsTable = page.getByTestId('lists-table')
  await expect(listsTable.locator('.el-table__body tr').first()).toBeVisible() // the demo's lists
  const taken = new Set((await listsTable.locator('.el-table__body tr td:first-child').allInnerTexts()).map((y) => Number(y.trim())))
  let year = 2030 + Math.floor(Math.random() * 70)
  while (taken.has(year)) year = 2030 + ((year - 2029) % 70)
  await page.getByTestId('new-list').click()
  const listDialog = page.locator('.el-dialog').filter({ has: page.getByTestId('list-create') })
  await setNumber(field(listDialog, 'list-year'), year)
  await field(listDialog, 'list-title-zh').fill(`揭榜挂帅榜单 ${tag}`)
  await field(listDialog, 'list-title-en').fill(`Challenge list ${tag}`)
  await choose(page, 'list-timezone', /^\s*Asia\/Shanghai\s*$/)
  await expect(listDialog).toContainText('公示期按此时区计算')
  await listDialog.getByTestId('list-create').click()
  await expect(page.getByTestId('admin-list-title')).toContainText(`${year} · 揭榜挂帅榜单 ${tag}`)
  await expect(page.getByTestId('list-timezone-shown')).toHaveText('时区：Asia/Shanghai')
  const listId = Number(new URL(page.url()).pathname.split('/').pop())

  // ---- its rubric: three weighted criteria, the trimmed mean, a 15-point spread threshold (UI)
  await page.getByTestId('list-rubric').click()
  await expect(page.getByTestId('rubric-editor')).toBeVisible()
  const criteria: [string, string, number][] = [['技术方案', 'Technical approach', 40], ['团队能力', 'Team strength', 30], ['预算合理性', 'Budget', 30]]
  for (const [n, [zh, en, weight]] of criteria.entries()) {
    if (n) await page.getByTestId('criterion-add').click()
    await field(page, `criterion-zh-${n}`).fill(zh)
    await field(page, `criterion-en-${n}`).fill(en)
    await setNumber(field(page, `criterion-weight-${n}`), weight)
  }
  await expect(page.getByTestId('weight-sum')).toContainText('100%')
  await page.getByTestId('rubric-aggregation').getByText('去掉最高分和最低分后的平均分').click()
  await setNumber(field(page, 'rubric-threshold'), 15)
  await page.getByTestId('rubric-save').click()
  await expect(page.getByText('评审细则已保存')).toBeVisible()
  await page.locator(`a[href="/admin/lists/${listId}"]`).click()
  await expect(page.getByTestId('admin-list-title')).toContainText(tag)

  // ---- the item: issued by the unit, with a reward, a deadline and the track target (UI)
  await page.getByTestId('new-item').click()
  const itemDialog = page.getByTestId('item-dialog')
  await field(itemDialog, 'item-code').fill(code)
  await field(itemDialog, 'item-category').fill('video')
  await choose(page, 'item-issuing-unit', issuingName)
  await field(itemDialog, 'item-title-zh').fill(`档案影像修复 ${tag}`)
  await field(itemDialog, 'item-title-en').fill(`Archive restoration ${tag}`)
  await field(itemDialog, 'item-reward-zh').fill('200 万元')
  await field(itemDialog, 'item-reward-en').fill('CNY 2 million')
  const applyBy = field(itemDialog, 'item-deadline')
  await applyBy.fill(`${new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10)} 18:00:00`)
  await applyBy.press('Enter')
  await expect(itemDialog.getByTestId('item-deadline-zone')).toContainText('Asia/Shanghai')
  await itemDialog.getByTestId('add-target').click()
  await field(itemDialog, 'target-metric-0').fill(target.metric)
  await choose(page, 'target-comparator-0', new RegExp(`^\\s*${target.comparator}\\s*$`))
  await setNumber(field(itemDialog, 'target-threshold-0'), target.threshold)
  await field(itemDialog, 'target-unit-0').fill(target.unit)
  await choose(page, 'target-track-0', trackLabel)
  await field(itemDialog, 'target-note-zh-0').fill('验收指标')
  await field(itemDialog, 'target-note-en-0').fill('acceptance target')
  await itemDialog.getByTestId('item-save').click()
  await expect(itemDialog).toBeHidden()
  const itemRow = page.getByTestId('items-table').locator('.el-table__body tr').filter({ hasText: code })
  await expect(itemRow).toContainText(`档案影像修复 ${tag}`)
  const item = { id: Number((await itemRow.getByRole('link', { name: `档案影像修复 ${tag}` }).getAttribute('href'))!.split('/').pop()) }
  expect(item.id).toBeGreaterThan(0)

  // ---- publishing asks first, naming what becomes public (UI)
  await page.getByTestId('publish-list').click()
  const publishBox = page.locator('.el-message-box')
  await expect(publishBox).toContainText(`揭榜挂帅榜单 ${tag}`)
  await expect(publishBox).toContainText('1 个项目')
  await publishBox.locator('.el-message-box__btns .el-button--primary').click()
  await expect(page.getByTestId('list-status')).toHaveAttribute('data-status', 'published')
  await itemRow.getByRole('link', { name: `档案影像修复 ${tag}` }).click()
  await expect(page.getByTestId('item-issuing-unit-name')).toHaveText(issuingName)
  await expect(page.getByTestId('item-deadline-shown')).toContainText(/18:00.*\(Asia\/Shanghai\)/) // typed as 18:00 in the list's zone (Beijing time), shown the same

  // ---- two applicant units register and apply with the proposal, the commitment letter and the scored team (UI)
  const unitA = `揭榜单位甲 ${tag}`
  const unitB = `揭榜单位乙 ${tag}`
  const pdfPath = makePdf(join(tmpdir(), `cycle-app-${tag}.pdf`))
  const teamName = async (who: typeof a, id: number) => ((await ok<{ id: number; name: string }[]>(await request.get('/api/v1/teams/mine', { headers: who.headers }))).find((x) => x.id === id)!.name)
  for (const [who, unit, team] of [[a, unitA, aTeam], [b, unitB, bTeam]] as const) {
    await signInAs(page, who.who)
    await page.goto('/units')
    await page.getByTestId('unit-new').click()
    await field(page, 'unit-name-zh').fill(unit)
    await field(page, 'unit-name-en').fill(`${unit} Ltd`)
    await field(page, 'unit-contact-name').fill('联系人')
    await page.getByTestId('unit-save').click()
    await expect(page.getByTestId('unit-name').filter({ hasText: unit })).toBeVisible()
    await page.goto(`/items/${item.id}/unit-application`)
    await choose(page, 'apply-unit', unit)
    await choose(page, 'apply-team', await teamName(who, team))
    await field(page, 'apply-lead').fill('项目负责人')
    await field(page, 'apply-lead-email').fill(who.who.email)
    await field(page, 'member-name-0').fill('算法负责人')
    await field(page, 'member-role-0').fill('算法')
    await setNumber(field(page, 'apply-budget'), 1800000)
    await page.getByTestId('apply-proposal').locator('input[type=file]').setInputFiles(pdfPath)
    await page.getByTestId('apply-commitment').locator('input[type=file]').setInputFiles(pdfPath)
    await page.getByTestId('unit-apply-submit').click()
    await expect(page.getByTestId('unit-app-status')).toHaveAttribute('data-status', 'submitted', { timeout: 15_000 })
  }
  const apps = await ok<{ id: number; applicant_org_id: number }[]>(await request.get(`/api/v1/challenge-items/${item.id}/applications`, { headers: organiser }))
  const orgs = await ok<{ id: number; name_zh: string }[]>(await request.get('/api/v1/organisations'))
  const orgId = (name: string) => orgs.find((o) => o.name_zh === name)!.id
  const appA = { id: apps.find((x) => x.applicant_org_id === orgId(unitA))!.id }
  const appB = { id: apps.find((x) => x.applicant_org_id === orgId(unitB))!.id }

  // ---- formal check: B is returned with the missing item and resubmits; both complete (UI)
  await signInAs(page, ORGANISER)
  await page.goto(`/review/items/${item.id}/formal-check`)
  await page.getByTestId(`fc-return-${appB.id}`).click()
  await field(page, 'return-other').fill('承诺书未盖章')
  await page.getByTestId('return-confirm').click()
  await expect(page.getByTestId(`fc-status-${appB.id}`).locator('[data-status]')).toHaveAttribute('data-status', 'returned')
  await page.getByTestId(`fc-complete-${appA.id}`).click()
  await confirmBox(page)
  await expect(page.getByTestId(`fc-status-${appA.id}`).locator('[data-status]')).toHaveAttribute('data-status', 'complete')
  await expectMail(b.who.email, /退回|returned/i, code)
  await signInAs(page, b.who)
  await page.goto(`/items/${item.id}/unit-application`)
  await expect(page.getByTestId('missing-items')).toContainText('承诺书未盖章')
  await page.getByTestId('resubmit-commitment').locator('input[type=file]').setInputFiles(pdfPath)
  await page.getByTestId('resubmit-submit').click()
  await confirmBox(page)
  await expect(page.getByTestId('unit-app-status')).toHaveAttribute('data-status', 'submitted')
  await signInAs(page, ORGANISER)
  await page.goto(`/review/items/${item.id}/formal-check`)
  await page.getByTestId(`fc-complete-${appB.id}`).click()
  await confirmBox(page)
  await expect(page.getByTestId(`fc-status-${appB.id}`).locator('[data-status]')).toHaveAttribute('data-status', 'complete')

  // ---- reviewers: a member of B's unit (added through the API) is refused naming the unit; three assigned (UI)
  const conflicted = await register(request, `conflict-${tag}@example.com`, `利益冲突专家 ${tag}`)
  const conflictedId = (await ok<{ id: number }>(await request.get('/api/v1/auth/me', { headers: await bearer(request, conflicted) }))).id
  const added = await request.post(`/api/v1/organisations/${orgId(unitB)}/members`, { headers: b.headers, data: { user_id: conflictedId } })
  expect(added.status(), await added.text()).toBe(204)
  const experts: { who: Who; id: number; name: string }[] = []
  for (let n = 0; n < 3; n++) {
    const name = `评审专家${n + 1} ${tag}`
    const who = await register(request, `expert${n}-${tag}@example.com`, name)
    experts.push({ who, name, id: (await ok<{ id: number }>(await request.get('/api/v1/auth/me', { headers: await bearer(request, who) }))).id })
  }
  await page.goto(`/review/items/${item.id}/reviewers`)
  for (const r of [...experts, { who: conflicted, id: conflictedId, name: `利益冲突专家 ${tag}` }]) {
    await field(page, 'reviewer-email').fill(r.who.email) // reviewers are named by e-mail
    await page.getByTestId('reviewer-assign').click()
    if (r.id !== conflictedId) await expect(page.getByTestId('reviewers-table').getByText(r.name)).toBeVisible()
  }
  await expect(page.getByTestId('assign-refused')).toContainText(unitB)
  await expect(page.getByTestId('reviewers-table').getByText(`利益冲突专家 ${tag}`)).toHaveCount(0)

  // ---- three experts score blind on the rubric (UI)
  const sheets = [
    [[85, 80, 90], [70, 72, 75]],
    [[80, 85, 88], [62, 65, 70]],
    [[90, 88, 86], [40, 50, 45]],
  ]
  for (const [n, expert] of experts.entries()) {
    await signInAs(page, expert.who)
    await page.goto(`/review/desk/items/${item.id}`)
    for (const [k, app] of [appA, appB].entries()) {
      const sheet = page.getByTestId(`sheet-${app.id}`)
      const inputs = sheet.locator('[data-testid="score-input"] input')
      for (let i = 0; i < 3; i++) await setNumber(inputs.nth(i), sheets[n][k][i])
      await sheet.locator('textarea[data-testid="score-comment"], [data-testid="score-comment"] textarea').first().fill('评审意见')
      await sheet.getByTestId('sheet-submit').click()
      await confirmBox(page)
      await expect(sheet.getByTestId('sheet-submitted')).toBeVisible()
    }
  }
  await expectMail(a.who.email, /评审|reviewed/i, code)
  await expectMail(b.who.email, /评审|reviewed/i, code)

  // ---- the ranking shows each spread and flags B's (UI)
  await signInAs(page, ORGANISER)
  await page.goto(`/review/items/${item.id}/ranking`)
  await expect(page.getByTestId('ranking-how')).toContainText('去掉最高分和最低分后的平均分') // the list's settings hold
  await expect(page.getByTestId('ranking-how')).toContainText('15')
  const totalsB = sheets.map((s) => s[1][0] * 0.4 + s[1][1] * 0.3 + s[1][2] * 0.3)
  const spreadB = Math.max(...totalsB) - Math.min(...totalsB)
  const rankingB = page.getByTestId('ranking-table').locator('.el-table__body tr').filter({ hasText: unitB })
  await expect(rankingB.getByTestId('ranking-spread')).toHaveText(spreadB.toFixed(2))
  await expect(rankingB.getByTestId('ranking-flag')).toBeVisible()
  await shot(page, 'cycle-ranking')

  // ---- the organiser's desk: the ranking with the spread, propose A with a short notice period (UI)
  await page.goto(`/admin/items/${item.id}/notice`)
  const candidates = page.getByTestId('candidates-table')
  await expect(candidates).toContainText(`揭榜单位甲 ${tag}`)
  const rows = candidates.locator('.el-table__body tr')
  await expect(rows.first()).toContainText(`揭榜单位甲 ${tag}`) // rank 1
  await expect(rows.nth(1)).toContainText('偏大') // B's reviewers disagree beyond the threshold
  await expect(rows.nth(1)).toContainText(spreadB.toFixed(1))
  await shot(page, 'cycle-ranking-desk')
  const ends = new Date(Date.now() + 80_000)
  await rows.first().getByTestId('propose').click()
  await page.getByTestId('propose-mode-end').click()
  const picker = page.locator('[data-testid="propose-dialog"] .el-date-editor input')
  await picker.fill(ends.toISOString().slice(0, 19).replace('T', ' '))
  await picker.press('Enter')
  await page.getByTestId('propose-submit').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await expect(page.getByTestId('desk-state')).toHaveText('公示中')
  await expect(page.getByTestId('appoint')).toBeDisabled()
  await expect(page.getByTestId('appoint-blocked')).toContainText('公示期至')

  // ---- the public notice, readable by anyone; a signed-in citizen objects with a document (UI)
  await page.evaluate(() => localStorage.clear())
  await page.goto('/notices')
  await expect(page.getByTestId('notices-current')).toContainText(code)
  await expect(page.getByTestId('notices-current')).toContainText(`揭榜单位甲 ${tag}`)
  await expect(page.getByTestId('notices-current')).toContainText('200 万元')
  await page.getByTestId('notices-current').getByRole('link', { name: new RegExp(code) }).click()
  await expect(page.getByTestId('objection-sign-in')).toBeVisible()
  const citizen = await register(request, `citizen-${tag}@example.com`, `公众 ${tag}`)
  await signInAs(page, citizen)
  await page.goto(`/notices/${item.id}`)
  await expect(page.getByTestId('notice-appointee')).toHaveText(`揭榜单位甲 ${tag}`)
  await page.getByTestId('objection-text').fill('申报单位的业绩证明材料存疑，请核实。')
  await page.getByTestId('objection-file').setInputFiles(makePdf(join(tmpdir(), `objection-${tag}.pdf`)))
  await page.getByTestId('objection-submit').click()
  await expect(page.getByTestId('objection')).toHaveCount(1)
  await expect(page.getByTestId('objection-open')).toBeVisible()
  await shot(page, 'cycle-notice-objection')
  await expectMail(ORGANISER.email, /异议|objection/i, code)

  // ---- the organiser answers; the appointment waits for the period's end, then is made final (UI)
  await signInAs(page, ORGANISER)
  await page.goto(`/admin/items/${item.id}/notice`)
  await page.getByTestId('answer-input').fill('经核实，业绩证明材料真实有效。')
  await page.getByTestId('answer-submit').click()
  await expect(page.getByTestId('objection-answer')).toContainText('真实有效')
  await expectMail(citizen.email, /异议|objection/i, code)
  await expect(page.getByTestId('appoint')).toBeDisabled()
  await page.waitForTimeout(Math.max(0, ends.getTime() - Date.now() + 2_000))
  await page.reload()
  await expect(page.getByTestId('appoint')).toBeEnabled()
  await page.getByTestId('appoint').click()
  await expect(page.locator('.el-message-box')).toContainText(`揭榜单位甲 ${tag}`)
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await expect(page.getByTestId('desk-state')).toHaveText('已挂帅（最终）')
  await shot(page, 'cycle-appointed')
  await expectMail(a.who.email, /挂帅|appointed/i, code)

  // ---- after the period an objection is refused, with the period's end shown (UI and API)
  const late = await request.post(`/api/v1/challenge-items/${item.id}/notice/objections`, { headers: await bearer(request, citizen), multipart: { text: '迟到的异议' } })
  expect(late.status()).toBe(403)
  await page.goto(`/notices/${item.id}`)
  await expect(page.getByTestId('objection-closed')).toContainText('公示期已于')
  await expect(page.getByTestId('objection-closed')).toContainText('Asia/Shanghai')
  expect(JSON.parse(await late.text()).detail).toContain(new Date(ends.getTime() + 8 * 3600_000).toISOString().slice(11, 16))

  // ---- the organiser messages the appointed applicants and exports the item's file (UI)
  await page.goto(`/admin/items/${item.id}/notice`)
  await page.getByTestId('message-applicants').click()
  await page.getByTestId('message-app-status').click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '揭榜' }).first().click()
  await expect(page.getByTestId('message-count')).toHaveText('收件人 1 位')
  await page.getByTestId('message-subject').fill(`中期检查安排 ${tag}`)
  await page.getByTestId('message-body').fill('请于 30 天内提交中期检查报告。')
  await page.getByTestId('message-send').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await expect(page.locator('.el-message--success').last()).toContainText('1')
  await expectMail(a.who.email, new RegExp(`中期检查安排 ${tag}`), '30 天')
  expect(mails().some((m) => m.rcpt_tos.includes(b.who.email) && m.subject.includes(`中期检查安排 ${tag}`))).toBe(false)
  const csv = page.waitForEvent('download')
  await page.getByTestId('export-applications-csv').click()
  const csvText = readFileSync(await (await csv).path(), 'utf8')
  expect(csvText).toContain(`揭榜单位甲 ${tag}`)
  expect(csvText).toContain(`揭榜单位乙 ${tag}`)
  const dossier = page.waitForEvent('download')
  await page.getByTestId('export-pdf').click()
  expect(readFileSync(await (await dossier).path()).subarray(0, 5).toString()).toBe('%PDF-')

  // ---- the organiser sets the completion deadline and a milestone on the item's page (UI)
  const day = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10)
  await page.goto(`/items/${item.id}`)
  const panel = page.getByTestId('acceptance-panel')
  await expect(panel).toContainText(unitA)
  const deadline = panel.locator('.el-date-editor input').first()
  await deadline.fill(day(180))
  await deadline.press('Enter')
  await page.getByTestId('acceptance-deadline-save').click()
  await expect(page.locator('.el-message--success').last()).toBeVisible()
  await panel.getByTestId('milestone-add').click()
  const milestoneDialog = page.getByTestId('milestone-dialog')
  await milestoneDialog.locator('.el-date-editor input').fill(day(60))
  await milestoneDialog.locator('.el-date-editor input').press('Enter')
  await field(page, 'milestone-title').fill('中期检查')
  await field(page, 'milestone-deliverables').fill('中期报告与样例结果')
  await milestoneDialog.getByTestId('milestone-save').click()
  await expect(panel.getByTestId('milestone')).toHaveCount(1)

  // ---- the appointee reports on the milestone; an expert gives a verdict (UI)
  await signInAs(page, a.who)
  await page.goto(`/items/${item.id}`)
  const mine = page.getByTestId('milestone').filter({ hasText: '中期检查' })
  await mine.getByTestId('report-open').click()
  const reportDialog = page.getByTestId('report-dialog')
  await reportDialog.locator('input[type="file"]').setInputFiles(makePdf(join(tmpdir(), `中期报告-${tag}.pdf`)))
  await field(page, 'report-note').fill('中期进展')
  await reportDialog.getByTestId('report-send').click()
  await expect(mine.getByTestId('milestone-report')).toHaveCount(1)
  await expectMail(experts[0].who.email, /报告|report/i, code)
  await signInAs(page, experts[0].who)
  await page.goto(`/items/${item.id}`)
  const midterm = page.getByTestId('milestone').filter({ hasText: '中期检查' })
  await midterm.getByTestId('verdict-open').click()
  const verdictDialog = page.getByTestId('verdict-dialog')
  await verdictDialog.getByText('通过', { exact: true }).click()
  await field(page, 'verdict-comment').fill('按计划完成')
  await verdictDialog.getByTestId('verdict-save').click()
  await confirmBox(page)
  await expect(midterm.getByTestId('report-verdict')).toContainText('通过')

  // ---- acceptance: the desk shows the track target met by the verified score; accepted with a document (UI)
  await signInAs(page, ORGANISER)
  await page.goto(`/items/${item.id}`)
  const acceptanceDesk = page.getByTestId('acceptance-desk')
  await expect(acceptanceDesk.getByTestId('desk-met')).toHaveCount(1)
  await expect(acceptanceDesk.getByTestId('desk-met').first()).toHaveText('达标')
  await expect(acceptanceDesk.getByTestId('desk-summary')).toContainText('全部指标达标')
  await shot(page, 'cycle-acceptance-desk')
  await page.getByTestId('decision-open').click()
  const decisionDialog = page.getByTestId('decision-dialog')
  await decisionDialog.getByText('通过验收', { exact: true }).click()
  await field(page, 'decision-note').fill('各项指标达标')
  await decisionDialog.locator('input[type="file"]').setInputFiles(makePdf(join(tmpdir(), `验收意见-${tag}.pdf`)))
  await decisionDialog.getByTestId('decision-save').click()
  await confirmBox(page)
  await expect(page.getByTestId('acceptance-outcome')).toHaveText('通过验收')
  await expectMail(a.who.email, /验收|accept/i, code)

  // ---- the hall of fame counts the accepted item (UI)
  await page.goto('/hall-of-fame')
  await expect(page.getByTestId('hall-table')).toContainText(`揭榜单位甲 ${tag}`)
  await shot(page, 'cycle-hall-of-fame')
})
