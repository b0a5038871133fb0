/** Wall-clock times in a named IANA time zone (e.g. a list's), whatever the browser's own zone.
 * A wall clock is written 'YYYY-MM-DD HH:mm:ss', the date picker's value with `WALL_CLOCK_FORMAT`;
 * an instant is an ISO 8601 string. Built on Intl alone: no time-zone library is needed. */

export const WALL_CLOCK_FORMAT = 'YYYY-MM-DD HH:mm:ss'
const WALL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/
const DAY = 86_400_000
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone)
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    })
    formatters.set(timeZone, found)
  }
  return found
}

/** What the wall clock in `timeZone` reads at the instant `ms`, as the UTC milliseconds of those fields. */
function wallMs(ms: number, timeZone: string): number {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]))
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second)
}

/** The zone's offset from UTC at the instant `ms`, in milliseconds (+8 h for Asia/Shanghai); throws RangeError for an unknown zone. */
export function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000
  return wallMs(whole, timeZone) - whole
}

/** 'UTC+08:00', 'UTC+01:00', 'UTC-05:00': the zone's offset at the instant `ms`. */
export function offsetLabel(ms: number, timeZone: string): string {
  const minutes = Math.round(offsetAt(ms, timeZone) / 60_000)
  const abs = Math.abs(minutes)
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** The instant (ISO 8601, UTC) at which the wall clock in `timeZone` reads `wall`; null for text that is no wall clock.
 * A time the clocks pass twice (autumn) is the earlier one; a time they skip (spring) is moved on by the gap
 * (01:30 in London on the spring-forward night is 02:30 BST), as Temporal's 'compatible' disambiguation. */
export function zonedToUtc(wall: string | null | undefined, timeZone: string): string | null {
  const m = WALL.exec((wall ?? '').trim())
  if (!m) return null
  const fields = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0))
  // the offsets either side of any change that day; transitions are never a day apart
  const before = offsetAt(fields - DAY, timeZone)
  const after = offsetAt(fields + DAY, timeZone)
  const fits = [before, after].map((o) => fields - o).filter((ms) => wallMs(ms, timeZone) === fields)
  return new Date(fits.length ? Math.min(...fits) : fields - before).toISOString()
}

/** The wall clock in `timeZone` at the instant `iso`, as 'YYYY-MM-DD HH:mm:ss'; '' for no or an unreadable date. */
export function utcToZoned(iso: string | Date | null | undefined, timeZone: string): string {
  if (!iso) return ''
  const ms = new Date(iso).getTime()
  if (Number.isNaN(ms)) return ''
  const d = new Date(wallMs(ms, timeZone))
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
}

/** The browser's own IANA zone (e.g. Europe/London for an organiser in London). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}
