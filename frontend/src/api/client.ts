/** Typed API client (openapi-fetch over the generated schema) with auth and locale headers. */
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { toApiError } from './errors'

export const API_BASE = '/api/v1'

let tokenProvider: () => string | null = () => null
let localeProvider: () => string = () => 'zh-CN'
let onUnauthorized: () => void = () => {}

export function configureClient(opts: {
  token: () => string | null
  locale: () => string
  unauthorized?: () => void
}): void {
  tokenProvider = opts.token
  localeProvider = opts.locale
  if (opts.unauthorized) onUnauthorized = opts.unauthorized
}

export function authHeaders(): Record<string, string> {
  const h: Record<string, string> = { 'Accept-Language': localeProvider() }
  const token = tokenProvider()
  if (token) h.Authorization = `Bearer ${token}`
  return h
}

const middleware: Middleware = {
  onRequest({ request }) {
    for (const [k, v] of Object.entries(authHeaders())) {
      if (!request.headers.has(k)) request.headers.set(k, v)
    }
    return request
  },
  onResponse({ response }) {
    if (response.status === 401 && tokenProvider()) onUnauthorized()
    return response
  },
}

/** Paths in the committed OpenAPI snapshot. */
export const api = createClient<paths>({ baseUrl: '' })
api.use(middleware)

/**
 * Endpoints promised by the contract but not yet in the snapshot (submissions, leaderboard,
 * judging, admin). Typed by hand in ./types.ts; switch to `api` once `npm run gen:api` sees them.
 */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  init: RequestInit = {},
): Promise<T> {
  const headers: Record<string, string> = { ...authHeaders() }
  let payload: BodyInit | undefined
  if (body instanceof FormData || body instanceof Blob) payload = body
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  const url = path.startsWith('http') ? path : `${API_BASE}${path}`
  const res = await fetch(url, { method, headers, body: payload, ...init })
  if (res.status === 401 && tokenProvider()) onUnauthorized()
  const text = await res.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  }
  if (!res.ok) throw toApiError(res.status, data, `${res.status} ${res.statusText}`)
  return data as T
}

/** Unwrap an openapi-fetch result: the data, or throw an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error, `${result.response.status} ${result.response.statusText}`)
  }
  return result.data as T
}

/** True when an error means the endpoint does not exist on this server yet. */
export function isMissingEndpoint(err: unknown): boolean {
  const e = err as { status?: number; code?: string }
  // A route FastAPI does not know answers {"detail":"Not Found"} with no code; our own 404s carry one.
  return (e?.status === 404 && !e.code) || e?.status === 405
}
