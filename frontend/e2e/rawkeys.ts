/** What a page must never show as text: catalogue keys, enum values, metric keys, raw actors. */
import type { Page } from '@playwright/test'

/** Top-level sections of src/i18n/en.ts: "section.key" in visible text is an untranslated key. */
export const SECTIONS = [
  'app', 'nav', 'common', 'home', 'auth', 'roles', 'item', 'applications', 'contest', 'track', 'leaderboard', 'team', 'submit',
  'submission', 'judge', 'admin', 'hall', 'labels', 'stage', 'data', 'results', 'publish', 'mine', 'quotaCard', 'judgeConsole', 'application',
  'units', 'unitApplication', 'review', 'codec', 'ladder',
]

/** Machine values that are only ever shown through a catalogue or an evaluator spec. */
export const RAW_VALUES = new Set([
  // statuses and enums
  'uploading', 'queued', 'running', 'scored', 'failed', 'cancelled', 'held', 'submitted', 'shortlisted', 'awarded', 'rejected',
  'draft', 'published', 'closed', 'public', 'private', 'participants', 'hidden', 'best', 'latest', 'selected', 'results', 'code',
  'organiser', 'judge', 'participant', 'higher', 'lower', 'done', 'ok',
  // failure categories and audit actions
  'submission', 'infrastructure', 'evaluator', 'disqualified', 'flag', 'unflag', 'verify', 'disqualify', 'reinstate', 'rescore',
  'freeze', 'unfreeze', 'publish',
  // challenge categories of the demo list
  'video-coding', 'audio', 'quality', 'restoration', 'digital-human',
  // metric keys as headers
  'psnr', 'ssim', 'ms_ssim', 'vmaf', 'score', 'srocc', 'plcc', 'bd_rate', 'si_sdr', 'latency_ms',
])

export interface Finding {
  kind: 'catalogue-key' | 'snake_case' | 'raw-actor' | 'raw-value' | 'item-id'
  text: string
}

/** Visible text of the page, node by node, leaving out what is data by nature (file names,
 * hashes, commands, logs, inputs): those live in pre, code, .mono and form fields. */
export async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const skip = 'pre, code, .mono, .log, input, textarea, script, style, noscript, [aria-hidden="true"], .el-select-dropdown, .el-popper'
    const out: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim()
      const el = n.parentElement
      if (!text || !el || el.closest(skip)) continue
      const box = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      if ((box.width === 0 && box.height === 0) || style.visibility === 'hidden' || style.display === 'none') continue
      out.push(text)
    }
    // table headers and tags often carry a whole raw value: add their full text too
    for (const el of Array.from(document.querySelectorAll('th .cell, .el-tag__content, .el-descriptions__label, .el-statistic__head'))) {
      if (el.closest(skip)) continue
      const text = (el.textContent ?? '').trim()
      if (text) out.push(text)
    }
    return out
  })
}

const KEY = new RegExp(`(?:^|[^\\w.@/-])(?:${SECTIONS.join('|')})\\.[a-z][A-Za-z0-9]*(?:\\.[A-Za-z0-9_-]+)*(?![\\w/.-])`)
const SNAKE = /(?:^|[^\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w./-])/
const ACTOR = /\b(?:user|worker):[\w-]+/
const ITEM_ID = /(?:^|\s)#\d+(?:\s|$)/

/** Everything raw among `texts`. With `noIds`, a bare "#4" (an item or track by id) is raw too. */
export function findRaw(texts: string[], opts: { noIds?: boolean } = {}): Finding[] {
  const found: Finding[] = []
  for (const text of texts) {
    if (KEY.test(text)) found.push({ kind: 'catalogue-key', text })
    if (SNAKE.test(text)) found.push({ kind: 'snake_case', text })
    if (ACTOR.test(text)) found.push({ kind: 'raw-actor', text })
    if (RAW_VALUES.has(text.replace(/[\s↑↓:]+$/g, ''))) found.push({ kind: 'raw-value', text })
    if (opts.noIds && ITEM_ID.test(text)) found.push({ kind: 'item-id', text })
  }
  return found
}
