/** A locale's messages, one file per section: `en/team.ts` holds the `team.*` keys.
 * A new view adds its own section file in both locale folders; nothing else needs editing
 * (tests/i18n.spec.ts checks that both locales have the same keys and placeholders). */
export type Messages = Record<string, Record<string, unknown>>

export function catalogue(modules: Record<string, { default: Record<string, unknown> }>): Messages {
  const out: Messages = {}
  for (const [path, mod] of Object.entries(modules)) {
    const section = path.replace(/^.*\//, '').replace(/\.ts$/, '')
    if (section !== 'index') out[section] = mod.default
  }
  return out
}
