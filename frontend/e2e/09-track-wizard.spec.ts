import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ORGANISER, apiToken, choose, field, login, publishContest, shot, uid } from './helpers'

const here = dirname(fileURLToPath(import.meta.url))
const PY = resolve(here, '../../.venv/bin/python')

// An AIGC image-detection task scored by the organiser's own ROC-AUC command scorer: scikit-learn's
// roc_auc_score in a pinned Python environment (the versions tests/artifacts/support.py pins), which
// the platform builds from the package index the first time the track is checked.
const MANIFEST = `key: e2e_auc_KEY
title_zh: AIGC 图像检测 AUC
title_en: AIGC image detection AUC
command: ["python", "score.py"]
runtime: {kind: python, version: "3.11", requirements: ["scikit-learn==1.6.1", "numpy==2.2.6"]}
metrics:
  - {key: auc, direction: higher, label_zh: AUC, label_en: ROC-AUC, precision: 4}
`
const SCORER = `
import csv, json, os, sys
from sklearn.metrics import roc_auc_score

def read(path, column):
    with open(path, newline="") as fh:
        return {row["id"]: float(row[column]) for row in csv.DictReader(fh)}

def auc(labels, scores, ids):
    return float(roc_auc_score([labels[i] for i in ids], [scores[i] for i in ids]))

labels = read("/reference/labels.csv", "label")
files = [f for f in os.listdir("/submission") if f.endswith(".csv")]
if len(files) != 1:
    json.dump({"error": "submit one CSV file", "error_zh": "请提交一个 CSV 文件"}, open("/out/scores.json", "w"))
    sys.exit(0)
scores = read(os.path.join("/submission", files[0]), "score")
splits = json.load(open("/config.json")).get("splits") or {}
print("scoring", len(scores), "rows", file=sys.stderr)
result = {"metrics": {"auc": auc(labels, scores, sorted(labels))}, "splits": {}}
for name, part in splits.items():
    if part:
        result["splits"][name] = {"auc": auc(labels, scores, part)}
json.dump(result, open("/out/scores.json", "w"))
`
// the organiser's first try reads the submission's column by the wrong name: it crashes (KeyError)
const BROKEN = SCORER.replace('files[0]), "score")', 'files[0]), "prob")')
// building numpy/scipy/scikit-learn from the index on a fresh cache (6–16 s measured), then scoring
const BUILD_AND_SCORE = 300_000

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

test('an organiser sets up an AUC track (scikit-learn, pinned Python) in the wizard; a failing check blocks publishing until the fixed scorer passes; a team is scored on it', async ({ page, request }) => {
  test.setTimeout(600_000)
  const tag = uid()
  const key = `e2e_auc_${tag.replace(/[^a-z0-9]/g, 'x')}`
  const dir = tmpdir()
  const manifest = MANIFEST.replace('e2e_auc_KEY', key)
  const broken = pack('zip', join(dir, `scorer-broken-${tag}.zip`), { 'scorer.yaml': manifest, 'score.py': BROKEN })
  const scorer = pack('zip', join(dir, `scorer-${tag}.zip`), { 'scorer.yaml': manifest, 'score.py': SCORER })
  const csv = (col: string, values: number[]) => `id,${col}\n${IDS.map((id, i) => `${id},${values[i]}`).join('\n')}\n`
  const reference = pack('tar', join(dir, `ref-${tag}.tar`), { 'labels.csv': csv('label', LABELS) })
  const sample = join(dir, `sample-${tag}.csv`)
  writeFileSync(sample, csv('score', SCORES))
  const devkit = pack('zip', join(dir, `devkit-${tag}.zip`), { 'README.md': '# AIGC detection starting kit\n', 'train/labels.csv': csv('label', LABELS) })

  // a draft contest to hold the track
  const headers = { Authorization: `Bearer ${await apiToken(request, ORGANISER)}` }
  const contest = await (await request.post('/api/v1/contests', { headers, data: { slug: `aigc-${tag}`, title_zh: `AIGC 检测 ${tag}`, title_en: `AIGC detection ${tag}`, edition: '2026', year: new Date().getFullYear() } })).json()
  const status = async () => (await (await request.get(`/api/v1/contests/${contest.id}`, { headers })).json()).status

  await login(page, ORGANISER)
  await page.goto(`/admin/contests/${contest.id}`)
  await page.getByTestId('track-wizard').click()
  await expect(page).toHaveURL(new RegExp(`/admin/contests/${contest.id}/tracks/new`))

  // 1. basics and the uploaded scoring program (its first, broken version); its runtime is not built yet
  await field(page, 'wiz-slug').fill('aigc')
  await field(page, 'wiz-title-zh').fill('AIGC 图像检测')
  await field(page, 'wiz-title-en').fill('AIGC image detection')
  await page.locator('.el-upload', { has: page.getByTestId('wiz-program-upload') }).locator('input[type=file]').setInputFiles(broken)
  await expect(page.getByTestId('wiz-program')).toContainText(/评分命令|Scoring command/)
  await expect(page.getByTestId('wiz-program')).toContainText('auc')
  await expect(page.getByTestId('wiz-program')).toContainText(/(Python 环境|Python environment) 3\.11/)
  await expect(page.getByTestId('wiz-evaluator')).toContainText(key)
  await expect(page.getByTestId('runtime-state')).toHaveAttribute('data-status', 'absent')
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

  // 6. the readiness check builds the pinned environment (shown building, with its log), then
  // runs the broken scorer on the sample: the check fails with the scorer's own stderr
  const panel = page.locator('.check-panel')
  await page.getByTestId('wiz-check').click()
  await expect(panel.getByTestId('runtime-state')).toHaveAttribute('data-status', 'building', { timeout: 60_000 })
  await expect(panel.getByTestId('runtime-status')).toContainText(/building|构建中/)
  await expect(panel.getByTestId('runtime-log')).not.toBeEmpty({ timeout: 60_000 })
  await shot(page, 'wizard-runtime-building')
  await expect(panel.getByTestId('wiz-check-status')).toContainText(/check failed|检查未通过/, { timeout: BUILD_AND_SCORE })
  await expect(panel.getByTestId('runtime-state')).toHaveAttribute('data-status', 'ready')
  await expect(panel.getByTestId('wiz-check-stderr')).toContainText("KeyError: 'prob'")
  await expect(panel.getByTestId('readiness-missing')).toContainText(/last check failed|最近一次检查未通过/)
  await shot(page, 'wizard-check-failed')

  // publishing is refused: the dialog says why, with a link to the track to fix
  await page.getByRole('link', { name: /back to the contest|返回赛事/i }).click()
  await publishContest(page)
  const notReady = page.getByTestId('not-ready')
  await expect(notReady.getByTestId('readiness-missing')).toContainText('aigc')
  await expect(notReady.getByTestId('readiness-missing')).toContainText(/last check failed|最近一次检查未通过/)
  await expect(notReady.getByTestId('readiness-missing')).toContainText("KeyError: 'prob'")
  await shot(page, 'publish-refused')
  await notReady.getByRole('link', { name: /fix it|去修改/i }).click()
  await expect(notReady).toBeHidden()
  await expect(page).toHaveURL(/#track-aigc$/)
  expect(await status()).toBe('draft')
  await expect(page.getByTestId('contest-status')).toHaveAttribute('data-status', 'draft')

  // the fix: the scorer's second version uploaded in the track's edit dialog, which pins it
  await page.getByTestId('edit-track-aigc').click()
  await page.locator('#tab-evaluator').click()
  const editor = page.getByTestId('edit-track-evaluator')
  await editor.locator('.el-upload', { has: page.getByTestId('wiz-program-upload') }).locator('input[type=file]').setInputFiles(scorer)
  await expect(editor.getByTestId('wiz-version')).toContainText(/\b2 · /)
  await expect(editor.getByTestId('runtime-state')).toHaveAttribute('data-status', 'ready') // the same pinned environment
  await page.getByTestId('edit-track-save').click()
  const [made] = await (await request.get(`/api/v1/contests/${contest.id}/tracks`, { headers })).json()
  await expect.poll(async () => (await (await request.get(`/api/v1/tracks/${made.id}`, { headers })).json()).evaluator_version).toBe('2')

  // checked again: it passes, scored by roc_auc_score; then the contest publishes
  await page.getByTestId('check-track-aigc').click()
  const dialog = page.locator('.el-dialog', { has: page.locator('.check-panel') })
  await dialog.getByTestId('wiz-check').click()
  await expect(dialog.getByTestId('wiz-check-status')).toContainText(/check passed|检查通过/, { timeout: BUILD_AND_SCORE })
  await expect(dialog.getByTestId('wiz-check-stderr')).toContainText('scoring 13 rows')
  await expect(dialog.getByTestId('wiz-check-metrics')).toContainText(String(aucOf(LABELS, SCORES)).slice(0, 5))
  await expect(dialog.getByTestId('readiness-ok')).toBeVisible()
  await expect(dialog.getByTestId('runtime-state')).toHaveAttribute('data-status', 'ready')
  await shot(page, 'wizard-check')
  await publishContest(page, dialog.getByTestId('wiz-publish'))
  await expect.poll(status).toBe('published')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('contest-status')).toHaveAttribute('data-status', 'published')

  // the track is edited later as the wizard set it up: evaluator, columns, the phase's split
  await page.goto(`/admin/contests/${contest.id}`)
  await page.getByTestId('edit-track-aigc').click()
  await page.locator('#tab-evaluator').click()
  await expect(page.getByTestId('wiz-program')).toContainText('auc')
  await expect(page.getByTestId('wiz-version')).toContainText(/\b2 · /)
  await expect(page.getByTestId('runtime-status').last()).toContainText(/ready|已就绪/)
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
