/** The health page's worker table: the fields a person reads first come first (name, then what it
 * is doing), whatever order the API's records list their keys in; unknown fields follow. */
const PREFERRED = ['name', 'current_job_id', 'sandbox', 'gpu_model', 'gpu_count', 'seen_at', 'started_at', 'version', 'status']

export function workerColumns(workers: readonly Record<string, unknown>[], max = 6): string[] {
  const present = new Set(workers.flatMap((w) => Object.keys(w)))
  const known = PREFERRED.filter((k) => present.has(k))
  const others = [...present].filter((k) => !PREFERRED.includes(k))
  return [...known, ...others].slice(0, max)
}
