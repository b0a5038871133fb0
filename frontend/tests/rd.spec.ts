import { describe, expect, it } from 'vitest'
import { buildRdOption, rdMetrics, rdSequences } from '@/charts/rd'
import type { RdCurve } from '@/api/types'

const curves: RdCurve[] = [
  { sequence: 'Foreman', metric: 'psnr_yuv', anchor: [[800, 36], [200, 31], [400, 33.5]], submission: [[180, 31.5], [390, 34], [760, 36.4]] },
  { sequence: 'Akiyo', metric: 'psnr_yuv', anchor: [[100, 38], [50, 35]], submission: [[45, 35.5], [95, 38.6]] },
  { sequence: 'Akiyo', metric: 'vmaf', anchor: [[100, 90]], submission: [[95, 92]] },
]
const labels = { anchor: 'anchor', submission: 'ours', kbps: 'kbps' }

describe('buildRdOption', () => {
  it('plots quality against a log-scale bitrate axis', () => {
    const o = buildRdOption(curves, labels, 'psnr_yuv') as { xAxis: { type: string; min: number; max: number }; yAxis: { name: string } }
    expect(o.xAxis.type).toBe('log')
    // data spans 45..800 kbps: bounds hug it on quarter decades
    expect(o.xAxis.min).toBeCloseTo(31.62, 1)
    expect(o.xAxis.max).toBeCloseTo(1000, 5)
    expect(o.yAxis.name).toBe('psnr_yuv')
  })

  it('draws each sequence twice: solid submission, dashed anchor, sorted by rate', () => {
    const o = buildRdOption(curves, labels, 'psnr_yuv') as { series: { name: string; data: number[][]; symbol: string; lineStyle: { type?: string; color: string } }[] }
    expect(o.series).toHaveLength(4)
    const [sub, anchor] = o.series
    expect(sub.name).toBe('Foreman · ours')
    expect(anchor.name).toBe('Foreman · anchor')
    expect(anchor.lineStyle.type).toBe('dashed')
    expect(sub.lineStyle.type).toBeUndefined()
    // anchor and submission never share a colour or a marker
    expect(sub.lineStyle.color).not.toBe(anchor.lineStyle.color)
    expect(sub.symbol).not.toBe(anchor.symbol)
    const colours = o.series.map((x) => x.lineStyle.color)
    expect(new Set(colours).size).toBe(colours.length)
    expect(anchor.data.map((p) => p[0])).toEqual([200, 400, 800])
  })

  it('drops non-positive rates, which a log axis cannot show', () => {
    const o = buildRdOption([{ sequence: 's', metric: 'm', anchor: [[0, 1], [10, 2]], submission: [[-1, 1]] }], labels) as { series: { data: unknown[] }[] }
    expect(o.series[0].data).toEqual([])
    expect(o.series[1].data).toEqual([[10, 2]])
  })

  it('shows only the chosen sequences, keeping each sequence its colour', () => {
    type O = { series: { name: string; lineStyle: { color: string } }[]; yAxis: { name: string } }
    const all = buildRdOption(curves, labels, 'psnr_yuv') as O
    const one = buildRdOption(curves, labels, 'psnr_yuv', ['Akiyo'], 'PSNR (YUV)') as O
    expect(one.series.map((x) => x.name)).toEqual(['Akiyo · ours', 'Akiyo · anchor'])
    expect(one.series[0].lineStyle.color).toBe(all.series[2].lineStyle.color)
    expect(one.yAxis.name).toBe('PSNR (YUV)')
    expect(rdSequences(curves)).toEqual(['Foreman', 'Akiyo'])
  })

  it('lists the metrics present', () => {
    expect(rdMetrics(curves)).toEqual(['psnr_yuv', 'vmaf'])
  })
})

describe('buildRdOption with several anchors', () => {
  const two: RdCurve[] = [
    {
      sequence: 'Foreman',
      metric: 'vmaf',
      anchor: [[200, 70], [400, 80]],
      anchor_encoder: 'libx265',
      submission: [[190, 71], [380, 82]],
      extra_anchors: [{ file: 'anchor_svtav1.json', encoder: 'libsvtav1', points: [[900, 85], [150, 66]] }],
    },
  ]
  it('draws each further anchor dotted, named by number and encoder, inside the axis bounds', () => {
    type O = { series: { name: string; data: number[][]; symbol: string; lineStyle: { type?: string; color: string } }[]; xAxis: { max: number } }
    const o = buildRdOption(two, { ...labels, extraAnchor: (n, e) => `anchor ${n} (${e})` }, 'vmaf') as O
    expect(o.series.map((s) => s.name)).toEqual(['Foreman · ours', 'Foreman · anchor 1 (libx265)', 'Foreman · anchor 2 (libsvtav1)'])
    const [, first, second] = o.series
    expect(second.lineStyle.type).toBe('dotted')
    expect(second.symbol).not.toBe(first.symbol)
    expect(second.data.map((p) => p[0])).toEqual([150, 900])
    expect(o.xAxis.max).toBeGreaterThanOrEqual(900)
  })
  it('keeps the single-anchor name when there is one anchor', () => {
    const o = buildRdOption([{ ...two[0], extra_anchors: [] }], labels, 'vmaf') as { series: { name: string }[] }
    expect(o.series.map((s) => s.name)).toEqual(['Foreman · ours', 'Foreman · anchor'])
  })
})
