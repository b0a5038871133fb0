/** Per-sequence codec results (GET /submissions/{id}/sequences): types and column labels. */

export interface CodecAnchor {
  number: number
  file: string
  encoder: string
}
export interface CodecSequenceRow {
  sequence: string
  sequence_class: string | null
  split: string
  metrics: Record<string, number>
  rate_points: { kbps: number; quality: Record<string, number> }[]
}
export interface CodecClassRow {
  sequence_class: string
  sequences: string[]
  metrics: Record<string, number>
}
export interface CodecResults {
  bd_metric: string | null
  vmaf_model: string | null
  anchors: CodecAnchor[]
  columns: string[]
  sequences: CodecSequenceRow[]
  classes: CodecClassRow[]
}

/** How a column's value reads: a BD-rate (lower is a gain), a BD-quality (higher is a gain),
 * or a decoding measurement (no gain colour). */
export type CodecColumnKind = 'bd_rate' | 'bd_quality' | 'time' | 'ratio'
export interface CodecColumn {
  key: string
  kind: CodecColumnKind
  /** quality metric the BD value is on (psnr_yuv, vmaf, …) */
  metric?: string
  /** the anchor it compares against */
  anchor?: CodecAnchor
}

const QUALITY_NAMES: Record<string, string> = {
  psnr_y: 'PSNR-Y',
  psnr_yuv: 'PSNR-YUV',
  ssim_y: 'SSIM-Y',
  ssim: 'SSIM',
  ms_ssim: 'MS-SSIM',
  vmaf: 'VMAF',
}

/** The quality metric's short name; VMAF names its model where it is not the default one. */
export function qualityName(metric: string, vmafModel: string | null): string {
  if (metric === 'vmaf' && vmafModel?.includes('neg')) return 'VMAF NEG'
  if (metric === 'vmaf' && vmafModel?.includes('4k')) return 'VMAF 4K'
  return QUALITY_NAMES[metric] ?? metric
}

/** What each column of the results is: kind, quality metric and anchor, from its key. */
export function codecColumns(results: CodecResults): CodecColumn[] {
  const anchor = (n: number) => results.anchors.find((a) => a.number === n) ?? { number: n, file: '', encoder: '' }
  return results.columns.map((key) => {
    if (key === 'bd_quality') return { key, kind: 'bd_quality', metric: results.bd_metric ?? undefined, anchor: anchor(1) }
    if (key === 'dec_time_ratio') return { key, kind: 'ratio' }
    if (key.startsWith('dec_')) return { key, kind: 'time' }
    const m = /^bd_rate(?:_(psnr_yuv|vmaf))?(?:_anchor(\d))?$/.exec(key)
    const metric = m?.[1] ?? results.bd_metric ?? undefined
    return { key, kind: 'bd_rate', metric, anchor: anchor(Number(m?.[2] ?? 1)) }
  })
}

/** 'gain' / 'loss' / '' for a value of the column (BD-rate below zero is a gain). */
export function gainOrLoss(column: CodecColumn, value: number | null | undefined): 'gain' | 'loss' | '' {
  if (value == null || !Number.isFinite(value) || value === 0) return ''
  if (column.kind === 'bd_rate') return value < 0 ? 'gain' : 'loss'
  if (column.kind === 'bd_quality') return value > 0 ? 'gain' : 'loss'
  return ''
}

/** A value with its sign and unit: −3.21 %, +0.42, 1.85×, 0.123 s. */
export function formatCodecValue(column: CodecColumn, value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—'
  if (column.kind === 'bd_rate') return `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(2)} %`
  if (column.kind === 'bd_quality') return `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(3)}`
  if (column.kind === 'ratio') return `${value.toFixed(2)}×`
  return `${value.toFixed(3)} s`
}
