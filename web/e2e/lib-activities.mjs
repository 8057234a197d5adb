// Helpers for e2e/activities.mjs and e2e/goals.mjs: the same server start-up, dist proxy, step
// runner and Chromium flags as e2e/run.mjs (copied, so run.mjs stays as it is).
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { createServer as createHttpServer, request as httpRequest } from 'node:http'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const BIN = resolve(WEB, process.env.HONGLIAN_BIN ?? '../target/debug/honglian')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SHOTS = join(WEB, 'e2e', 'screenshots')
export const PASSWORD = 'Demo@2026!'
export const DESKTOP = { width: 1366, height: 768 }
export const PHONE = { width: 390, height: 844 }
export const TIMEOUT = 15_000
/** The built UI that E2E_SERVE_DIST serves (E2E_DIST_DIR: another build, e.g. `vite build --outDir /tmp/x`). */
export const DIST = resolve(WEB, process.env.E2E_DIST_DIR ?? 'dist')

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => ok(port))
    })
  })
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms))
}

export async function waitHealthy(base, child, ms = 90_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`honglian exited early with code ${child.exitCode}`)
    try {
      const r = await fetch(`${base}/healthz`)
      if (r.ok) return
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  throw new Error(`no healthy answer from ${base}/healthz within ${ms / 1000}s`)
}

/** Signs in over the API (no browser) and returns a tiny authenticated client. */
export async function apiLogin(base, username) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  if (!r.ok) throw new Error(`API login as ${username}: ${r.status} ${await r.text()}`)
  const cookie = (r.headers.getSetCookie?.() ?? [r.headers.get('set-cookie')])
    .filter(Boolean)
    .map((c) => c.split(';')[0])
    .join('; ')
  const session = await r.json()
  const call = async (method, path, body) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': session.csrf_token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.status === 204 ? null : res.json()
  }
  return {
    session,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    logout: () => call('DELETE', '/session').catch(() => {}),
  }
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' }

/** Serves web/dist (SPA fallback) and forwards /api and /healthz to the backend, with the backend's page headers. */
export function distProxy(port, backendPort) {
  const dist = DIST
  let pageHeaders = null
  const backendPageHeaders = async () => {
    if (pageHeaders) return pageHeaders
    const r = await fetch(`http://127.0.0.1:${backendPort}/`).catch(() => null)
    pageHeaders = {}
    for (const h of ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy']) {
      const v = r?.headers.get(h)
      if (v) pageHeaders[h] = v
    }
    return pageHeaders
  }
  const srv = createHttpServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    if (path.startsWith('/api/') || path === '/healthz') {
      const up = httpRequest({ host: '127.0.0.1', port: backendPort, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers)
        r.pipe(res)
      })
      up.on('error', () => res.writeHead(502).end())
      req.pipe(up)
      return
    }
    let file = join(dist, path)
    // The SPA fallback as the binary serves it: the member portal under /m/, the console elsewhere.
    const page = path === '/m' || path.startsWith('/m/') ? 'portal.html' : 'index.html'
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, page)
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', ...(await backendPageHeaders()) })
    res.end(readFileSync(file))
  })
  return new Promise((ok) => srv.listen(port, '127.0.0.1', () => ok(srv)))
}

/** Starts `honglian serve --demo` on a fresh data dir (optionally behind the dist proxy). */
export async function startServer(dataDir) {
  if (!existsSync(BIN)) throw new Error(`honglian binary not found at ${BIN} (set HONGLIAN_BIN)`)
  const serveDist = !!process.env.E2E_SERVE_DIST
  if (serveDist && !existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST} is missing: run \`npm run build\` first`)
  const port = await freePort()
  const backendPort = serveDist ? await freePort() : port
  const base = `http://127.0.0.1:${port}`
  const serveArgs = ['serve', '--demo', '--listen', `127.0.0.1:${backendPort}`, '--data-dir', dataDir]
  const child = /\.m?js$/.test(BIN)
    ? spawn(process.execPath, [BIN, ...serveArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(BIN, serveArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' } })
  let log = ''
  child.stdout.on('data', (d) => (log += d))
  child.stderr.on('data', (d) => (log += d))
  const proxy = serveDist ? await distProxy(port, backendPort) : null
  const stop = async () => {
    proxy?.close()
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))
  }
  try {
    await waitHealthy(base, child)
  } catch (e) {
    await stop()
    throw e
  }
  return { base, child, serveDist, backendPort, log: () => log, stop }
}

// ------------------------------------------------------------------ runner
export function createRunner() {
  const state = { passed: 0, failed: 0 }
  async function step(name, fn) {
    try {
      await fn()
      state.passed++
      console.log(`  ✓ ${name}`)
      return true
    } catch (e) {
      state.failed++
      const msg = (e?.stack ?? String(e)).split('\n').slice(0, 6).join('\n      ')
      console.log(`  ✗ ${name}\n      ${msg}`)
      return false
    }
  }
  return { state, step }
}

export function expect(cond, message) {
  if (!cond) throw new Error(message)
}

// ------------------------------------------------------------------ UI helpers
export async function shot(page, name) {
  await page.waitForTimeout(350) // let transitions settle
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

export async function login(page, base, username, password = PASSWORD) {
  if (!page.url().includes('/login')) await page.goto(`${base}/login`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(password)
  await page.locator('[data-testid=login-submit]').click()
}

export async function loginOk(page, base, username) {
  await login(page, base, username)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: TIMEOUT })
  await page.locator('[data-testid=user-menu]').waitFor({ timeout: TIMEOUT })
}

export async function logout(page) {
  await page.locator('[data-testid=user-menu]').click()
  await page.locator('.el-dropdown-menu__item', { hasText: '退出登录' }).click()
  await page.waitForURL((u) => u.pathname.startsWith('/login'), { timeout: TIMEOUT })
}

/** Waits until no loading mask is shown. */
export async function idle(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')].some((m) => m.offsetParent !== null), null, { timeout: TIMEOUT })
}

export async function noHorizontalOverflow(page) {
  const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }))
  expect(sw <= w + 1, `page is ${sw}px wide in a ${w}px viewport`)
}

/** Collects uncaught errors and CSP violations of a page. */
/**
 * Collects what must never reach the browser console: uncaught errors, CSP violations, framework
 * deprecation warnings (Vue, Element Plus) and resources that are not found.
 */
export function watchConsole(page, into) {
  page.on('pageerror', (e) => into.push(String(e)))
  page.on('console', (m) => {
    const text = m.text()
    if (m.type() === 'error' && /Content Security Policy/i.test(text)) into.push(text)
    if (m.type() === 'warning' && /\[Vue warn\]|\[ElementPlus\]|deprecated/i.test(text)) into.push(`${page.url()}: ${text}`)
  })
  page.on('response', (r) => {
    if (r.status() === 404 && !r.url().includes('/api/')) into.push(`404 ${r.url()} (on ${page.url()})`)
  })
}

/** `YYYY-MM-DD HH:mm` of a moment in Beijing time (the browsers run in Asia/Shanghai). */
export function beijing(d) {
  const b = new Date(d.getTime() + 8 * 3600_000)
  const p = (n) => String(n).padStart(2, '0')
  return `${b.getUTCFullYear()}-${p(b.getUTCMonth() + 1)}-${p(b.getUTCDate())} ${p(b.getUTCHours())}:${p(b.getUTCMinutes())}`
}

/** A valid 1×1 PNG (red), for uploading a photo. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
)
