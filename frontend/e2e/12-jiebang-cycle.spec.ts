/** Journey 12: the whole 揭榜挂帅 cycle, from an issuing unit's item with a rubric to acceptance and
 * the hall of fame, with the emails of each step read from the loopback SMTP server's folder. */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ORGANISER, apiToken, login, makePdf, shot, uid } from './helpers'

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

async function signInAs(page: Page, who: Who): Promise<void> {
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await login(page, who)
}

test('揭榜挂帅: item, applications, formal check, review, public notice, appointment, milestone, acceptance', async ({ page, request }) => {
  test.setTimeout(420_000)
  const tag = uid()
  const code = `CY-${tag}`
  const pdf = readFileSync(makePdf(join(tmpdir(), `cycle-${tag}.pdf`)))
  const file = (name: string) => ({ name, mimeType: 'application/pdf', buffer: pdf })
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

  // ---- the issuing unit's organiser publishes an item on a list with a rubric (API)
  const issuing = await ok<{ id: number }>(await request.post('/api/v1/organisations', { headers: organiser, data: { name_zh: `发榜单位 ${tag}`, name_en: `Issuing unit ${tag}`, org_type: 'government' } }))
  let listId = 0
  for (let attempt = 0; attempt < 20 && !listId; attempt++) {
    const year = 2030 + Math.floor(Math.random() * 70)
    const made = await request.post('/api/v1/challenge-lists', { headers: organiser, data: { year, title_zh: `揭榜挂帅榜单 ${tag}`, title_en: `Challenge list ${tag}` } })
    if (made.ok()) listId = (await made.json()).id
  }
  expect(listId).toBeGreaterThan(0)
  await ok(await request.put(`/api/v1/challenge-lists/${listId}/rubric`, {
    headers: organiser,
    data: {
      aggregation: 'mean', spread_threshold: 15,
      criteria: [
        { name_zh: '技术方案', name_en: 'Technical approach', weight: 40 },
        { name_zh: '团队能力', name_en: 'Team strength', weight: 30 },
        { name_zh: '预算合理性', name_en: 'Budget', weight: 30 },
      ],
    },
  }))
  const item = await ok<{ id: number }>(await request.post(`/api/v1/challenge-lists/${listId}/items`, {
    headers: organiser,
    data: {
      code, title_zh: `档案影像修复 ${tag}`, title_en: `Archive restoration ${tag}`, category: 'video',
      reward_zh: '200 万元', reward_en: 'CNY 2 million', issuing_unit_id: issuing.id,
      application_deadline: new Date(Date.now() + 30 * 86400_000).toISOString(),
      targets: [{ metric: target.metric, comparator: target.comparator, threshold: target.threshold, unit: target.unit, track_id: target.track_id, note_zh: '验收指标', note_en: 'acceptance target' }],
    },
  }))
  await ok(await request.put(`/api/v1/challenge-lists/${listId}/status`, { headers: organiser, data: { status: 'published' } }))
  const rubric = await ok<{ criteria: { id: number }[] }>(await request.get(`/api/v1/challenge-lists/${listId}/rubric`, { headers: organiser }))

  // ---- two applicant units apply with their proposal and commitment letter (API)
  const unitA = await ok<{ id: number }>(await request.post('/api/v1/organisations', { headers: a.headers, data: { name_zh: `揭榜单位甲 ${tag}`, name_en: `Applicant A ${tag}`, org_type: 'enterprise' } }))
  const unitB = await ok<{ id: number }>(await request.post('/api/v1/organisations', { headers: b.headers, data: { name_zh: `揭榜单位乙 ${tag}`, name_en: `Applicant B ${tag}`, org_type: 'university' } }))
  const apply = async (who: typeof a, unit: number, team: number) =>
    ok<{ id: number; status: string }>(await request.post(`/api/v1/challenge-items/${item.id}/unit-applications`, {
      headers: who.headers,
      multipart: {
        organisation_id: String(unit), team_id: String(team), lead_name: '项目负责人', lead_email: who.who.email,
        members: '[{"name": "算法负责人", "role": "算法"}]', budget_cny: '1800000', summary: '多帧融合修复方案',
        proposal: file('申报书.pdf'), commitment: file('承诺书.pdf'),
      },
    }))
  const appA = await apply(a, unitA.id, aTeam)
  const appB = await apply(b, unitB.id, bTeam)

  // ---- formal check: B is returned with the missing item, resubmits, then both are complete (API)
  await ok(await request.put(`/api/v1/applications/${appB.id}/formal-check`, { headers: organiser, data: { complete: false, missing_items: ['承诺书未盖章'] } }))
  await expectMail(b.who.email, /退回|returned/i, code)
  await ok(await request.put(`/api/v1/applications/${appB.id}/resubmission`, { headers: b.headers, multipart: { commitment: file('承诺书-盖章.pdf') } }))
  for (const app of [appA, appB]) await ok(await request.put(`/api/v1/applications/${app.id}/formal-check`, { headers: organiser, data: { complete: true } }))

  // ---- reviewers: a member of B's unit is refused, naming the unit; three experts score (API)
  const conflicted = await register(request, `conflict-${tag}@example.com`, `利益冲突专家 ${tag}`)
  const conflictedId = (await ok<{ id: number }>(await request.get('/api/v1/auth/me', { headers: await bearer(request, conflicted) }))).id
  const added = await request.post(`/api/v1/organisations/${unitB.id}/members`, { headers: b.headers, data: { user_id: conflictedId } })
  expect(added.status(), await added.text()).toBe(204)
  const refused = await request.post(`/api/v1/challenge-items/${item.id}/reviewers`, { headers: organiser, data: { user_id: conflictedId } })
  expect(refused.status()).toBe(409)
  expect(await refused.text()).toContain(`揭榜单位乙 ${tag}`)
  const sheets = [
    [[85, 80, 90], [70, 72, 75]],
    [[80, 85, 88], [62, 65, 70]],
    [[90, 88, 86], [40, 50, 45]],
  ]
  for (let n = 0; n < 3; n++) {
    const expert = await register(request, `expert${n}-${tag}@example.com`, `评审专家${n + 1} ${tag}`)
    const headers = await bearer(request, expert)
    const id = (await ok<{ id: number }>(await request.get('/api/v1/auth/me', { headers }))).id
    await ok(await request.post(`/api/v1/challenge-items/${item.id}/reviewers`, { headers: organiser, data: { user_id: id } }))
    for (const [k, app] of [appA, appB].entries()) {
      const scores = rubric.criteria.map((c, i) => ({ criterion_id: c.id, score: sheets[n][k][i], comment: '评审意见' }))
      await ok(await request.put(`/api/v1/applications/${app.id}/my-review`, { headers, data: { scores, submit: true } }))
    }
  }
  await expectMail(a.who.email, /评审|reviewed/i, code)
  await expectMail(b.who.email, /评审|reviewed/i, code)

  // ---- the organiser's desk: the ranking with the spread, propose A with a short notice period (UI)
  await login(page, ORGANISER)
  await page.goto(`/admin/items/${item.id}/notice`)
  const candidates = page.getByTestId('candidates-table')
  await expect(candidates).toContainText(`揭榜单位甲 ${tag}`)
  const rows = candidates.locator('.el-table__body tr')
  await expect(rows.first()).toContainText(`揭榜单位甲 ${tag}`) // rank 1
  await expect(rows.nth(1)).toContainText('偏大') // B's reviewers disagree beyond the threshold
  const totalsB = sheets.map((s) => s[1][0] * 0.4 + s[1][1] * 0.3 + s[1][2] * 0.3)
  await expect(rows.nth(1)).toContainText((Math.max(...totalsB) - Math.min(...totalsB)).toFixed(1))
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

  // ---- a milestone and its report, a reviewer's verdict (API)
  const day = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10)
  await ok(await request.put(`/api/v1/challenge-items/${item.id}/acceptance/deadline`, { headers: organiser, data: { deadline: day(180) } }))
  const milestone = await ok<{ id: number }>(await request.post(`/api/v1/challenge-items/${item.id}/milestones`, { headers: organiser, data: { due_date: day(60), title: '中期检查', deliverables: '中期报告与样例结果' } }))
  const reported = await ok<{ reports: { id: number }[] }>(await request.post(`/api/v1/challenge-items/${item.id}/milestones/${milestone.id}/reports`, { headers: a.headers, multipart: { note: '中期进展', document: file('中期报告.pdf') } }))
  await expectMail(`expert0-${tag}@example.com`, /报告|report/i, code)
  const expert = await bearer(request, { email: `expert0-${tag}@example.com`, password: PASSWORD })
  const reportId = reported.reports[reported.reports.length - 1].id
  await ok(await request.put(`/api/v1/challenge-items/${item.id}/milestones/${milestone.id}/reports/${reportId}/verdict`, { headers: expert, data: { verdict: 'pass', comment: '按计划完成' } }))

  // ---- acceptance: the targets shown met by the verified track score; accepted with a document (API)
  const desk = await ok<{ all_targets_met: boolean; targets: { met: boolean; value: number | null }[] }>(await request.get(`/api/v1/challenge-items/${item.id}/acceptance/desk`, { headers: organiser }))
  expect(desk.targets).toHaveLength(1)
  expect(desk.targets[0].met).toBe(true)
  expect(desk.all_targets_met).toBe(true)
  await ok(await request.post(`/api/v1/challenge-items/${item.id}/acceptance/decision`, { headers: organiser, multipart: { outcome: 'accepted', note: '各项指标达标', document: file('验收意见.pdf') } }))
  await expectMail(a.who.email, /验收|accept/i, code)

  // ---- the hall of fame counts the accepted item (UI)
  await page.goto('/hall-of-fame')
  await expect(page.getByTestId('hall-table')).toContainText(`揭榜单位甲 ${tag}`)
  await shot(page, 'cycle-hall-of-fame')
})
