/** Display helpers: bytes, speeds, dates, numbers, bilingual fields. */
import { currentLocale } from '@/i18n'

export function formatBytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '—'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`
}

/** A date in the reader's locale, in `timeZone` (e.g. the contest's) when given; null for an unknown zone. */
function localeDate(d: Date, withTime: boolean, timeZone?: string): string | null {
  const opts: Intl.DateTimeFormatOptions = withTime
    ? { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }
    : { year: 'numeric', month: '2-digit', day: '2-digit' }
  try {
    return d.toLocaleString(currentLocale(), timeZone ? { ...opts, timeZone } : opts)
  } catch {
    return null
  }
}

/** A date in the reader's locale; in `timeZone` (e.g. the contest's) when given, named after it. */
export function formatDate(iso: string | null | undefined, withTime = true, timeZone?: string): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const zoned = timeZone ? localeDate(d, withTime, timeZone) : null
  return zoned ? `${zoned} (${timeZone})` : localeDate(d, withTime)! // an unknown zone: the reader's own
}

/** 'from – to' with the zone named once at the end: a phase's dates in the contest's zone
 * (days only, without ``withTime``, as the home page's contest cards show them). */
export function formatSpan(
  from: string | null | undefined,
  to: string | null | undefined,
  timeZone?: string,
  withTime = true,
): string {
  const [a, b] = [from, to].map((iso) => (iso && !Number.isNaN(new Date(iso).getTime()) ? localeDate(new Date(iso), withTime, timeZone) : null))
  if (!timeZone || a === null || b === null) return `${formatDate(from, withTime, timeZone)} – ${formatDate(to, withTime, timeZone)}`
  return `${a} – ${b} (${timeZone})`
}

export function formatScore(v: number | null | undefined, precision = 4): string {
  if (v == null || !Number.isFinite(v)) return '—'
  return v.toFixed(precision)
}

/** Pick `<field>_zh` or `<field>_en` from a bilingual record, falling back to the other. */
export function tr(obj: object | null | undefined, field: string, locale = currentLocale()): string {
  if (!obj) return ''
  const rec = obj as Record<string, unknown>
  const zh = rec[`${field}_zh`]
  const en = rec[`${field}_en`]
  const first = locale === 'en' ? en : zh
  const second = locale === 'en' ? zh : en
  return String((first as string) || (second as string) || '')
}
