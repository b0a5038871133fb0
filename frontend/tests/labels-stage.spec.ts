import { describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import { actorLabel, auditActionLabel, categoryLabel, healthFieldLabel, historyNote, humanise, metricLabel, metricUnit, workerLabel } from '@/utils/labels'
import { contestStage, dateSpan, phaseState } from '@/utils/stage'
import { finalBoard, shownRank, tiedRanks } from '@/utils/board'
import { layoutColumns } from '@/utils/trackData'
import type { ResultVersion } from '@/api/types'

const day = 86400_000
const now = Date.UTC(2026, 11, 1)
const phase = (startDays: number, endDays: number) => ({ starts_at: new Date(now + startDays * day).toISOString(), ends_at: new Date(now + endDays * day).toISOString() })

describe('contest stage by phase dates', () => {
  it('is running while a phase is open, even in a later calendar year than the contest', () => {
    expect(contestStage([phase(-10, 1000)], now)).toBe('running')
    expect(contestStage([phase(-30, -10), phase(5, 20)], now)).toBe('running') // between phases
  })
  it('is upcoming before the first start or with no phases, past once every phase ended', () => {
    expect(contestStage([phase(3, 10)], now)).toBe('upcoming')
    expect(contestStage([], now)).toBe('upcoming')
    expect(contestStage([phase(-300, -200), phase(-100, -1)], now)).toBe('past')
  })
  it('treats the end instant as ended', () => {
    expect(phaseState(phase(-1, 0), now)).toBe('ended')
  })
  it('spans the first start to the last end', () => {
    const a = phase(-30, -10)
    const b = phase(-5, 40)
    expect(dateSpan([b, a])).toEqual({ from: a.starts_at, to: b.ends_at })
    expect(dateSpan([])).toBeNull()
  })
})

describe('labels never show raw keys', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it(`names categories, metrics, actors, actions and health fields in ${locale}`, () => {
      i18n.global.locale.value = locale
      const zh = locale === 'zh-CN'
      expect(categoryLabel('video-coding')).toBe(zh ? '视频编码' : 'Video coding')
      expect(categoryLabel('brand-new')).toBe('Brand new') // humanised, never the bare slug
      expect(metricLabel('bd_rate')).toBe('BD-rate')
      expect(metricLabel('score')).toBe(zh ? '综合得分' : 'Score')
      expect(metricLabel('psnr_yuv', [{ key: 'psnr_yuv', label_zh: '峰值信噪比', label_en: 'PSNR (YUV)' }])).toBe(zh ? '峰值信噪比' : 'PSNR (YUV)')
      expect(metricUnit('bd_rate')).toBe('%')
      expect(actorLabel('user:6')).toBe(zh ? '用户 6' : 'User 6')
      expect(actorLabel('user:6', { 'user:6': 'Alice' })).toBe('Alice')
      expect(actorLabel('worker:embedded-0')).toBe(zh ? '评测机 1' : 'Evaluator 1')
      expect(workerLabel('gpu-a')).toBe(zh ? '评测机 gpu-a' : 'Evaluator gpu-a')
      expect(auditActionLabel('publish')).toBe(zh ? '公布结果' : 'Published results')
      expect(healthFieldLabel('seen_at')).toBe(zh ? '最近心跳' : 'Last heartbeat')
      expect(healthFieldLabel('current_job_id')).toBe(zh ? '当前任务' : 'Current job')
    })
  }
  it('puts pipeline notes in words and leaves people\'s notes alone', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(historyNote('initial by video_codec_rd 1.0.0')).toBe('首次评测（评测器版本 1.0.0）')
    expect(historyNote('submission: 缺少片段 foreman')).toBe('提交的文件有问题: 缺少片段 foreman')
    expect(historyNote('Re-ran locally')).toBe('Re-ran locally')
  })
  it('humanises separators', () => {
    expect(humanise('current_job_id')).toBe('Current job id')
  })
})

describe('final boards and ties', () => {
  const version = {
    version: 2,
    published_at: '2026-11-30T08:00:00Z',
    note: 'after review',
    diff: [],
    board: {
      columns: [{ key: 'bd_rate', label_zh: 'BD-rate', label_en: 'BD-rate', direction: 'lower', precision: 2 }],
      rows: [
        { rank: 1, shared_rank: 1, tied: true, team_id: 1, team_name: 'A', submission_id: 10, scores: { bd_rate: -10 }, submitted_at: '2026-11-01T00:00:00Z', award_zh: '一等奖', award_en: 'First prize', award_prize: '¥100,000' },
        { rank: 2, shared_rank: 1, tied: true, team_id: 2, team_name: 'B', submission_id: 11, scores: { bd_rate: -10 }, submitted_at: '2026-11-02T00:00:00Z', award_zh: '一等奖', award_en: 'First prize' },
        { rank: 3, team_id: 3, team_name: 'C', submission_id: 12, scores: { bd_rate: -5 }, submitted_at: '2026-11-02T00:00:00Z' },
      ],
      tie_rule_zh: '主指标相同则名次相同',
      tie_rule_en: 'Equal on the primary metric share a rank',
    },
  } as unknown as ResultVersion
  it('reads a published version as a private, published board with its tie rule', () => {
    const b = finalBoard(7, version)
    expect(b).toMatchObject({ phase_id: 7, split: 'private', published: true, version: 2, note: 'after review', tie_rule_en: 'Equal on the primary metric share a rank' })
    expect(b.rows).toHaveLength(3)
  })
  it('shows the shared rank and marks both tied rows', () => {
    const rows = finalBoard(7, version).rows
    expect(rows.map(shownRank)).toEqual([1, 1, 3])
    expect([...tiedRanks(rows)]).toEqual([1])
  })
  it('finds ties on older boards from equal ranks alone', () => {
    expect([...tiedRanks([{ rank: 1 }, { rank: 2 }, { rank: 2 }] as never)]).toEqual([2])
    expect(tiedRanks([{ rank: 1 }, { rank: 2 }] as never).size).toBe(0)
  })
})

describe('reference layout columns', () => {
  it('lists only the columns some row has, in reading order', () => {
    const cols = layoutColumns([{ name: 'foreman', width: 352, height: 288, frames: 3, pix_fmt: 'yuv420p', rate_points: 4 }])
    expect(cols.map((c) => c.key)).toEqual(['clip', 'resolution', 'frames', 'pix_fmt', 'rate_points'])
    expect(cols[1].format({ width: 352, height: 288 })).toBe('352×288')
  })
})
