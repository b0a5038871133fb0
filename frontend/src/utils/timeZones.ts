/** The IANA time zones this browser knows, Asia/Shanghai and UTC first (the usual choices). */
export function timeZones(): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  const first = ['Asia/Shanghai', 'UTC']
  return [...first, ...known.filter((z) => !first.includes(z))]
}
