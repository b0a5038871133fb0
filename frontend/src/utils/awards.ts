/** Award tiers for publishing final results: the server awards them in order, `count` places each. */
import type { AwardTier } from '@/api/types'

export const MAX_TIERS = 20
export const MAX_LABEL = 80
export const MAX_COUNT = 1000
export const MAX_PRIZE = 120

/** What the server awards when a publication names no tiers (jiebang.leaderboards.models.DEFAULT_AWARDS). */
export function defaultAwards(): AwardTier[] {
  return [
    { label_zh: '一等奖', label_en: 'First prize', count: 1 },
    { label_zh: '二等奖', label_en: 'Second prize', count: 1 },
    { label_zh: '三等奖', label_en: 'Third prize', count: 1 },
  ]
}

/** The ranks each tier covers: tiers take consecutive places from rank 1 (ranks are unique). */
export function rankRanges(tiers: AwardTier[]): { from: number; to: number }[] {
  let next = 1
  return tiers.map((tier) => {
    const count = Math.max(0, Math.floor(tier.count || 0))
    const range = { from: next, to: next + count - 1 }
    next += count
    return range
  })
}

export function awardedPlaces(tiers: AwardTier[]): number {
  return tiers.reduce((n, tier) => n + Math.max(0, Math.floor(tier.count || 0)), 0)
}

/** The award (tier index) of a 1-based rank, or -1. */
export function tierOfRank(tiers: AwardTier[], rank: number): number {
  return rankRanges(tiers).findIndex((r) => rank >= r.from && rank <= r.to)
}

export type TierProblem = 'label_zh' | 'label_en' | 'count' | 'prize'

/** Per tier, the fields the server would refuse (same limits as AwardTier). */
export function tierProblems(tiers: AwardTier[]): TierProblem[][] {
  return tiers.map((tier) => {
    const out: TierProblem[] = []
    for (const k of ['label_zh', 'label_en'] as const) {
      const v = tier[k].trim()
      if (!v || v.length > MAX_LABEL) out.push(k)
    }
    if (!Number.isInteger(tier.count) || tier.count < 1 || tier.count > MAX_COUNT) out.push('count')
    if ((tier.prize ?? '').trim().length > MAX_PRIZE) out.push('prize')
    return out
  })
}

/** Labels and prizes trimmed: what is sent. */
export function cleanTiers(tiers: AwardTier[]): AwardTier[] {
  return tiers.map((t) => ({ label_zh: t.label_zh.trim(), label_en: t.label_en.trim(), count: t.count, prize: (t.prize ?? '').trim() }))
}
