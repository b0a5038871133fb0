/** Where a phase or a contest stands in time, from its phase dates (never the calendar year). */
export type PhaseState = 'open' | 'upcoming' | 'ended'
export type Stage = 'running' | 'upcoming' | 'past'

interface Dated {
  starts_at: string
  ends_at: string
}

export function phaseState(p: Dated, now = Date.now()): PhaseState {
  if (new Date(p.starts_at).getTime() > now) return 'upcoming'
  if (new Date(p.ends_at).getTime() <= now) return 'ended'
  return 'open'
}

/** Running while any phase is open or some have ended and others are still to come; upcoming
 * before the first phase starts (or while no phase is scheduled); past once every phase ended. */
export function contestStage(phases: readonly Dated[], now = Date.now()): Stage {
  if (!phases.length) return 'upcoming'
  const states = phases.map((p) => phaseState(p, now))
  if (states.every((s) => s === 'ended')) return 'past'
  if (states.every((s) => s === 'upcoming')) return 'upcoming'
  return 'running'
}

/** The first start and the last end of a set of phases (null when there are none). */
export function dateSpan(phases: readonly Dated[]): { from: string; to: string } | null {
  if (!phases.length) return null
  const at = (iso: string) => new Date(iso).getTime()
  const from = phases.reduce((a, p) => (at(p.starts_at) < at(a) ? p.starts_at : a), phases[0].starts_at)
  const to = phases.reduce((a, p) => (at(p.ends_at) > at(a) ? p.ends_at : a), phases[0].ends_at)
  return { from, to }
}
