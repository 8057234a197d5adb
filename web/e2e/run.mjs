#!/usr/bin/env node
// End-to-end test of the web console against a real `honglian serve --demo`,
// driven in Debian's Chromium through playwright-core.
//
//   HONGLIAN_BIN=/path/to/honglian npm run e2e     (default ../target/debug/honglian)
//   HONGLIAN_BIN=e2e/mock-server.mjs npm run e2e   (in-memory stand-in, for UI work)
//   E2E_SERVE_DIST=1 npm run e2e                   (serve this web/dist in front of the binary:
//                                                   UI changes without rebuilding the Rust binary)
//
// Screenshots of every main page land in e2e/screenshots/. The last line is
// "N passed, M failed"; the exit code is non-zero when anything failed.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { createServer as createHttpServer, request as httpRequest } from 'node:http'
import { extname } from 'node:path'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { readSheet, writeSheet } from './xlsx.mjs'
import { watchConsole } from './lib-activities.mjs'

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = resolve(WEB, process.env.HONGLIAN_BIN ?? '../target/debug/honglian')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = join(WEB, 'e2e', 'screenshots')
const PASSWORD = 'Demo@2026!'
const DESKTOP = { width: 1366, height: 768 }
const PHONE = { width: 390, height: 844 }
const TIMEOUT = 15_000
/** Rows of the generated import file (the check must take long enough to show its progress). */
const IMPORT_ROWS = Number(process.env.E2E_IMPORT_ROWS ?? 30_000)

// ------------------------------------------------------------------ helpers
function freePort() {
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

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
/** GB 11643 check digit of the first 17 digits. */
function idWithCheckDigit(first17) {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0)
  return first17 + '10X98765432'[sum % 11]
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms))
}

async function waitHealthy(base, child, ms = 90_000) {
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
async function apiLogin(base, username) {
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
  const { csrf_token } = await r.json()
  return {
    async get(path) {
      const res = await fetch(`${base}/api/v1${path}`, { headers: { Cookie: cookie } })
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
      return res.json()
    },
    async logout() {
      await fetch(`${base}/api/v1/session`, { method: 'DELETE', headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token } })
    },
  }
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' }

/**
 * Serves web/dist (SPA fallback) and forwards /api and /healthz to the backend.
 * Pages carry the security headers the backend sends with its own pages.
 */
function distProxy(port, backendPort) {
  const dist = join(WEB, 'dist')
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
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html')
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', ...(await backendPageHeaders()) })
    res.end(readFileSync(file))
  })
  return new Promise((ok) => srv.listen(port, '127.0.0.1', () => ok(srv)))
}

// ------------------------------------------------------------------ runner
let realBackend = true
let passed = 0
let failed = 0
const results = []

async function step(name, fn) {
  const t0 = Date.now()
  try {
    await fn()
    passed++
    results.push(`  ✓ ${name} (${Date.now() - t0} ms)`)
    console.log(`  ✓ ${name}`)
    return true
  } catch (e) {
    failed++
    const msg = (e?.stack ?? String(e)).split('\n').slice(0, 6).join('\n      ')
    results.push(`  ✗ ${name}\n      ${msg}`)
    console.log(`  ✗ ${name}\n      ${msg}`)
    return false
  }
}

function expect(cond, message) {
  if (!cond) throw new Error(message)
}

// ------------------------------------------------------------------ UI helpers
async function shot(page, name) {
  await page.waitForTimeout(350) // let transitions settle
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

async function login(page, base, username, password = PASSWORD) {
  await page.goto(`${base}/login`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(password)
  await page.locator('[data-testid=login-submit]').click()
}

async function loginOk(page, base, username) {
  await login(page, base, username)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: TIMEOUT })
  await page.locator('[data-testid=user-menu]').waitFor({ timeout: TIMEOUT })
}

async function logout(page) {
  await page.locator('[data-testid=user-menu]').click()
  await page.locator('.el-dropdown-menu__item', { hasText: '退出登录' }).click()
  await page.waitForURL((u) => u.pathname.startsWith('/login'), { timeout: TIMEOUT })
}

/** Opens an el-select and picks the option with this exact label. */
async function pickOption(page, selectLocator, label) {
  await selectLocator.click()
  const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: label }).first()
  await option.click()
}

/** Types into an OrgPicker's search box and picks the first hit with this name. */
async function pickOrg(page, picker, name) {
  await picker.click()
  const popper = page.locator('.org-picker-popper:visible')
  await popper.locator('input[data-testid=org-picker-search]').fill(name)
  await popper.locator('.org-picker-result', { hasText: name }).first().click()
}

async function fillDate(page, input, value) {
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await page.keyboard.press('Escape').catch(() => {})
}

async function noHorizontalOverflow(page) {
  const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }))
  expect(sw <= w + 1, `page is ${sw}px wide in a ${w}px viewport`)
}

// ------------------------------------------------------------------ main
async function main() {
  mkdirSync(SHOTS, { recursive: true })
  if (!existsSync(BIN)) throw new Error(`honglian binary not found at ${BIN} (set HONGLIAN_BIN)`)
  if (!existsSync(join(WEB, 'dist', 'index.html')) && (/\.m?js$/.test(BIN) || process.env.E2E_SERVE_DIST)) {
    throw new Error('web/dist is missing: run `npm run build` first')
  }
  const serveDist = !!process.env.E2E_SERVE_DIST
  realBackend = !/\.m?js$/.test(BIN)
  const port = await freePort()
  const backendPort = serveDist ? await freePort() : port
  const base = `http://127.0.0.1:${port}`
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-'))
  const profile = mkdtempSync(join(tmpdir(), 'honglian-chromium-'))
  const serveArgs = ['serve', '--demo', '--listen', `127.0.0.1:${backendPort}`, '--data-dir', dataDir]
  const child = /\.m?js$/.test(BIN)
    ? spawn(process.execPath, [BIN, ...serveArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(BIN, serveArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' } })
  let serverLog = ''
  child.stdout.on('data', (d) => (serverLog += d))
  child.stderr.on('data', (d) => (serverLog += d))

  let context
  let proxy
  try {
    console.log(`honglian: ${BIN}\nlistening: ${base}${serveDist ? ` (web/dist served by the test, API on :${backendPort})` : ''}\ndata dir: ${dataDir}`)
    if (serveDist) proxy = await distProxy(port, backendPort)
    await waitHealthy(base, child)

    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: DESKTOP,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    })
    context.setDefaultTimeout(TIMEOUT)
    const page = context.pages()[0] ?? (await context.newPage())
    const consoleErrors = []
    // Console errors from the app are expected for refused API calls; CSP violations, framework
    // deprecation warnings and missing resources are not.
    watchConsole(page, consoleErrors)

    const stamp = Date.now().toString(36).slice(-5)
    const subOrgName = `E2E测试党小组${stamp}`
    // A valid ID number with a fresh sequence part, so reruns on one data dir do not collide.
    const idNumber = idWithCheckDigit(`44088319900101${String(100 + (Date.now() % 900)).padStart(3, '0')}`)
    const memberName = `测试党员${stamp}`
    let memberId = null

    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await page.screenshot({ path: join(SHOTS, `failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }

    await ok('login page rejects a wrong password', async () => {
      await login(page, base, 'gz_branch', 'wrong-password')
      const err = page.locator('[data-testid=login-error]')
      await err.waitFor()
      expect((await err.innerText()).includes('用户名或密码错误'), `unexpected message: ${await err.innerText()}`)
      await shot(page, 'login')
    })

    await ok('gz_branch signs in and sees the overview charts', async () => {
      await loginOk(page, base, 'gz_branch')
      await page.goto(`${base}/overview`)
      await page.locator('[data-testid=org-total]').filter({ hasText: /\d/ }).waitFor()
      await page.locator('.chart-card canvas').first().waitFor()
      await page.waitForTimeout(800) // chart entry animation
      const menu = await page.locator('.side-menu').innerText()
      expect(menu.includes('组织架构') && menu.includes('党员'), `menu: ${menu}`)
      expect(!menu.includes('审计日志') && !menu.includes('用户与授权'), `gz_branch must not see admin menus: ${menu}`)
      await shot(page, 'overview')
    })

    // gz_branch's organisation is a 党支部, which may hold only 党小组: the form
    // offers just that kind; the member then goes into the new party group.
    let memberOrgName = null
    await ok('gz_branch creates a 党小组 under its 党支部', async () => {
      await page.goto(`${base}/orgs`)
      await page.locator('[data-testid=org-detail-name]').waitFor()
      await page.locator('.detail-tags').waitFor()
      const kind = (await page.locator('.detail-tags .el-tag').first().innerText()).trim()
      await page.locator('[data-testid=org-create-child]').click()
      const dlg = page.locator('.el-dialog:visible')
      await dlg.locator('input[name=org_name]').fill(subOrgName)
      await dlg.locator('[data-testid=org-kind]').click()
      // The dropdown opens after the click returns: wait for its items before reading them.
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').first().waitFor()
      const options = (await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').allInnerTexts()).map((t) => t.trim())
      if (['党支部', '联合党支部'].includes(kind)) {
        expect(options.length === 1 && options[0] === '党小组', `kinds offered under a ${kind}: ${options.join('、')}`)
      } else {
        expect(options.includes('党支部'), `kinds offered under a ${kind}: ${options.join('、')}`)
      }
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '党小组' }).first().click()
      await dlg.locator('input[name=secretary]').fill('张测试')
      await shot(page, 'org-create-party-group')
      await dlg.locator('[data-testid=org-form-submit]').click()
      await page.locator('[data-testid=org-detail-name]', { hasText: subOrgName }).waitFor()
      await page.locator('.detail-tags', { hasText: '党小组' }).waitFor()
      await page.locator('[data-testid=org-tree] .el-tree-node__content', { hasText: subOrgName }).waitFor()
      const subOrgId = Number(new URL(page.url()).searchParams.get('id'))
      expect(subOrgId > 0, `no org id in URL ${page.url()}`)
      // A party group holds nothing: the action is shown disabled.
      expect((await page.locator('[data-testid=org-create-child]').count()) === 0, 'create-child offered under a 党小组')
      expect(await page.getByRole('button', { name: '新建下级组织' }).isDisabled(), 'create-child button not disabled under a 党小组')
      memberOrgName = subOrgName
      await shot(page, 'orgs')
    })

    await ok('gz_branch adds a member with a valid ID number', async () => {
      await page.goto(`${base}/members`)
      await page.locator('[data-testid=member-new]').click()
      await page.waitForURL(/\/members\/new/)
      await pickOrg(page, page.locator('.member-form [data-testid=org-picker]'), memberOrgName)
      await page.locator('input[name=name]').fill(memberName)
      // First a wrong check digit: the server's message must sit on the field.
      const wrong = idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0')
      await page.locator('input[name=id_number]').fill(wrong)
      await page.locator('input[name=phone]').fill(`139${String(Date.now()).slice(-8)}`)
      await page.locator('input[name=address]').fill('广东省广州市天河区体育东路 1 号')
      const joined = page.locator('.el-form-item', { hasText: '入党日期' }).locator('input')
      await fillDate(page, joined, '2015-07-01')
      await page.locator('[data-testid=member-save]').click()
      const idError = page.locator('.el-form-item', { has: page.locator('input[name=id_number]') }).locator('.el-form-item__error')
      await idError.waitFor()
      expect((await idError.innerText()).includes('校验码'), `id_number error: ${await idError.innerText()}`)
      await shot(page, 'member-form-error')
      await page.locator('input[name=id_number]').fill(idNumber)
      await shot(page, 'member-form')
      await page.locator('[data-testid=member-save]').click()
      await page.waitForURL(/\/members\/\d+$/)
      memberId = Number(new URL(page.url()).pathname.split('/').pop())
      await page.locator('[data-testid=member-name]', { hasText: memberName }).waitFor()
    })

    await ok('the new member is masked in the list', async () => {
      await page.goto(`${base}/members`)
      await page.locator('input[name=q]').fill(memberName)
      await page.locator('[data-testid=filter-search]').click()
      const row = page.locator('.el-table__body tr', { hasText: memberName }).first()
      await row.waitFor()
      const text = await row.innerText()
      expect(!text.includes(idNumber), 'plaintext ID number shown in the list')
      // Masked to its last 2 characters (with the birth year, at most 6 of the 18 are shown).
      expect(text.includes(`****************${idNumber.slice(-2)}`) && !text.includes(idNumber.slice(-4)), `no masked ID in row: ${text}`)
      await page.locator('input[name=q]').fill('')
      await page.locator('[data-testid=filter-search]').click()
      await page.locator('.el-table__body tr').first().waitFor()
      await shot(page, 'members')
    })

    await ok('unmasking with a reason shows the plaintext', async () => {
      await page.goto(`${base}/members/${memberId}`)
      const field = page.locator('.masked-field[data-field=id_number]')
      await field.locator('[data-testid=masked-value]').waitFor()
      expect(!(await field.innerText()).includes(idNumber), 'plaintext visible before unmasking')
      await field.locator('[data-testid=unmask-button]').click()
      const dlg = page.locator('.el-dialog:visible', { hasText: '查看敏感信息' })
      await dlg.locator('textarea[data-testid=unmask-reason]').fill('核对组织关系转接材料（E2E）')
      await dlg.locator('[data-testid=unmask-confirm]').click()
      await field.locator('[data-testid=masked-value]', { hasText: idNumber }).waitFor()
      await dlg.waitFor({ state: 'hidden' })
      await shot(page, 'member-detail')
    })

    await ok('editing the member saves only what changed', async () => {
      await page.locator('[data-testid=member-edit]').click()
      await page.waitForURL(/\/members\/\d+\/edit$/)
      await page.locator('input[name=occupation]').fill('工程师')
      await page.locator('[data-testid=member-save]').click()
      await page.waitForURL(/\/members\/\d+$/)
      await page.locator('.el-descriptions', { hasText: '工程师' }).waitFor()
      const field = page.locator('.masked-field[data-field=id_number]')
      expect(!(await field.innerText()).includes(idNumber), 'ID number shown in plaintext after an edit')
      await logout(page)
    })

    await ok('auditor finds the unmask in the audit log', async () => {
      await loginOk(page, base, 'auditor')
      const menu = await page.locator('.side-menu').innerText()
      expect(menu.includes('审计日志') && !menu.includes('党员'), `auditor menu: ${menu}`)
      await page.goto(`${base}/audit`)
      const action = page.locator('[data-testid=audit-action]')
      await action.click()
      await page.keyboard.type('member.unmask')
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '查看敏感信息' }).first().click()
      await page.locator('[data-testid=filter-search]').click()
      const row = page.locator('.el-table__body tr', { hasText: '核对组织关系转接材料（E2E）' }).first()
      await row.waitFor()
      const text = await row.innerText()
      expect(text.includes('gz_branch') || text.includes('广州'), `row does not name the actor: ${text}`)
      await shot(page, 'audit')
      await logout(page)
    })

    let homeBranch = null
    await ok('wuchuan_admin creates, moves and dissolves a branch; transfers a member', async () => {
      // Targets named by the API, so the test does not depend on demo names.
      const wc = await apiLogin(base, 'wuchuan_admin')
      const roots = (await wc.get('/orgs/roots')).items
      const candidates = (await wc.get(`/orgs?parent=${roots[0].id}&per_page=100`)).items
      const moveTo = candidates.find((o) => o.status === 'active' && !['branch', 'joint_branch'].includes(o.kind))
      const member = await wc.get(`/members/${memberId}`)
      // Into a home branch (one whose members work away), for the outflow steps below.
      const away = realBackend ? (await wc.get('/ledgers/outflow?per_page=1')).items[0] : null
      const transferTo =
        away && away.member_org_id !== member.org_id
          ? { id: away.member_org_id, name: away.member_org_name }
          : (await wc.get(`/orgs?subtree=${roots[0].id}&kind=branch&status=active&per_page=100`)).items.find((o) => o.id !== member.org_id)
      homeBranch = transferTo
      await wc.logout()
      expect(moveTo && transferTo, 'no organisation to move to or transfer to in the demo data')

      await loginOk(page, base, 'wuchuan_admin')
      await page.goto(`${base}/overview`)
      await page.locator('[data-testid=org-total]').filter({ hasText: /\d/ }).waitFor()
      await page.locator('.chart-card canvas').first().waitFor()
      await page.waitForTimeout(800)
      await shot(page, 'overview-county')
      await page.goto(`${base}/orgs`)
      await page.locator('[data-testid=org-create-child]').click()
      const dlg = page.locator('.el-dialog:visible')
      const name = `E2E临时党支部${stamp}`
      await dlg.locator('input[name=org_name]').fill(name)
      await pickOption(page, dlg.locator('[data-testid=org-kind]'), '党支部')
      await dlg.locator('[data-testid=org-form-submit]').click()
      await page.locator('[data-testid=org-detail-name]', { hasText: name }).waitFor()
      await page.locator('[data-testid=org-tree] .el-tree-node__content', { hasText: name }).waitFor()
      await page.locator('[data-testid=org-move]').click()
      const moveDlg = page.locator('.el-dialog:visible', { hasText: '移动组织' })
      await pickOrg(page, moveDlg.locator('[data-testid=org-picker]'), moveTo.name)
      await moveDlg.locator('[data-testid=org-move-confirm]').click()
      await moveDlg.waitFor({ state: 'hidden' })
      // The tree opens the way to the moved organisation under its new parent.
      await page
        .locator('[data-testid=org-tree] .el-tree-node', { hasText: moveTo.name })
        .locator('.el-tree-node__content', { hasText: name })
        .waitFor()
      await page.locator('[data-testid=org-dissolve]').click()
      await page.locator('.el-message-box:visible').getByRole('button', { name: '撤销' }).click()
      await page.locator('.detail-tags', { hasText: '已撤销' }).waitFor()
      await shot(page, 'orgs-county')

      await page.goto(`${base}/members/${memberId}`)
      await page.locator('[data-testid=member-transfer]').click()
      const tDlg = page.locator('.el-dialog:visible', { hasText: '组织关系转接' })
      await pickOrg(page, tDlg.locator('[data-testid=org-picker]'), transferTo.name)
      await tDlg.locator('textarea').fill('E2E：工作调动')
      await tDlg.getByRole('button', { name: '确认转接' }).click()
      await tDlg.waitFor({ state: 'hidden' })
      await page.locator('.el-descriptions', { hasText: transferTo.name }).waitFor()
      await logout(page)
    })

    // ---------------------------------------------------------- mobile members (流动党员)
    /** Numbers by category from an ECharts chart's aria description ("广州市的数据是1184"). */
    const chartValues = async (testid) => {
      const chart = page.locator(`[data-testid=${testid}]`)
      await chart.locator('[aria-label]').first().waitFor()
      const label = await chart.locator('[aria-label]').first().getAttribute('aria-label')
      return Object.fromEntries([...label.matchAll(/([^，。、；：—\s]+?)的数据是(\d+)/g)].map((m) => [m[1], Number(m[2])]))
    }
    const statsNumbers = async () => {
      await page.goto(`${base}/mobility/stats`)
      await page.locator('[data-testid=outflow-total]').filter({ hasText: /\d/ }).waitFor()
      await page.locator('[data-testid=city-chart] canvas').waitFor()
      return { total: Number(await page.locator('[data-testid=outflow-total]').innerText()), cities: await chartValues('city-chart') }
    }
    const haikouBranch = { name: null }
    // The in-memory stand-in has no mobility API: these steps need the real binary.
    const mobilityOk = realBackend
      ? ok
      : async (name) => {
          console.log(`  - ${name} (skipped: e2e/mock-server.mjs has no mobility API)`)
        }
    let statsBefore = null
    let ledgerFile = null

    await mobilityOk('wuchuan_admin registers an outflow to 海口 and the statistics count it', async () => {
      expect(homeBranch, 'no home branch found for the outflow steps')
      const wc = await apiLogin(base, 'wuchuan_admin')
      const haikou = (await wc.get(`/orgs?q=${encodeURIComponent('海口')}&kind=branch&status=active`)).items[0]
      await wc.logout()
      expect(haikou, 'no branch in 海口 in the demo data')
      haikouBranch.name = haikou.name

      await loginOk(page, base, 'wuchuan_admin')
      const menu = await page.locator('.side-menu').innerText()
      for (const item of ['流动党员', '流动台账', '失联党员', '摸排', '流动党员统计', '导入党员']) expect(menu.includes(item), `menu lacks ${item}: ${menu}`)
      statsBefore = await statsNumbers()
      expect(statsBefore.total > 0 && statsBefore.cities['海口市'] > 0, `stats before: ${JSON.stringify(statsBefore)}`)
      await page.locator('[data-testid=province-map] canvas').waitFor()
      await page.waitForTimeout(800)
      await shot(page, 'mobility-stats')

      await page.goto(`${base}/mobility/ledgers/outflow`)
      await page.locator('.el-table__body tr').first().waitFor()
      await page.locator('[data-testid=outflow-new]').click()
      const dlg = page.locator('.el-dialog:visible', { hasText: '外出登记' })
      await dlg.locator('[data-testid=member-picker] input').fill(memberName)
      await page.locator('.member-picker-popper:visible .el-select-dropdown__item', { hasText: memberName }).first().click()
      await dlg.locator('.outflow-region input').fill('海口')
      await page.locator('.el-cascader__suggestion-item:visible', { hasText: /^海南省 \/ 海口市$/ }).click()
      await dlg.locator('input[name=employer]').fill('海口某建材有限公司')
      await dlg.locator('input[name=occupation]').fill('企业职工')
      await dlg.locator('input[name=contact_person]').fill('张测试')
      // The city brings the organisations of 海口 in the caller's scope to one click.
      await dlg.locator('[data-testid=receiving-suggestion]', { hasText: haikou.name }).click()
      await shot(page, 'outflow-form')
      await dlg.locator('[data-testid=outflow-submit]').click()
      await dlg.waitFor({ state: 'hidden' })

      await page.locator('input[name=ledger_q]').fill(memberName)
      await page.locator('[data-testid=filter-search]').click()
      const row = page.locator('.el-table__body tr', { hasText: memberName }).first()
      await row.waitFor()
      const text = await row.innerText()
      expect(text.includes('海口市') && text.includes(haikou.name), `ledger row: ${text}`)
      expect(!text.includes(idNumber) && text.includes(`****************${idNumber.slice(-2)}`), `ID not masked in the ledger: ${text}`)
      await shot(page, 'ledger-outflow')

      const after = await statsNumbers()
      expect(after.total === statsBefore.total + 1, `outflow total ${statsBefore.total} → ${after.total}`)
      expect(after.cities['海口市'] === statsBefore.cities['海口市'] + 1, `海口市 ${statsBefore.cities['海口市']} → ${after.cities['海口市']}`)
    })

    await mobilityOk('the outflow ledger exports to xlsx with the member masked', async () => {
      await page.goto(`${base}/mobility/ledgers/outflow`)
      await page.locator('input[name=ledger_q]').fill(memberName)
      await page.locator('[data-testid=filter-search]').click()
      await page.locator('.el-table__body tr', { hasText: memberName }).first().waitFor()
      await page.locator('[data-testid=ledger-export]').click()
      // wuchuan_admin may unmask: the dialog asks, masked is the default.
      const dlg = page.locator('.el-dialog:visible', { hasText: '导出台账' })
      await dlg.waitFor()
      await shot(page, 'ledger-export-dialog')
      const [download] = await Promise.all([page.waitForEvent('download'), dlg.locator('[data-testid=export-confirm]').click()])
      const name = download.suggestedFilename()
      expect(/外出党员台账.*\.xlsx$/.test(name), `file name: ${name}`)
      ledgerFile = join(tmpdir(), `honglian-ledger-${stamp}.xlsx`)
      await download.saveAs(ledgerFile)
      const rows = readSheet(readFileSync(ledgerFile))
      rmSync(ledgerFile, { force: true })
      const header = rows.find((r) => r.includes('姓名') && r.includes('身份证号'))
      expect(header, `no header row in ${JSON.stringify(rows.slice(0, 4))}`)
      const line = rows.find((r) => r[header.indexOf('姓名')] === memberName)
      expect(line, `${memberName} not in the export: ${JSON.stringify(rows.slice(0, 6))}`)
      const id = line[header.indexOf('身份证号')]
      expect(id === `****************${idNumber.slice(-2)}`, `ID number in the export: ${id}`)
      expect(line.join(' ').includes('海口'), `no 海口 in ${JSON.stringify(line)}`)
    })

    await mobilityOk('the member page shows the outflow; a contact is logged', async () => {
      await page.goto(`${base}/members/${memberId}`)
      const mm = page.locator('[data-testid=member-mobility]')
      await mm.locator('[data-testid=mm-away]').waitFor()
      await mm.locator('.el-timeline-item', { hasText: '海口市' }).waitFor()
      await mm.locator('[data-testid=mm-contact]').click()
      const dlg = page.locator('.el-dialog:visible', { hasText: '登记联系' })
      await dlg.locator('textarea').fill('电话联系，在海口工作正常（E2E）')
      await dlg.locator('[data-testid=contact-submit]').click()
      await dlg.waitFor({ state: 'hidden' })
      await mm.locator('[data-testid=mm-contacts] .el-table__body tr', { hasText: '在海口工作正常（E2E）' }).waitFor()
      await page.locator('[data-testid=member-mobility]').scrollIntoViewIfNeeded()
      await shot(page, 'member-mobility')
    })

    await mobilityOk('lost members: a suspension is proposed (recorded only)', async () => {
      // Suspended members stay in the list too (no proposal for them): show those not suspended.
      await page.goto(`${base}/mobility/lost?suspended=false`)
      const row = page.locator('.el-table__body tr', { has: page.locator('[data-testid=lost-propose]:not(.is-disabled)') }).first()
      await row.waitFor()
      const days = await row.locator('[data-testid=lost-days]').innerText()
      expect(/\d+ 天/.test(days) && Number(days.match(/\d+/)[0]) >= 180, `days since contact: ${days}`)
      await shot(page, 'lost-contacts')
      const name = (await row.locator('td').first().innerText()).trim()
      await row.locator('[data-testid=lost-propose]').click()
      const dlg = page.locator('.el-dialog:visible', { hasText: '建议停止党籍' })
      await dlg.locator('textarea[data-testid=suspension-reason]').fill('外出多年，电话、走访、委托商会党支部寻找均未联系上（E2E）')
      await shot(page, 'lost-propose')
      await dlg.locator('[data-testid=suspension-submit]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.locator('.el-table__body tr', { hasText: name }).filter({ hasText: '已建议' }).first().waitFor()
    })

    await mobilityOk('the census list and progress per organisation', async () => {
      await page.goto(`${base}/mobility/censuses`)
      await page.locator('[data-testid=census-row]').first().waitFor()
      await shot(page, 'census-list')
      await page.locator('[data-testid=census-row]', { hasText: '进行中' }).first().click()
      await page.waitForURL(/\/mobility\/censuses\/\d+$/)
      await page.locator('[data-testid=census-chart] canvas').waitFor()
      const byOrg = await chartValues('census-chart')
      expect(Object.keys(byOrg).length > 0, 'no organisations in the census chart')
      await page.locator('.el-table__body tr').first().waitFor()
      await page.waitForTimeout(600)
      await shot(page, 'census-detail')
    })

    await mobilityOk('the census verification form works on a phone', async () => {
      const censusUrl = page.url()
      await page.setViewportSize(PHONE)
      await page.goto(censusUrl)
      const verified = page.locator('[data-testid=census-verified]')
      await verified.filter({ hasText: /\d/ }).waitFor()
      const before = Number(await verified.innerText())
      await page.locator('.entry-filters .el-radio-button', { hasText: '待核实' }).click()
      await page.locator('[data-testid=entry-card]').first().waitFor()
      await noHorizontalOverflow(page)
      await shot(page, 'census-mobile')
      const card = page.locator('[data-testid=entry-card]').first()
      const who = (await card.locator('.entry-name').innerText()).split(/\s/)[0]
      const button = card.locator('[data-testid=entry-verify]')
      const box = await button.boundingBox()
      expect(box && box.height >= 44, `verify button is ${box?.height}px tall`)
      await button.click()
      const drawer = page.locator('.verify-drawer')
      await drawer.locator('input[name=current_place]').waitFor()
      // Reached without a place is refused on the spot.
      await drawer.locator('[data-testid=verify-save]').click()
      await drawer.locator('.el-form-item__error', { hasText: '现所在地' }).waitFor()
      await drawer.locator('input[name=current_place]').fill('海南省海口市龙华区')
      await drawer.locator('input[name=current_employer]').fill('海口某建材有限公司')
      await drawer.locator('textarea[name=thoughts]').fill('思想稳定，积极参加商会党支部活动（E2E）')
      await drawer.locator('textarea[name=needs]').fill('希望就近参加组织生活')
      await noHorizontalOverflow(page)
      await shot(page, 'census-verify-mobile')
      await drawer.locator('[data-testid=verify-save]').click()
      await drawer.waitFor({ state: 'hidden' })
      await verified.filter({ hasText: String(before + 1) }).waitFor()
      expect(who.length > 0, 'no member name on the card')
      await page.setViewportSize(DESKTOP)
    })

    await mobilityOk('the statistics page fits a phone', async () => {
      await page.setViewportSize(PHONE)
      await page.goto(`${base}/mobility/stats`)
      await page.locator('[data-testid=outflow-total]').filter({ hasText: /\d/ }).waitFor()
      await page.locator('[data-testid=province-map] canvas').waitFor()
      await page.waitForTimeout(800)
      await noHorizontalOverflow(page)
      await shot(page, 'mobility-stats-mobile')
      await page.setViewportSize(DESKTOP)
    })

    await mobilityOk('a return closes the outflow; an inflow is registered', async () => {
      await page.goto(`${base}/mobility/ledgers/outflow`)
      await page.locator('input[name=ledger_q]').fill(memberName)
      await page.locator('[data-testid=filter-search]').click()
      const row = page.locator('.el-table__body tr', { hasText: memberName }).first()
      await row.waitFor()
      await row.locator('[data-testid=row-return]').click()
      const dlg = page.locator('.el-dialog:visible', { hasText: '回归登记' })
      await dlg.locator('input[name=current_place]').fill('吴川市塘㙍镇')
      await dlg.locator('textarea').fill('返乡创业（E2E）')
      await shot(page, 'return-form')
      await dlg.locator('[data-testid=return-submit]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.locator('.el-table__empty-text').waitFor()
      // The 回归 tab keeps the filters.
      await page.locator('.ledger-tabs .el-tabs__item', { hasText: '回归党员台账' }).click()
      await page.waitForURL(/\/mobility\/ledgers\/return$/)
      const back = page.locator('.el-table__body tr', { hasText: memberName }).first()
      await back.waitFor()
      expect((await back.innerText()).includes('吴川市塘㙍镇'), `return row: ${await back.innerText()}`)
      await shot(page, 'ledger-return')

      await page.locator('.ledger-tabs .el-tabs__item', { hasText: '流入党员台账' }).click()
      await page.waitForURL(/\/mobility\/ledgers\/inflow$/)
      await page.locator('[data-testid=inflow-new]').click()
      const inflow = page.locator('.el-dialog:visible', { hasText: '流入登记' })
      const inflowName = `流入党员${stamp}`
      await pickOrg(page, inflow.locator('[data-testid=org-picker]'), homeBranch.name)
      await inflow.locator('input[name=inflow_name]').fill(inflowName)
      await inflow.locator('input[name=inflow_id_number]').fill(idWithCheckDigit(`43010219880808${String(Date.now() % 1000).padStart(3, '0')}`))
      await inflow.locator('input[name=inflow_phone]').fill(`138${String(Date.now()).slice(-8)}`)
      await inflow.locator('input[name=external_org_name]').fill('长沙市某社区党支部')
      await shot(page, 'inflow-form')
      await inflow.locator('[data-testid=inflow-submit]').click()
      await inflow.waitFor({ state: 'hidden' })
      await page.locator('input[name=ledger_q]').fill(inflowName)
      await page.locator('[data-testid=filter-search]').click()
      const line = page.locator('.el-table__body tr', { hasText: inflowName }).first()
      await line.waitFor()
      expect((await line.innerText()).includes(homeBranch.name), `inflow row: ${await line.innerText()}`)
      await shot(page, 'ledger-inflow')
    })

    await mobilityOk('the import wizard checks a large file with progress and reports a bad check digit', async () => {
      await page.goto(`${base}/mobility/import`)
      const [template] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=import-template]').click()])
      expect(template.suggestedFilename().endsWith('.xlsx'), `template: ${template.suggestedFilename()}`)
      const good = idWithCheckDigit(`44088319850203${String(Date.now() % 1000).padStart(3, '0')}`)
      const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
      const rows = [['姓名*', '身份证号*', '入党日期*', '所在党组织*'], [`导入甲${stamp}`, good, '2010-07-01', homeBranch.name], [`导入乙${stamp}`, bad, '2010-07-01', homeBranch.name]]
      // Enough rows that the check takes a moment: the progress bar must show the server's row count.
      for (let i = 0; i < IMPORT_ROWS; i++) {
        const day = new Date(Date.UTC(1960, 0, 1) + Math.floor(i / 800) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')
        rows.push([`导入${stamp}${i}`, idWithCheckDigit(`440883${day}${String(100 + (i % 800)).padStart(3, '0')}`), '2010-07-01', homeBranch.name])
      }
      await page.locator('input[data-testid=import-file]').setInputFiles({
        name: `党员导入-${stamp}.xlsx`,
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: Buffer.from(writeSheet(rows)),
      })
      await page.locator('[data-testid=import-file-name]').waitFor()
      await page.locator('[data-testid=import-check]').click()
      const progress = page.locator('[data-testid=import-progress]', { hasText: new RegExp(`正在检查 \\d+ / ${rows.length - 1} 行`) })
      await progress.waitFor({ timeout: 60_000 })
      await shot(page, 'import-progress')
      const report = page.locator('[data-testid=import-report]')
      await report.waitFor({ timeout: 120_000 })
      const errorRow = report.locator('[data-testid=import-errors] .el-table__body tr').first()
      await errorRow.waitFor()
      const text = await errorRow.innerText()
      expect(/^3\b/.test(text.trim()) && text.includes('身份证号') && text.includes('校验码'), `error row: ${text}`)
      expect((await report.locator('[data-testid=import-error-count]').innerText()).trim() === '1', 'expected exactly one error')
      expect(Number(await report.locator('[data-testid=import-valid]').innerText()) >= rows.length - 2 - 5, 'valid rows missing')
      expect(await page.locator('[data-testid=import-confirm]').isDisabled(), 'import offered while rows have errors')
      await report.scrollIntoViewIfNeeded()
      await shot(page, 'import-dry-run')
      await logout(page)
    })

    let jinxiangMemberId = null
    await ok('jinxiang_admin (over the API) names a Jinxiang member', async () => {
      const jx = await apiLogin(base, 'jinxiang_admin')
      const list = await jx.get('/members?per_page=1')
      jinxiangMemberId = list.items?.[0]?.id
      expect(jinxiangMemberId, 'Jinxiang has no members in the demo data')
      await jx.logout()
    })

    await ok("gz_branch is refused a Jinxiang member's detail page", async () => {
      await loginOk(page, base, 'gz_branch')
      await page.goto(`${base}/members/${jinxiangMemberId}`)
      const refusal = page.locator('[data-testid=member-error]')
      await refusal.waitFor()
      expect((await refusal.innerText()).includes('无权访问或不存在'), `refusal text: ${await refusal.innerText()}`)
      await shot(page, 'member-refused')
    })

    await ok('my account lists the active sessions', async () => {
      await page.goto(`${base}/account`)
      await page.locator('.el-table__body tr', { hasText: '当前' }).first().waitFor()
      await shot(page, 'account')
    })

    await ok('an expired session sends the user back to the login page', async () => {
      await context.clearCookies()
      await page.locator('.side-menu [data-menu="/members"]').click()
      await page.waitForURL((u) => u.pathname.startsWith('/login'))
      const notice = page.locator('[data-testid=login-notice]')
      await notice.waitFor()
      expect((await notice.innerText()).includes('会话已过期，请重新登录'), `notice: ${await notice.innerText()}`)
      await shot(page, 'login-expired')
      // Signing in again returns to the page that found the session gone.
      await page.locator('input[name=username]').fill('gz_branch')
      await page.locator('input[name=password]').fill(PASSWORD)
      await page.locator('[data-testid=login-submit]').click()
      await page.waitForURL((u) => u.pathname === '/members')
      await page.locator('.el-table__body tr').first().waitFor()
    })

    await ok('phone-sized screens: drawer menu, no page-wide overflow', async () => {
      await page.setViewportSize(PHONE)
      await page.goto(`${base}/overview`)
      await page.locator('[data-testid=org-total]').filter({ hasText: /\d/ }).waitFor()
      await page.locator('.chart-card canvas').first().waitFor()
      expect(!(await page.locator('.aside').isVisible().catch(() => false)), 'sidebar still shown at 390px')
      await noHorizontalOverflow(page)
      await shot(page, 'overview-mobile')
      await page.goto(`${base}/workbench`)
      await page.locator('[data-testid=workbench] .item, [data-testid=workbench-empty]').first().waitFor()
      await noHorizontalOverflow(page)
      await shot(page, 'workbench-mobile')
      await page.goto(`${base}/members`)
      await page.locator('.el-table__body tr').first().waitFor()
      await noHorizontalOverflow(page)
      await shot(page, 'members-mobile')
      await page.locator('.menu-toggle').click()
      await page.locator('.menu-drawer-body .side-menu').waitFor()
      await shot(page, 'menu-mobile')
      await page.locator('.menu-drawer-body [data-menu="/orgs"]').click()
      await page.waitForURL(/\/orgs/)
      await page.locator('[data-testid=org-detail-name]').waitFor()
      await noHorizontalOverflow(page)
      await shot(page, 'orgs-mobile')
      await logout(page)
      await noHorizontalOverflow(page)
      await shot(page, 'login-mobile')
      await page.setViewportSize(DESKTOP)
    })

    const newUser = `e2e_${stamp}`
    await ok('secadmin creates a user and grants a role', async () => {
      await loginOk(page, base, 'secadmin')
      await page.goto(`${base}/users`)
      await page.locator('.el-table__body tr').first().waitFor()
      await shot(page, 'users')
      await page.getByRole('button', { name: '新建用户' }).click()
      const dlg = page.locator('.el-dialog:visible', { hasText: '新建用户' })
      const inputs = dlg.locator('input')
      await inputs.nth(0).fill(newUser)
      await inputs.nth(1).fill('E2E 临时用户')
      await inputs.nth(2).fill('Init@2026!x')
      await dlg.getByRole('button', { name: '创建' }).click()
      await page.waitForURL(/\/users\/\d+$/)
      await page.locator('.page-header h2', { hasText: newUser }).waitFor()
      await page.getByRole('button', { name: '添加授权' }).click()
      const grant = page.locator('.el-dialog:visible', { hasText: '添加授权' })
      await pickOption(page, grant.locator('.el-select'), '党务工作者')
      // The security admin cannot read the tree: the picker searches /org-lookup.
      await grant.locator('[data-testid=org-picker]').click()
      const popper = page.locator('.org-picker-popper:visible')
      await popper.locator('input[data-testid=org-picker-search]').fill('广州')
      await popper.locator('.org-picker-result').first().click()
      await grant.getByRole('button', { name: '授权' }).click()
      await page.locator('.el-table__body tr', { hasText: '党务工作者' }).waitFor()
      await shot(page, 'user-detail')
      await logout(page)
    })

    await ok('a new user must change the password first', async () => {
      await login(page, base, newUser, 'Init@2026!x')
      await page.waitForURL(/\/change-password/)
      await shot(page, 'change-password')
      await page.locator('input[name=old_password]').fill('Init@2026!x')
      await page.locator('input[name=new_password]').fill('Chang3d@2026!')
      await page.locator('input[name=confirm_password]').fill('Chang3d@2026!')
      await page.locator('[data-testid=change-password-submit]').click()
      await page.waitForURL((u) => !u.pathname.startsWith('/change-password'))
      await page.locator('[data-testid=user-menu]').waitFor()
      // The new org admin lands on the workbench; the overview of its organisation is a click away.
      await page.waitForURL(/\/workbench/)
      await page.locator('[data-testid=workbench]').waitFor()
      await page.goto(`${base}/overview`)
      await page.locator('[data-testid=org-total]').filter({ hasText: /\d/ }).waitFor()
      await logout(page)
    })

    await ok('repeated wrong passwords lock the account with minutes left', async () => {
      let message = ''
      for (let i = 0; i < 12 && !message.includes('锁定'); i++) {
        await login(page, base, 'member_demo', `wrong-${i}`)
        const err = page.locator('[data-testid=login-error]')
        await err.waitFor()
        await page.waitForFunction(() => !document.querySelector('[data-testid=login-submit]')?.classList.contains('is-loading'))
        message = await err.innerText()
      }
      expect(/账号已锁定，请 \d+ 分钟后再试/.test(message), `no lockout message, last: ${message}`)
      await shot(page, 'login-locked')
    })

    await step('no uncaught errors or CSP violations in the page', async () => {
      expect(consoleErrors.length === 0, consoleErrors.join('\n'))
    })
  } catch (e) {
    if (!String(e?.message).startsWith('stopped after failed step')) {
      failed++
      console.log(`  ✗ setup: ${e?.stack ?? e}`)
    }
  } finally {
    await context?.close().catch(() => {})
    proxy?.close()
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(profile, { recursive: true, force: true })
    if (failed && serverLog) console.log(`\n--- server output (last 3000 chars) ---\n${serverLog.slice(-3000)}`)
  }
  console.log(`\nscreenshots: ${SHOTS}`)
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main()
