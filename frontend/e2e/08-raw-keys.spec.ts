/** Journey 4: every route, in zh-CN and en, shows words, never catalogue keys, enum values,
 * metric keys or raw actors. */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ORGANISER, apiToken, login } from './helpers'
import { findRaw, visibleTexts } from './rawkeys'

const here = dirname(fileURLToPath(import.meta.url))
const PARTICIPANT = { email: 'participant@demo.jiebang.org', password: 'jiebang-demo-2024' }
type Who = 'anonymous' | 'participant' | 'organiser'
interface Visit { pattern: string; path: string; who: Who; noIds?: boolean }

async function json<T>(request: APIRequestContext, path: string, token?: string): Promise<T> {
  const res = await request.get(`/api/v1${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  expect(res.ok(), `${path}: ${res.status()}`).toBeTruthy()
  return (await res.json()) as T
}

/** One real path for every route of src/router/index.ts, with the ids of the seeded demo. */
async function visits(request: APIRequestContext): Promise<Visit[]> {
  const mine = await apiToken(request, PARTICIPANT)
  const contests = await json<{ id: number; slug: string }[]>(request, '/contests')
  const demo = contests.find((c) => c.slug === 'malanshan-demo')!
  const past = contests.find((c) => c.slug === 'malanshan-2023') ?? demo
  const tracks = await json<{ id: number; slug: string }[]>(request, `/contests/${demo.id}/tracks`)
  const codec = tracks.find((tk) => tk.slug === 'codec')!
  const pastTrack = (await json<{ id: number }[]>(request, `/contests/${past.id}/tracks`))[0]
  const phase = (await json<{ id: number }[]>(request, `/tracks/${codec.id}/phases`))[0]
  const subs = await json<{ id: number }[]>(request, `/phases/${phase.id}/submissions/mine`, mine)
  const lists = await json<{ id: number }[]>(request, '/challenge-lists')
  const items = await json<{ id: number }[]>(request, `/challenge-lists/${lists[0].id}/items`)
  const notices = await json<{ item_id: number }[]>(request, '/notices')
  const noticed = notices[0]?.item_id ?? items[0].id
  const v = (pattern: string, path: string, who: Who, noIds = false): Visit => ({ pattern, path, who, noIds })
  return [
    v('/', '/', 'anonymous', true),
    v('/login', '/login', 'anonymous'),
    v('/register', '/register', 'anonymous'),
    v('/items/:id', `/items/${items[0].id}`, 'participant', true),
    v('/contests/:id', `/contests/${demo.id}`, 'anonymous'),
    v('/tracks/:id', `/tracks/${codec.id}?tab=overview`, 'participant'),
    v('/tracks/:id', `/tracks/${codec.id}?tab=data`, 'organiser'),
    v('/tracks/:id', `/tracks/${codec.id}?tab=board`, 'participant'),
    v('/tracks/:id', `/tracks/${pastTrack.id}?tab=board`, 'anonymous'),
    v('/hall-of-fame', '/hall-of-fame', 'anonymous', true),
    v('/notices', '/notices', 'anonymous', true),
    v('/notices/:id', `/notices/${noticed}`, 'participant', true),
    v('/teams', '/teams', 'participant'),
    v('/inbox', '/inbox', 'participant'),
    v('/applications', '/applications', 'participant', true),
    v('/units', '/units', 'participant'),
    v('/items/:id/unit-application', `/items/${items[0].id}/unit-application`, 'participant'),
    v('/review/desk', '/review/desk', 'participant'),
    v('/review/desk/items/:id', `/review/desk/items/${items[0].id}`, 'participant'),
    v('/review/lists/:id/rubric', `/review/lists/${lists[0].id}/rubric`, 'organiser'),
    v('/review/items/:id/formal-check', `/review/items/${items[0].id}/formal-check`, 'organiser'),
    v('/review/items/:id/reviewers', `/review/items/${items[0].id}/reviewers`, 'organiser'),
    v('/review/items/:id/ranking', `/review/items/${items[0].id}/ranking`, 'organiser'),
    v('/phases/:id/submit', `/phases/${phase.id}/submit`, 'participant'),
    v('/phases/:id/submissions', `/phases/${phase.id}/submissions`, 'participant'),
    v('/submissions/:id', `/submissions/${subs[0]?.id ?? 1}`, 'participant'),
    v('/judge', `/judge?phase=${phase.id}`, 'organiser'),
    v('/judge/submissions/:id', `/judge/submissions/${subs[0]?.id ?? 1}`, 'organiser'),
    v('/judge/audit', '/judge/audit', 'organiser'),
    v('/admin/lists', '/admin/lists', 'organiser'),
    v('/admin/lists/:id', `/admin/lists/${lists[0].id}`, 'organiser', true),
    v('/admin/items/:id/applications', `/admin/items/${items[0].id}/applications`, 'organiser'),
    v('/admin/items/:id/notice', `/admin/items/${noticed}/notice`, 'organiser', true),
    v('/admin/contests', '/admin/contests', 'organiser'),
    v('/admin/contests/:id', `/admin/contests/${demo.id}`, 'organiser'),
    v('/admin/contests/:id/tracks/new', `/admin/contests/${demo.id}/tracks/new`, 'organiser'),
    v('/admin/health', '/admin/health', 'organiser'),
    v('/admin/roles', '/admin/roles', 'organiser'),
    v('/:pathMatch(.*)*', '/no-such-page', 'anonymous'),
  ]
}

/** Save the locale of the run in each account, so that signing in keeps it. */
async function saveLocale(request: APIRequestContext, locale: string): Promise<void> {
  for (const who of [ORGANISER, PARTICIPANT]) {
    const token = await apiToken(request, who)
    const res = await request.patch('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` }, data: { locale } })
    expect(res.ok()).toBeTruthy()
  }
}

async function settle(page: Page): Promise<void> {
  // no 'networkidle': signed-in pages hold an event stream open
  await page.locator('main').first().waitFor()
  await page.waitForTimeout(500)
  await page.locator('.el-skeleton').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined)
  await page.waitForTimeout(300)
}

for (const locale of ['zh-CN', 'en'] as const) {
  test.describe(`raw keys (${locale})`, () => {
    test.use({ locale: locale === 'en' ? 'en-US' : 'zh-CN' })

    test(`no route shows a raw key in ${locale}`, async ({ page, request }) => {
      test.setTimeout(420_000) // some 45 routes, each settled, on a shared machine
      const all = await visits(request)
      await saveLocale(request, locale)
      try {
        // every route of the router is visited: a new route must be added here
        const routerSource = readFileSync(resolve(here, '../src/router/index.ts'), 'utf8')
        const patterns = [...routerSource.matchAll(/path: '([^']+)'/g)].map((m) => m[1])
        expect(patterns.filter((p) => !all.some((x) => x.pattern === p))).toEqual([])

        const problems: string[] = []
        let who: Who | null = null
        for (const who_ of ['anonymous', 'participant', 'organiser'] as const) {
          for (const visit of all.filter((x) => x.who === who_)) {
            if (who !== who_) {
              await page.goto('/')
              await page.evaluate(() => localStorage.clear())
              if (who_ !== 'anonymous') await login(page, who_ === 'organiser' ? ORGANISER : PARTICIPANT)
              who = who_
            }
            await page.goto(visit.path)
            await settle(page)
            await expect(page.locator('html')).toHaveAttribute('lang', locale)
            for (const f of findRaw(await visibleTexts(page), { noIds: visit.noIds })) problems.push(`${visit.path} (${who_}) ${f.kind}: ${JSON.stringify(f.text)}`)
          }
        }
        expect(problems, problems.join('\n')).toEqual([])
      } finally {
        // the journeys after this one read the demo users' pages in zh-CN
        await saveLocale(request, 'zh-CN')
      }
    })
  })
}
