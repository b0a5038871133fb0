/** Words for the machine values the API returns (categories, metric keys, actors, audit actions,
 * health fields): from the evaluator's spec or the catalogues, never the raw key. */
import { i18n } from '@/i18n'
import type { EvaluatorMetric } from '@/api/types'
import { tr } from '@/utils/format'

function known(key: string): boolean {
  return i18n.global.te(key) || i18n.global.te(key, 'en')
}
function say(key: string, params?: Record<string, unknown>): string {
  return params ? i18n.global.t(key, params) : i18n.global.t(key)
}

/** A catalogue word for `value` under `section`, or a humanised fallback (never the bare key). */
export function wordFor(section: string, value: string | null | undefined): string {
  if (!value) return ''
  const key = `${section}.${value.replace(/[.\s]/g, '_')}`
  return known(key) ? say(key) : humanise(value)
}

/** `video-coding` → `Video coding`: the last resort for values no catalogue names. */
export function humanise(value: string): string {
  const s = value.replace(/[_-]+/g, ' ').trim()
  return s ? s[0].toUpperCase() + s.slice(1) : value
}

export const categoryLabel = (c: string | null | undefined) => wordFor('labels.category', c)
export const auditActionLabel = (a: string | null | undefined) => wordFor('labels.audit', a)
export const healthFieldLabel = (f: string) => wordFor('labels.health', f)
export const failureCategoryLabel = (c: string | null | undefined) => wordFor('labels.failure', c)
export const jobStatusLabel = (s: string) => wordFor('labels.job', s)
export const checkLabel = (s: string) => wordFor('labels.check', s)
export const programKindLabel = (k: string | null | undefined) => wordFor('labels.programKind', k)
export const runtimeKindLabel = (k: string | null | undefined) => wordFor('labels.runtimeKind', k)

/** A metric's label in the current locale: the evaluator's spec first, then the catalogue. */
export function metricLabel(key: string, metrics: readonly Partial<EvaluatorMetric>[] = []): string {
  const m = metrics.find((x) => x.key === key)
  if (m && (m.label_zh || m.label_en)) return tr(m, 'label')
  return wordFor('labels.metric', key)
}

/** The unit shown after a metric's value, from the spec (or the catalogue for well-known keys). */
export function metricUnit(key: string, metrics: readonly Partial<EvaluatorMetric>[] = []): string {
  const m = metrics.find((x) => x.key === key)
  if (m?.unit) return m.unit
  return known(`labels.unit.${key}`) ? say(`labels.unit.${key}`) : ''
}

/** Who did something: "user:6" → the display name (when known), "worker:embedded-0" → "评测机 1". */
export function actorLabel(actor: string | null | undefined, names: Record<string, string> = {}): string {
  if (!actor) return ''
  if (names[actor]) return names[actor]
  const [kind, ...rest] = actor.split(':')
  const id = rest.join(':')
  switch (kind) {
    case 'user':
      return say('labels.actor.user', { id })
    case 'worker':
      return workerLabel(id)
    case 'system':
    case 'housekeeper':
    case 'janitor':
    case 'watchdog':
    case 'cli':
    case 'organiser':
    case 'judge':
      return known(`labels.actor.${kind}`) ? say(`labels.actor.${kind}`) : humanise(kind)
    default:
      return known(`labels.actor.${actor}`) ? say(`labels.actor.${actor}`) : humanise(actor)
  }
}

/** A worker's name as people say it: the embedded pool's "embedded-0" is "评测机 1". */
export function workerLabel(name: string): string {
  const m = /^embedded-(\d+)$/.exec(name)
  return say('labels.actor.worker', { n: m ? Number(m[1]) + 1 : name })
}

/** The actor of an audit entry: the display name the server sends, else a readable label. */
export function auditActor(entry: { actor: string; actor_name?: string | null }): string {
  // people are recorded as "<role>:<id> <display name>": show the name
  const person = /^(organiser|judge|participant|user):\d+ (.+)$/.exec(entry.actor)
  return entry.actor_name || (person ? person[2] : actorLabel(entry.actor))
}

/** A status-history note in words: the pipeline writes "initial by <evaluator> <version>" and
 * "<failure category>: <message>"; other notes are people's own text and pass through. */
export function historyNote(note: string | null | undefined): string {
  if (!note) return ''
  const scored = /^(initial|rescore) by \S+ (\S+)$/.exec(note)
  if (scored) return say(scored[1] === 'initial' ? 'labels.noteInitial' : 'labels.noteRescore', { version: scored[2] })
  const failed = /^(rejected|submission|infrastructure|evaluator|disqualified): ([\s\S]*)$/.exec(note)
  if (failed) return `${failureCategoryLabel(failed[1])}: ${failed[2]}`
  return note
}
