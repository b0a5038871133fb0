import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ORGANISER, apiToken, choose, field, login, shot, uid } from './helpers'

const here = dirname(fileURLToPath(import.meta.url))
const PY = resolve(here, '../../.venv/bin/python')

// An AIGC image-detection task scored by the organiser's own ROC-AUC command scorer (platform runtime:
// pure Python, ties count half — the Mann–Whitney form of roc_auc_score).
const MANIFEST = `key: e2e_auc_KEY
title_zh: AIGC 图像检测 AUC
title_en: AIGC image detection AUC
command: ["python", "score.py"]
runtime: {kind: platform}
metrics:
  - {key: auc, direction: higher, label_zh: AUC, label_en: ROC-AUC, precision: 4}
`
const SCORER = `
import csv, json, os, sys

def read(path, column):
    with open(path, newline="") as fh:
        return {row["id"]: float(row[column]) for row in csv.DictReader(fh)}

def auc(labels, scores):
    pos = [scores[i] for i in labels if labels[i] == 1]
    neg = [scores[i] for i in labels if labels[i] == 0]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))

labels = read("/reference/labels.csv", "label")
files = [f for f in os.listdir("/submission") if f.endswith(".csv")]
if len(files) != 1:
    json.dump({"error": "submit one CSV file", "error_zh": "请提交一个 CSV 文件"}, open("/out/scores.json", "w"))
    sys.exit(0)
scores = read(os.path.join("/submission", files[0]), "score")
splits = json.load(open("/config.json")).get("splits") or {}
print("scoring", len(scores), "rows", file=sys.stderr)
result = {"metrics": {"auc": auc(labels, scores)}, "splits": {}}
for name, part in splits.items():
    if part:
        result["splits"][name] = {"auc": auc({i: labels[i] for i in part}, scores)}
json.dump(result, open("/out/scores.json", "w"))
`
const IDS = Array.from({ length: 13 }, (_, i) => `img-${String(i).padStart(3, '0')}`)
const LABELS = IDS.map((_, i) => (i % 3 === 0 ? 1 : 0))
const SCORES = IDS.map((_, i) => [0.9, 0.2, 0.4, 0.7, 0.1, 0.6, 0.8, 0.3, 0.75, 0.55, 0.15, 0.5, 0.65][i])

function aucOf(labels: number[], scores: number[]): number {
  let wins = 0
  let pairs = 0
  labels.forEach((l, i) => labels.forEach((m, j) => {
    if (l === 1 && m === 0) {
      pairs++
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0
    }
  }))
  return wins / pairs
}

function pack(kind: 'zip' | 'tar', path: string, files: Record<string, string>): string {
  const py = kind === 'zip'
    ? 'import json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n    for k, v in json.loads(sys.argv[2]).items(): z.writestr(k, v)'
    : 'import io, json, sys, tarfile\nwith tarfile.open(sys.argv[1], "w") as t:\n    for k, v in json.loads(sys.argv[2]).items():\n        b = v.encode(); i = tarfile.TarInfo(k); i.size = len(b); t.addfile(i, io.BytesIO(b))'
  execFileSync(PY, ['-c', py, path, JSON.stringify(files)])
  return path
}

test('an organiser sets up an AUC track in the wizard, checks and publishes it; a team is scored on it', async ({ page, request }) => {
  test.setTimeout(240_000)
  const tag = uid()
  const key = `e2e_auc_${tag.replace(/[^a-z0-9]/g, 'x')}`
  const dir = tmpdir()
  const scorer = pack('zip', join(dir, `scorer-${tag}.zip`), { 'scorer.yaml': MANIFEST.replace('e2e_auc_KEY', key), 'score.py': SCORER })
  const csv = (col: string, values: number[]) => `id,${col}\n${IDS.map((id, i) => `${id},${values[i]}`).join('\n')}\n`
  const reference = pack('tar', join(dir, `ref-${tag}.tar`), { 'labels.csv': csv('label', LABELS) })
  const sample = join(dir, `sample-${tag}.csv`)
  writeFileSync(sample, csv('score', SCORES))
  const devkit = pack('zip', join(dir, `devkit-${tag}.zip`), { 'README.md': '# AIGC detection starting kit\n', 'train/labels.csv': csv('label', LABELS) })

  // a draft contest to hold the track
  const headers = { Authorization: `Bearer ${await apiToken(request, ORGANISER)}` }
  const contest = await (await request.post('/api/v1/contests', { headers, data: { slug: `aigc-${tag}`, title_zh: `AIGC 检测 ${tag}`, title_en: `AIGC detection ${tag}`, edition: '2026', year: new Date().getFullYear() } })).json()

  await login(page, ORGANISER)
  await page.goto(`/admin/contests/${contest.id}`)
  await page.getByTestId('track-wizard').click()
  await expect(page).toHaveURL(new RegExp(`/admin/contests/${contest.id}/tracks/new`))

  // 1. basics and the uploaded scoring program
  await field(page, 'wiz-slug').fill('aigc')
  await field(page, 'wiz-title-zh').fill('AIGC 图像检测')
  await field(page, 'wiz-title-en').fill('AIGC image detection')
  await page.locator('.el-upload', { has: page.getByTestId('wiz-program-upload') }).locator('input[type=file]').setInputFiles(scorer)
  await expect(page.getByTestId('wiz-program')).toContainText('command')
  await expect(page.getByTestId('wiz-program')).toContainText('auc')
  await expect(page.getByTestId('wiz-evaluator')).toContainText(key)
  await shot(page, 'wizard-evaluator')
  await page.getByTestId('wiz-next').click()

  // 2. no config schema: the raw JSON stays available
  await expect(page.getByText(/takes no configuration|无需配置/)).toBeVisible()
  await page.getByTestId('wiz-next').click()

  // 3. leaderboard columns: the primary one, its label and precision
  await field(page, 'col-auc-label-en').fill('AUC (ROC)')
  await field(page, 'col-auc-precision').fill('3')
  await field(page, 'col-auc-precision').blur()
  await page.getByTestId('wiz-next').click()

  // 4. phase and split: items pasted, split by a seeded ratio
  await field(page, 'wiz-phase-slug').fill('dev')
  await field(page, 'split-paste').fill(IDS.join('\n'))
  await page.getByTestId('split-add').click()
  await page.getByTestId('split-apply').click()
  await expect(page.getByTestId('split-counts')).toContainText(/13.*(6|7).*(6|7)/)
  await shot(page, 'wizard-split')
  await page.getByTestId('wiz-create').click()

  // 5. data: reference and sample, checksums shown
  await page.locator('.el-upload', { has: page.getByTestId('wiz-reference-upload') }).locator('input[type=file]').setInputFiles(reference)
  await expect(page.getByTestId('wiz-reference-sha')).toContainText(/[0-9a-f]{64}/)
  await page.locator('.el-upload', { has: page.getByTestId('wiz-sample-upload') }).locator('input[type=file]').setInputFiles(sample)
  await expect(page.getByTestId('wiz-sample-sha')).toContainText(/[0-9a-f]{64}/)
  // the public devkit teams download from the Data tab
  await page.locator('.el-upload', { has: page.getByTestId('devkit-choose') }).locator('input[type=file]').setInputFiles(devkit)
  await expect(page.getByTestId('devkit-sha')).toContainText(/[0-9a-f]{64}/)
  await page.getByTestId('wiz-next').click()

  // 6. the readiness check runs the real pipeline on the sample, then publish
  await page.getByTestId('wiz-check').click()
  await expect(page.getByTestId('wiz-check-status')).toContainText(/check passed|检查通过/, { timeout: 120_000 })
  await expect(page.getByTestId('wiz-check-stderr')).toContainText('scoring 13 rows')
  await expect(page.getByTestId('wiz-check-metrics')).toContainText(String(aucOf(LABELS, SCORES)).slice(0, 5))
  await expect(page.getByTestId('readiness-ok')).toBeVisible()
  // the scorer's runtime is shown beside the check (platform here: nothing to build)
  await expect(page.getByTestId('runtime-status').last()).toContainText(/platform|平台运行时/)
  await shot(page, 'wizard-check')
  await page.getByTestId('wiz-publish').click()
  await expect(page.getByText(/published|已发布/).first()).toBeVisible()
  const published = await (await request.get(`/api/v1/contests/${contest.id}`)).json()
  expect(published.status).toBe('published')

  // the track is edited later as the wizard set it up: evaluator, columns, the phase's split
  const [made] = await (await request.get(`/api/v1/contests/${contest.id}/tracks`)).json()
  await page.goto(`/admin/contests/${contest.id}`)
  await page.getByTestId('edit-track-aigc').click()
  await page.locator('#tab-evaluator').click()
  await expect(page.getByTestId('wiz-program')).toContainText('auc')
  await expect(page.getByTestId('runtime-status').last()).toContainText(/platform|平台运行时/)
  await page.locator('#tab-columns').click()
  await field(page, 'col-auc-label-en').fill('ROC-AUC (public)')
  await page.getByTestId('edit-track-save').click()
  await expect.poll(async () => (await (await request.get(`/api/v1/tracks/${made.id}`)).json()).leaderboard.columns[0].label_en).toBe('ROC-AUC (public)')
  await page.getByTestId('edit-phase-dev').click()
  await page.getByTestId('edit-phase-split').locator('.el-collapse-item__header').click()
  await expect(page.getByTestId('split-counts')).toContainText(/13/)
  await shot(page, 'track-edit-split')
  await page.keyboard.press('Escape')

  // a participant submits a CSV and sees the score
  await page.getByTestId('whoami').click().catch(() => undefined)
  await page.context().clearCookies()
  await page.evaluate(() => localStorage.clear())
  const who = { email: `auc-${tag}@example.com`, password: 'participant-pass-1' }
  expect((await request.post('/api/v1/auth/register', { data: { ...who, display_name: `AUC ${tag}` } })).ok()).toBeTruthy()
  await login(page, who)
  await page.goto('/teams')
  await choose(page, 'team-contest', new RegExp(`AIGC .*${tag}`))
  await field(page, 'team-name').first().fill(`Detect ${tag}`)
  await page.getByTestId('team-create').click()
  await expect(page.getByTestId(`team-Detect ${tag}`)).toBeVisible()
  const tracks = await (await request.get(`/api/v1/contests/${contest.id}/tracks`)).json()
  await page.goto(`/tracks/${tracks[0].id}`)
  await page.getByTestId('submit-dev').click()
  await page.getByTestId('dropzone').locator('input[type=file]').setInputFiles(sample)
  await page.getByTestId('submit-start').click()
  await expect(page.getByTestId('view-submission')).toBeVisible({ timeout: 60_000 })
  await page.getByTestId('view-submission').click()
  await expect(page.getByTestId('submission-status')).toHaveAttribute('data-status', 'scored', { timeout: 120_000 })
  // a team sees the public split's score: ROC-AUC over the public items of the seeded split
  const phases = await (await request.get(`/api/v1/tracks/${tracks[0].id}/phases`)).json()
  const split = await (await request.get(`/api/v1/phases/${phases[0].id}/split`, { headers })).json()
  const pub = IDS.map((id, i) => [id, i] as const).filter(([id]) => split.public.includes(id)).map(([, i]) => i)
  const expected = aucOf(pub.map((i) => LABELS[i]), pub.map((i) => SCORES[i]))
  await expect(page.getByTestId('scores')).toContainText(/\d\.\d{4}/)
  const shown = Number(/(\d\.\d{4})/.exec(await page.getByTestId('scores').innerText())![1])
  expect(Math.abs(shown - expected)).toBeLessThanOrEqual(0.00005)
  await shot(page, 'wizard-participant-scored')
  // the devkit the organiser uploaded in the wizard, listed for the team
  await page.goto(`/tracks/${tracks[0].id}?tab=data`)
  await expect(page.getByTestId('data-files')).toContainText('train/labels.csv')
  await expect(page.getByTestId('data-files')).toContainText('README.md')
})
