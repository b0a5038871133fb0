/** What an edit form changed, for PATCH bodies that carry only the changed fields. */

/** JSON with object keys sorted, so key order never counts as a change. */
function stable(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x)
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    const ta = a instanceof Date ? a.getTime() : a == null ? null : new Date(String(a)).getTime()
    const tb = b instanceof Date ? b.getTime() : b == null ? null : new Date(String(b)).getTime()
    return ta === tb
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') return stable(a) === stable(b)
  return a === b
}

/** The keys of `after` whose values differ from `before` (dates by instant, objects by value). */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): Partial<T> {
  const out: Partial<T> = {}
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (!same(before[key], after[key])) out[key] = after[key]
  }
  return out
}

/** Parse a JSON-object text field; throws an Error with a readable message otherwise. */
export function parseJsonObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text.trim() || '{}')
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object')
  return value as Record<string, unknown>
}

export const MiB = 1024 * 1024
