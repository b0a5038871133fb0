/** Server error bodies turned into something a form or a page can show. */

export interface FieldIssue {
  loc: (string | number)[]
  msg: string
  type?: string
}

export class ApiError extends Error {
  status: number
  code: string
  /** field name -> localised message, from a 422 body */
  fields: Record<string, string>

  constructor(status: number, message: string, code = '', fields: Record<string, string> = {}) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields
  }
}

/** The field path a 422 entry is about, e.g. `email` or `targets.0.threshold`. */
export function fieldOf(loc: (string | number)[]): string {
  const rest = loc.slice(loc[0] === 'body' || loc[0] === 'query' || loc[0] === 'path' || loc[0] === 'form' ? 1 : 0)
  return rest.length ? rest.join('.') : '_'
}

/** Build an ApiError from a status code and a decoded body (any shape). */
export function toApiError(status: number, body: unknown, fallback = 'Request failed'): ApiError {
  const detail = (body as { detail?: unknown } | null)?.detail
  const code = String((body as { code?: unknown } | null)?.code ?? '')
  if (Array.isArray(detail)) {
    const fields: Record<string, string> = {}
    for (const issue of detail as FieldIssue[]) {
      const key = fieldOf(issue.loc ?? [])
      fields[key] = fields[key] ? `${fields[key]}; ${issue.msg}` : issue.msg
    }
    const message = (detail as FieldIssue[]).map((i) => i.msg).join('; ') || fallback
    return new ApiError(status, message, code || 'validation', fields)
  }
  if (typeof detail === 'string') return new ApiError(status, detail, code)
  return new ApiError(status, fallback, code)
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
