import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JUDGE, ORGANISER, apiToken, choose, field, login, publishContest, shot, uid } from './helpers'

// "Done when" of issue 16, as a new organiser would do it: a Codabench v2 bundle (written here
// in Codabench's own format: competition.yaml, a scoring program with metadata.yaml, reference
// data, a solution, a fact sheet) is uploaded unchanged in the browser, its track is checked,
// the contest published, and a team's submission gets the score the bundle's own scoring
// program gives when run directly on the same files.
const here = dirname(fileURLToPath(import.meta.url))
const PY = resolve(here, '../../.venv/bin/python')

const SCORE = `
import json, os, sys
inp, out = sys.argv[1], sys.argv[2]
truth = open(os.path.join(inp, "ref", "truth.txt")).read().split()
guess = open(os.path.join(inp, "res", "answers.txt")).read().split()
right = sum(t == g for t, g in zip(truth, guess))
os.makedirs(out, exist_ok=True)
json.dump({"accuracy": right / len(truth), "errors": len(truth) - right}, open(os.path.join(out, "scores.json"), "w"))
open(os.path.join(out, "detailed_results.html"), "w").write(
    "<h1>Per item</h1>" + "".join(f"<p>{t} / {g}</p>" for t, g in zip(truth, guess)))
`
const TRUTH = 'cat dog cat bird dog cat fish dog\n'
const SOLUTION = 'cat dog dog bird dog cat cat dog\n' // 6 of 8
const TEAM = 'cat dog cat bird dog cat cat dog\n' // 7 of 8

function day(offset: number): string {
  return new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10)
}

function competition(tag: string): string {
  return `version: 2
title: E2E Codabench Quiz ${tag}
description: A Codabench bundle uploaded unchanged.
registration_auto_approve: true
enable_detailed_results: true
pages:
  - title: Overview
    file: pages/overview.md
tasks:
  - index: 0
    name: Labels
    scoring_program: scoring_program/
    reference_data: reference_data/
solutions:
  - index: 0
    tasks: [0]
    path: solution/
phases:
  - index: 0
    name: Development
    start: ${day(-1)}
    end: ${day(30)}
    max_submissions_per_day: 5
    max_submissions: 20
    tasks: [0]
fact_sheet:
  method:
    key: method
    type: text
    title: Method name
    is_required: "true"
    is_on_leaderboard: "true"
leaderboards:
  - index: 0
    title: Results
    key: main
    submission_rule: Force_Last
    columns:
      - {index: 0, title: Accuracy, key: accuracy, sorting: desc, precision: 4}
      - {index: 1, title: Errors, key: errors, sorting: asc, precision: 0}
`
}

function zipOf(path: string, files: Record<string, string>): string {
  const py = 'import json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n    for k, v in json.loads(sys.argv[2]).items(): z.writestr(k, v)'
  execFileSync(PY, ['-c', py, path, JSON.stringify(files)])
  return path
}

/** The bundle's scoring program run directly (no platform): its scores.json. */
function runDirectly(dir: string, answers: string): Record<string, number> {
  mkdirSync(join(dir, 'input', 'ref'), { recursive: true })
  mkdirSync(join(dir, 'input', 'res'), { recursive: true })
  writeFileSync(join(dir, 'input', 'ref', 'truth.txt'), TRUTH)
  writeFileSync(join(dir, 'input', 'res', 'answers.txt'), answers)
  writeFileSync(join(dir, 'score.py'), SCORE)
  execFileSync(PY, [join(dir, 'score.py'), join(dir, 'input'), join(dir, 'output')])
  return JSON.parse(readFileSync(join(dir, 'output', 'scores.json'), 'utf8'))
}

test('an organiser uploads a Codabench bundle unchanged, checks and publishes it; a team gets the bundle program\'s score', async ({ page, request }) => {
  test.setTimeout(300_000)
  const tag = uid()
  const dir = join(tmpdir(), `cb-e2e-${tag}`)
  mkdirSync(dir, { recursive: true })
  const bundle = zipOf(join(dir, 'bundle.zip'), {
    'competition.yaml': competition(tag),
    'pages/overview.md': '# Overview\n\nGuess the animals.\n',
    'scoring_program/metadata.yaml': 'command: python3 score.py /app/input /app/output\n',
    'scoring_program/score.py': SCORE,
    'reference_data/truth.txt': TRUTH,
    'solution/answers.txt': SOLUTION,
  })
  const broken = zipOf(join(dir, 'broken.zip'), {
    'competition.yaml': competition(tag).replace('tasks: [0]\nfact_sheet', 'tasks: [0, 3]\nfact_sheet'),
  })
  const submission = zipOf(join(dir, 'submission.zip'), { 'answers.txt': TEAM })
  const expectedSample = runDirectly(join(dir, 'direct-sample'), SOLUTION)
  const expectedTeam = runDirectly(join(dir, 'direct-team'), TEAM)
  expect(expectedSample.accuracy).toBe(0.75)
  expect(expectedTeam.accuracy).toBe(0.875)

  // 1. the organiser uploads the bundle in the browser; a broken one is refused with file and line
  await login(page, ORGANISER)
  await page.goto('/admin/health')
  const picker = page.locator('.el-upload input[type=file]').last()
  await picker.setInputFiles(broken)
  await page.getByTestId('bundle-import').click()
  await expect(page.getByTestId('bundle-problems')).toContainText(/competition\.yaml:\d+: phases\[0\]\.tasks\[1\]: task 3 does not exist/)
  await page.reload()
  await page.locator('.el-upload input[type=file]').last().setInputFiles(bundle)
  await page.getByTestId('bundle-import').click()
  await expect(page.getByTestId('bundle-changes')).toContainText('sample submission stored', { timeout: 60_000 })
  await shot(page, 'codabench-imported')

  // 2. the readiness check scores the bundle's solution with its own program; then publish
  const headers = { Authorization: `Bearer ${await apiToken(request, ORGANISER)}` }
  const contests = await (await request.get('/api/v1/contests', { headers })).json()
  const contest = contests.find((c: { slug: string }) => c.slug === `e2e-codabench-quiz-${tag}`)
  expect(contest).toBeTruthy()
  await page.goto(`/admin/contests/${contest.id}`)
  await page.getByTestId('check-track-labels').click()
  await page.getByTestId('wiz-check').click()
  await expect(page.getByTestId('wiz-check-status')).toContainText(/check passed|检查通过/, { timeout: 120_000 })
  const checked = page.getByTestId('wiz-check-metrics')
  await expect(checked).toContainText(`accuracy${expectedSample.accuracy}`) // the program's own value, unrounded
  await expect(checked).toContainText(`errors${expectedSample.errors}`)
  await shot(page, 'codabench-checked')
  await page.keyboard.press('Escape')
  await publishContest(page)
  await expect(page.getByTestId('contest-status')).toHaveAttribute('data-status', 'published')

  // 3. a team answers the fact sheet, submits, and gets the program's own score
  await page.context().clearCookies()
  await page.evaluate(() => localStorage.clear())
  const who = { email: `cb-${tag}@example.com`, password: 'participant-pass-1' }
  expect((await request.post('/api/v1/auth/register', { data: { ...who, display_name: `CB ${tag}` } })).ok()).toBeTruthy()
  await login(page, who)
  await page.goto('/teams')
  await choose(page, 'team-contest', new RegExp(`E2E Codabench Quiz ${tag}`))
  await field(page, 'team-name').first().fill(`Quizzers ${tag}`)
  await page.getByTestId('team-create').click()
  await expect(page.getByTestId(`team-Quizzers ${tag}`)).toBeVisible()
  const [track] = await (await request.get(`/api/v1/contests/${contest.id}/tracks`)).json()
  await page.goto(`/tracks/${track.id}`)
  await page.getByTestId('submit-development').click()
  await expect(page.getByTestId('fact-sheet')).toContainText('Method name')
  await page.getByTestId('dropzone').locator('input[type=file]').setInputFiles(submission)
  await page.getByTestId('submit-start').click()
  await expect(page.getByTestId('pick-error')).toContainText('Method name') // required first
  await page.getByTestId('fact-sheet-method').fill('Nearest animal')
  await shot(page, 'codabench-fact-sheet')
  await page.getByTestId('submit-start').click()
  await expect(page.getByTestId('view-submission')).toBeVisible({ timeout: 60_000 })
  await page.getByTestId('view-submission').click()
  await expect(page.getByTestId('submission-status')).toHaveAttribute('data-status', 'scored', { timeout: 120_000 })
  await expect(page.getByTestId('scores')).toContainText(expectedTeam.accuracy.toFixed(4))
  await expect(page.getByTestId('detailed-results').locator('iframe')).toHaveAttribute('sandbox', '')
  await expect(page.getByTestId('fact-sheet-answer-method')).toHaveText('Nearest animal')
  const subId = Number(/submissions\/(\d+)/.exec(page.url())![1])
  await shot(page, 'codabench-team-scored')
  // the board shows the answer to the question marked is_on_leaderboard
  await page.goto(`/tracks/${track.id}`)
  await page.getByTestId('tab-board').click()
  await expect(page.getByTestId('lb-fact-head-method')).toHaveText('Method name')
  await expect(page.getByTestId('leaderboard')).toContainText('Nearest animal')

  // 4. a judge sees the team's fact sheet answers beside the score
  await page.context().clearCookies()
  await page.evaluate(() => localStorage.clear())
  await login(page, JUDGE)
  await page.goto(`/judge/submissions/${subId}`)
  await expect(page.getByTestId('fact-sheet-answer-method')).toHaveText('Nearest animal')
})
