/**
 * The one API client. Types come from `schema.d.ts`, which openapi-typescript
 * generates from docs/openapi.json (`npm run gen:api`); nothing here is hand-typed.
 */
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { ApiError, toApiError } from './errors'

export { ApiError } from './errors'

export interface ClientHooks {
  /** CSRF token of the current session (from the session store). */
  csrfToken(): string | null | undefined
  /** Any request other than the session endpoint got 401: the session is gone. */
  onUnauthorized(): void
  /** The account must change its password before anything else works. */
  onPasswordChangeRequired(): void
}

const noHooks: ClientHooks = {
  csrfToken: () => null,
  onUnauthorized: () => {},
  onPasswordChangeRequired: () => {},
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function createApiClient(
  hooks: ClientHooks = noHooks,
  options: { baseUrl?: string; fetch?: (input: Request) => Promise<Response> } = {},
) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '/api/v1',
    credentials: 'same-origin',
    headers: { Accept: 'application/json, application/problem+json' },
    // Late-bound so tests (and devtools) can swap window.fetch.
    fetch: options.fetch ?? ((req: Request) => globalThis.fetch(req)),
  })

  const middleware: Middleware = {
    onRequest({ request }) {
      if (!SAFE_METHODS.has(request.method)) {
        const token = hooks.csrfToken()
        if (token) request.headers.set('X-CSRF-Token', token)
      }
      return request
    },
    async onResponse({ response, schemaPath }) {
      if (response.ok) return undefined
      // Logging in (or probing the session) with 401 is an answer, not an expiry.
      if (response.status === 401 && schemaPath !== '/session') {
        hooks.onUnauthorized()
      } else if (response.status === 403) {
        const body = await response
          .clone()
          .json()
          .catch(() => null)
        if (body && body.code === 'password_change_required') hooks.onPasswordChangeRequired()
      }
      return undefined
    },
    onError({ error }) {
      // fetch itself failed (offline, server down): report it like any API error.
      return new ApiError(0, { title: undefined, detail: error instanceof Error ? error.message : null })
    },
  }
  client.use(middleware)
  return client
}

export type ApiClient = ReturnType<typeof createApiClient>

let hooks: ClientHooks = { ...noHooks }

/** Wires the shared client to the session store and router (done once in main.ts). */
export function setClientHooks(h: Partial<ClientHooks>) {
  hooks = { ...hooks, ...h }
}

/** The CSRF token of the current session, for requests made outside the client (uploads). */
export function currentCsrfToken(): string | null {
  return hooks.csrfToken() ?? null
}

/**
 * What the client's middleware does with a failed answer, for requests made outside
 * openapi-fetch (downloads, uploads with progress): 401 ends the session, a 403
 * `password_change_required` goes to the change-password page.
 */
export function reportFailure(status: number, body: unknown) {
  if (status === 401) hooks.onUnauthorized()
  else if (status === 403 && body && typeof body === 'object' && (body as { code?: unknown }).code === 'password_change_required') {
    hooks.onPasswordChangeRequired()
  }
}

/** The shared client used by the app. */
export const api: ApiClient = createApiClient({
  csrfToken: () => hooks.csrfToken(),
  onUnauthorized: () => hooks.onUnauthorized(),
  onPasswordChangeRequired: () => hooks.onPasswordChangeRequired(),
})

type Result<D> = { data?: D; error?: unknown; response: Response }

/**
 * Resolves to the response body or throws an ApiError:
 * `const org = await unwrap(api.GET('/orgs/{id}', { params: { path: { id } } }))`.
 */
export async function unwrap<D>(call: Promise<Result<D>>): Promise<D> {
  const { data, error, response } = await call
  if (!response.ok) throw toApiError(response.status, error)
  return data as D
}

/** Drops empty strings, null and undefined from a filter object before it becomes a query string. */
export function cleanQuery<T extends object>(q: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(q)) {
    if (v === '' || v === null || v === undefined) continue
    if (Array.isArray(v) && v.length === 0) continue
    out[k] = v
  }
  return out as T
}
