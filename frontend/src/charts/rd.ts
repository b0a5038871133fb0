/** ECharts option for rate-distortion curves: quality against bitrate on a log axis, per sequence. */
import type { RdCurve } from '@/api/types'

export interface RdLabels {
  anchor: string
  submission: string
  kbps: string
}

const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563']

function sorted(points: [number, number][]): [number, number][] {
  return points.filter((p) => p[0] > 0 && Number.isFinite(p[1])).sort((a, b) => a[0] - b[0])
}

function roundLog(v: number, how: (x: number) => number): number {
  return Math.pow(10, how(Math.log10(v) * 4) / 4)
}

/** The chart option for the curves of one metric (all of them when `metric` is omitted). */
export function buildRdOption(curves: RdCurve[], labels: RdLabels, metric?: string): Record<string, unknown> {
  const shown = metric ? curves.filter((c) => c.metric === metric) : curves
  const series = shown.flatMap((c, i) => {
    const color = PALETTE[i % PALETTE.length]
    return [
      {
        name: `${c.sequence} · ${labels.submission}`,
        type: 'line',
        data: sorted(c.submission),
        symbol: 'circle',
        symbolSize: 7,
        lineStyle: { color, width: 2 },
        itemStyle: { color },
      },
      {
        name: `${c.sequence} · ${labels.anchor}`,
        type: 'line',
        data: sorted(c.anchor),
        symbol: 'triangle',
        symbolSize: 7,
        lineStyle: { color, width: 1.5, type: 'dashed' },
        itemStyle: { color },
      },
    ]
  })
  const all = shown.flatMap((c) => [...c.anchor, ...c.submission]).filter((p) => p[0] > 0)
  const xs = all.map((p) => p[0])
  const ys = all.map((p) => p[1])
  const quality = metric ?? shown[0]?.metric ?? ''
  return {
    animation: false,
    tooltip: { trigger: 'item', valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v)) },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 56, right: 24, top: 40, bottom: 72 },
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
      name: quality,
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
