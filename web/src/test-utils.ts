/** Helpers for unit tests: a scripted fetch that records requests. */
import { vi } from 'vitest'

export interface Recorded {
  method: string
  url: URL
  headers: Headers
  body: unknown
}

type Responder = (req: Recorded) => Response | Promise<Response>

export function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': type },
  })
}

export function problem(status: number, body: Record<string, unknown>): Response {
  return json(status, { type: 'about:blank', status, ...body }, 'application/problem+json')
}

/** Installs a fake global fetch; `routes` maps "METHOD /path" to a responder. */
export function fakeFetch(routes: Record<string, Responder>) {
  const calls: Recorded[] = []
  const fn = vi.fn(async (input: Request) => {
    const url = new URL(input.url)
    const text = await input.text()
    const rec: Recorded = {
      method: input.method,
      url,
      headers: input.headers,
      body: text ? JSON.parse(text) : undefined,
    }
    calls.push(rec)
    const key = `${input.method} ${url.pathname}`
    const responder = routes[key]
    if (!responder) return problem(404, { title: `no route ${key}` })
    return responder(rec)
  })
  vi.stubGlobal('fetch', fn)
  return { calls, fn }
}
