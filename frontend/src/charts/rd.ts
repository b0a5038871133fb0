/** ECharts option for rate-distortion curves: quality against bitrate on a log axis, per sequence. */
import type { RdCurve } from '@/api/types'

export interface RdLabels {
  anchor: string
  submission: string
  kbps: string
  /** the name of a further anchor (numbered from 2); default `${anchor} ${number} (${encoder})` */
  extraAnchor?: (number: number, encoder: string) => string
}

/** Markers of the further anchors (2nd, 3rd), drawn dotted in the sequence's anchor colour. */
const EXTRA_ANCHOR_SYMBOLS = ['diamond', 'rect']

/** Submissions in cool, saturated colours; anchors in a separate warm set, so the two never share
 * a colour, and with their own marker (circle vs triangle) and line (solid vs dashed). */
const SUBMISSION_PALETTE = ['#2563eb', '#059669', '#7c3aed', '#0891b2', '#4f46e5', '#16a34a', '#0e7490', '#6d28d9']
const ANCHOR_PALETTE = ['#ea580c', '#dc2626', '#ca8a04', '#db2777', '#b45309', '#be123c', '#c2410c', '#a16207']

export interface RdStyle {
  color: string
  symbol: string
  dashed: boolean
}
/** How the i-th sequence's submission and anchor curves are drawn. */
export function rdStyles(i: number): { submission: RdStyle; anchor: RdStyle } {
  return {
    submission: { color: SUBMISSION_PALETTE[i % SUBMISSION_PALETTE.length], symbol: 'circle', dashed: false },
    anchor: { color: ANCHOR_PALETTE[i % ANCHOR_PALETTE.length], symbol: 'triangle', dashed: true },
  }
}

function anchorName(labels: RdLabels, number: number, encoder: string): string {
  return labels.extraAnchor ? labels.extraAnchor(number, encoder) : `${labels.anchor} ${number} (${encoder})`
}

function sorted(points: [number, number][]): [number, number][] {
  return points.filter((p) => p[0] > 0 && Number.isFinite(p[1])).sort((a, b) => a[0] - b[0])
}

function roundLog(v: number, how: (x: number) => number): number {
  return Math.pow(10, how(Math.log10(v) * 4) / 4)
}

/** The chart option for the curves of one metric (all of them when `metric` is omitted), of the
 * given sequences (all when `sequences` is omitted or empty). `metricLabel` names the y axis. */
export function buildRdOption(curves: RdCurve[], labels: RdLabels, metric?: string, sequences?: string[], metricLabel?: string): Record<string, unknown> {
  const order = rdSequences(curves)
  const shown = curves.filter((c) => (!metric || c.metric === metric) && (!sequences?.length || sequences.includes(c.sequence)))
  const series = shown.flatMap((c) => {
    const style = rdStyles(order.indexOf(c.sequence))
    return [
      {
        name: `${c.sequence} · ${labels.submission}`,
        type: 'line',
        data: sorted(c.submission),
        symbol: style.submission.symbol,
        symbolSize: 8,
        lineStyle: { color: style.submission.color, width: 2.5 },
        itemStyle: { color: style.submission.color },
      },
      {
        // with several anchors each is named by its number and encoder
        name: `${c.sequence} · ${c.extra_anchors?.length && c.anchor_encoder ? anchorName(labels, 1, c.anchor_encoder) : labels.anchor}`,
        type: 'line',
        data: sorted(c.anchor),
        symbol: style.anchor.symbol,
        symbolSize: 9,
        lineStyle: { color: style.anchor.color, width: 2, type: 'dashed' },
        itemStyle: { color: style.anchor.color },
      },
      ...(c.extra_anchors ?? []).map((other, k) => ({
        name: `${c.sequence} · ${anchorName(labels, k + 2, other.encoder)}`,
        type: 'line',
        data: sorted(other.points),
        symbol: EXTRA_ANCHOR_SYMBOLS[k % EXTRA_ANCHOR_SYMBOLS.length],
        symbolSize: 9,
        lineStyle: { color: style.anchor.color, width: 2, type: 'dotted' },
        itemStyle: { color: style.anchor.color },
      })),
    ]
  })
  const all = shown.flatMap((c) => [...c.anchor, ...c.submission, ...(c.extra_anchors ?? []).flatMap((a) => a.points)]).filter((p) => p[0] > 0)
  const xs = all.map((p) => p[0])
  const ys = all.map((p) => p[1])
  const quality = metric ?? shown[0]?.metric ?? ''
  return {
    animation: false,
    tooltip: { trigger: 'item', valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v)) },
    legend: { type: 'scroll', bottom: 0, itemWidth: 28, itemHeight: 12, itemGap: 16, textStyle: { fontSize: 13 } },
    grid: { left: 64, right: 24, top: 40, bottom: 80 },
    xAxis: {
      type: 'log',
      logBase: 2, // ticks at 128, 256, 512… kbps read better than decades alone
      name: labels.kbps,
      nameLocation: 'middle',
      nameGap: 28,
      // quarter-decade bounds: tight around the data, still on round-ish numbers
      min: xs.length ? roundLog(Math.min(...xs), Math.floor) : undefined,
      max: xs.length ? roundLog(Math.max(...xs), Math.ceil) : undefined,
      axisLabel: { formatter: (v: number) => (v >= 1000 ? `${+(v / 1000).toFixed(1)}k` : `${+v.toFixed(0)}`) },
    },
    yAxis: {
      type: 'value',
      name: metricLabel ?? quality,
      scale: true,
      min: ys.length ? Math.floor(Math.min(...ys)) : undefined,
    },
    series,
  }
}

/** Metrics present in a set of curves, in first-seen order. */
export function rdMetrics(curves: RdCurve[]): string[] {
  return [...new Set(curves.map((c) => c.metric))]
}

/** Sequences present in a set of curves, in first-seen order (their colours follow this order). */
export function rdSequences(curves: RdCurve[]): string[] {
  return [...new Set(curves.map((c) => c.sequence))]
}
