/** The shape of a track's data listing (GET /tracks/{id}/data) and the columns of its layout table. */
import { formatBytes } from '@/utils/format'

export interface DataFile {
  name: string
  size: number
  sha256: string
  url?: string | null
}
export interface LayoutRow {
  name?: string
  kind?: string
  path?: string
  files?: number
  bytes?: number
  expected_width?: number
  expected_height?: number
  expected_files?: string[]
  clip?: string
  width?: number
  height?: number
  resolution?: string
  frames?: number
  pix_fmt?: string
  pixel_format?: string
  fps?: number | string
  rate_points?: number | string[] | number[]
  duration_s?: number
  sample_rate?: number
  channels?: number
  [k: string]: unknown
}
export interface DataDownload {
  filename: string
  size?: number
  sha256?: string
  url: string
}
export interface HiddenReference {
  phase_id: number
  phase_slug: string
  filename: string
  size: number
  sha256: string
  files: DataFile[]
}
export interface TrackData {
  target?: string
  archive?: DataDownload | null
  files?: DataFile[]
  layout?: LayoutRow[]
  sample?: (DataDownload & { command?: string; login_command?: string }) | null
  hidden?: HiddenReference[] | null
}

interface Column {
  key: string
  label: string
  format: (r: LayoutRow) => string
}

const dash = (v: unknown) => (v == null || v === '' ? '—' : String(v))

const ALL: (Column & { present: (r: LayoutRow) => boolean })[] = [
  { key: 'clip', label: 'data.clip', present: (r) => r.clip != null || r.name != null, format: (r) => dash(r.clip ?? r.name) },
  { key: 'resolution', label: 'data.resolution', present: (r) => r.resolution != null || r.width != null || r.expected_width != null, format: (r) => dash(r.resolution ?? (r.width ? `${r.width}×${r.height}` : r.expected_width ? `${r.expected_width}×${r.expected_height}` : null)) },
  { key: 'frames', label: 'data.frames', present: (r) => r.frames != null, format: (r) => dash(r.frames) },
  { key: 'pix_fmt', label: 'data.pixelFormat', present: (r) => r.pix_fmt != null || r.pixel_format != null, format: (r) => dash(r.pix_fmt ?? r.pixel_format) },
  { key: 'fps', label: 'data.frameRate', present: (r) => r.fps != null, format: (r) => dash(r.fps) },
  { key: 'duration_s', label: 'data.duration', present: (r) => r.duration_s != null, format: (r) => (r.duration_s != null ? `${r.duration_s} s` : '—') },
  { key: 'sample_rate', label: 'data.sampleRate', present: (r) => r.sample_rate != null, format: (r) => (r.sample_rate != null ? `${r.sample_rate} Hz` : '—') },
  { key: 'channels', label: 'data.channels', present: (r) => r.channels != null, format: (r) => dash(r.channels) },
  { key: 'files', label: 'data.fileCount', present: (r) => r.files != null, format: (r) => dash(r.files) },
  { key: 'bytes', label: 'data.size', present: (r) => r.bytes != null, format: (r) => formatBytes(r.bytes) },
  { key: 'rate_points', label: 'data.ratePoints', present: (r) => r.rate_points != null, format: (r) => (Array.isArray(r.rate_points) ? r.rate_points.join(', ') : dash(r.rate_points)) },
]

/** The columns present in at least one row, in a fixed reading order. */
export function layoutColumns(rows: readonly LayoutRow[]): Column[] {
  return ALL.filter((c) => rows.some((r) => c.present(r))).map(({ key, label, format }) => ({ key, label, format }))
}
