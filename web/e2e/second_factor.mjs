#!/usr/bin/env node
// End-to-end test of 两步验证 (the second factor, TOTP) against a real `honglian serve --demo` started
// with the policy `second_factor = "admins"` (HONGLIAN_SECOND_FACTOR=admins), in Debian's Chromium
// through playwright-core. The system administrator signs in with the password and is sent to the
// enrolment page (nothing else opens until it is done); 开启两步验证 shows the QR code (drawn by the
// server as SVG: decoded here, it is the otpauth URI holding the secret) and the Base32 secret; a code
// computed here as an authenticator app would (RFC 6238, HMAC-SHA-1, 30 s) confirms it and the console
// opens. Signing in again asks for the 动态口令 after the password: a wrong code is refused in Chinese,
// the right one signs in; 我的账户 shows 两步验证 已开启. The security administrator (also asked, also
// enrolled here) opens the system administrator's user page — 两步验证 已开启 — and 重置两步验证
// makes it 未开启; the system administrator's next sign-in is back to the enrolment page. A branch
// worker is not asked. The pages fit a phone's width.
//
//   npm run e2e:second_factor                    (target/debug/honglian with its embedded UI)
//   E2E_SERVE_DIST=1 npm run e2e:second_factor   (this web/dist in front of the binary)
//
// Screenshots land in e2e/screenshots/second-factor-*.png. The last line is "N passed, M failed";
// the exit code is non-zero when anything failed.
import { createHmac } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import jsQR from 'jsqr'
import {
  BIN,
  CHROMIUM,
  CHROMIUM_ARGS,
  DESKTOP,
  PHONE,
  SHOTS,
  TIMEOUT,
  createRunner,
  expect,
  idle,
  login,
  logout,
  noHorizontalOverflow,
  shot,
  startServer,
  watchConsole,
} from './lib-activities.mjs'

const { state, step } = createRunner()
const SHOT = (name) => `second-factor-${name}`

/** RFC 4648 Base32 (no padding) → bytes. */
function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  const out = []
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    const i = alphabet.indexOf(ch)
    if (i < 0) throw new Error(`not Base32: ${ch}`)
    value = (value << 5) | i
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

/** The 6-digit TOTP (RFC 6238, HMAC-SHA-1, 30 s) of a Base32 secret, `steps` windows from now. */
export function totp(secret, steps = 0, now = Date.now()) {
  const counter = Math.floor(now / 1000 / 30) + steps
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(counter))
  const h = createHmac('sha1', base32(secret)).update(msg).digest()
  const off = h[h.length - 1] & 0x0f
  return String((h.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

/** Decodes the QR code image shown on the page (drawn into a canvas there, read here). */
async function readQr(page, selector) {
  const img = await page.locator(selector).evaluate(async (el) => {
    await el.decode?.()
    const c = document.createElement('canvas')
    c.width = el.naturalWidth || el.width
    c.height = el.naturalHeight || el.height
    const g = c.getContext('2d')
    g.fillStyle = '#fff'
    g.fillRect(0, 0, c.width, c.height)
    g.drawImage(el, 0, 0, c.width, c.height)
    const d = g.getImageData(0, 0, c.width, c.height)
    return { w: d.width, h: d.height, data: Array.from(d.data) }
  })
  return jsQR(Uint8ClampedArray.from(img.data), img.w, img.h)?.data ?? null
}

/** On the enrolment card: 开启两步验证, check what is shown, confirm with the current code. Returns the secret. */
async function enrolOnCard(page, username, shotName) {
  await page.locator('[data-testid=second-factor-start]').click()
  const secretEl = page.locator('[data-testid=second-factor-secret]')
  await secretEl.waitFor()
  const grouped = (await secretEl.innerText()).trim()
  expect(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/.test(grouped), `the secret in groups of four: ${grouped}`)
  const secret = grouped.replace(/\s+/g, '')
  const uri = await readQr(page, '[data-testid=second-factor-qr]')
  expect(uri && uri.startsWith('otpauth://totp/') && uri.includes(`secret=${secret}`) && uri.includes(username), `the QR code holds the otpauth URI: ${uri}`)
  if (shotName) {
    await shot(page, SHOT(shotName))
    await page.locator('[data-testid=second-factor-card]').screenshot({ path: join(SHOTS, `${SHOT(shotName)}-card.png`) })
  }
  // A wrong code first: refused under the field, in Chinese.
  const valid = [-1, 0, 1].map((s) => totp(secret, s))
  const wrong = ['000000', '111111', '222222'].find((c) => !valid.includes(c))
  await page.locator('input[name=second-factor-code]').fill(wrong)
  await page.locator('[data-testid=second-factor-confirm]').click()
  await page.locator('.el-form-item__error', { hasText: '动态口令不正确' }).waitFor()
  await page.locator('input[name=second-factor-code]').fill(totp(secret))
  await page.locator('[data-testid=second-factor-confirm]').click()
  return secret
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-second-factor-'))
  process.env.HONGLIAN_SECOND_FACTOR = 'admins'
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const base = server.base
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    let current = page
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await current.screenshot({ path: join(SHOTS, `second-factor-failure-${name.replace(/[^\w一-龥]+/g, '_').slice(0, 60)}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    let sysSecret = ''

    await ok('under second_factor = "admins", the system administrator is sent to 两步验证 after the password; nothing else opens', async () => {
      await login(page, base, 'sysadmin')
      await page.waitForURL((u) => u.pathname === '/second-factor-setup')
      await page.locator('[data-testid=second-factor-start]').waitFor()
      const text = await page.locator('.auth-card').innerText()
      expect(text.includes('按安全策略') && text.includes('两步验证') && text.includes('未开启'), text)
      await shot(page, SHOT('setup-required'))
      await page.goto(`${base}/workbench`)
      await page.waitForURL((u) => u.pathname === '/second-factor-setup')
      const api = await page.evaluate(async () => (await fetch('/api/v1/workbench')).json())
      expect(api.code === 'second_factor_required_setup' && api.title.includes('两步验证'), JSON.stringify(api))
    })

    await ok('开启两步验证 shows the QR code (the otpauth URI) and the Base32 secret; a wrong code is refused, the current one turns it on and the console opens', async () => {
      sysSecret = await enrolOnCard(page, 'sysadmin', 'enrol')
      await page.waitForURL((u) => u.pathname !== '/second-factor-setup')
      await page.locator('[data-testid=user-menu]').waitFor()
      await idle(page)
    })

    await ok('signing in again asks for the 动态口令 after the password; a wrong code is refused, the next one signs in', async () => {
      await logout(page)
      await login(page, base, 'sysadmin')
      const otp = page.locator('input[name=otp]')
      await otp.waitFor()
      expect((await otp.getAttribute('autocomplete')) === 'one-time-code', 'autocomplete=one-time-code')
      expect((await otp.getAttribute('inputmode')) === 'numeric', 'inputmode=numeric')
      expect(await otp.evaluate((el) => el === document.activeElement), 'the code field has the focus')
      const card = await page.locator('.auth-card').innerText()
      expect(card.includes('该账号已开启两步验证') && card.includes('sysadmin') && card.includes('验证并登录'), card)
      expect(!(await page.locator('[data-testid=login-error]').isVisible()), 'the first ask is not an error')
      await shot(page, SHOT('login-otp'))
      const valid = [-1, 0, 1, 2].map((s) => totp(sysSecret, s))
      await otp.fill(['000000', '111111', '222222'].find((c) => !valid.includes(c)))
      await page.locator('[data-testid=login-submit]').click()
      const err = page.locator('[data-testid=login-error]')
      await err.waitFor()
      expect((await err.innerText()).includes('动态口令错误或已使用'), await err.innerText())
      await shot(page, SHOT('login-otp-wrong'))
      // The current window's code was spent confirming: the next one (an app shows it within 30 s).
      await otp.fill(totp(sysSecret, 1))
      await page.locator('[data-testid=login-submit]').click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))
      await page.locator('[data-testid=user-menu]').waitFor()
    })

    await ok('我的账户 shows 两步验证 已开启 with 关闭两步验证', async () => {
      await page.goto(`${base}/account`)
      const card = page.locator('[data-testid=second-factor-card]')
      await card.locator('[data-testid=second-factor-disable]').waitFor()
      expect((await card.locator('[data-testid=second-factor-state]').innerText()).trim() === '已开启', await card.innerText())
      await idle(page)
      await card.evaluate((el) => el.scrollIntoView({ block: 'center' }))
      await shot(page, SHOT('account-enabled'))
      await logout(page)
    })

    await ok('the security administrator, asked too, sets it up; the system administrator\'s page says 已开启 and 重置两步验证 makes it 未开启', async () => {
      await login(page, base, 'secadmin')
      await page.waitForURL((u) => u.pathname === '/second-factor-setup')
      await page.locator('[data-testid=second-factor-start]').waitFor()
      await enrolOnCard(page, 'secadmin', null)
      await page.waitForURL((u) => u.pathname !== '/second-factor-setup')
      await page.locator('[data-testid=user-menu]').waitFor()
      const found = await page.evaluate(async () => (await fetch('/api/v1/users?q=sysadmin')).json())
      const sys = found.items.find((u) => u.username === 'sysadmin')
      expect(sys, JSON.stringify(found))
      await page.goto(`${base}/users/${sys.id}`)
      const tag = page.locator('[data-testid=user-second-factor]')
      await tag.waitFor()
      expect((await tag.innerText()).trim() === '已开启', await tag.innerText())
      await idle(page)
      await shot(page, SHOT('user-detail'))
      await page.locator('[data-testid=reset-second-factor]').click()
      const box = page.locator('.el-message-box')
      await box.waitFor()
      expect((await box.innerText()).includes('sysadmin'), await box.innerText())
      await box.locator('.el-button--primary').click()
      await page.waitForFunction(() => document.querySelector('[data-testid=user-second-factor]')?.textContent.trim() === '未开启')
      await page.locator('[data-testid=reset-second-factor]').waitFor({ state: 'detached' })
      await logout(page)
    })

    await ok('after the reset the system administrator signs in with the password alone and is sent to set up a new one', async () => {
      await login(page, base, 'sysadmin')
      await page.waitForURL((u) => u.pathname === '/second-factor-setup')
      await page.locator('.auth-card').getByText('退出登录').click()
      await page.waitForURL((u) => u.pathname.startsWith('/login'))
    })

    await ok('a branch worker is not asked: the console opens, 我的账户 offers 开启两步验证', async () => {
      await login(page, base, 'gz_branch')
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))
      await page.locator('[data-testid=user-menu]').waitFor()
      await page.goto(`${base}/account`)
      const card = page.locator('[data-testid=second-factor-card]')
      await card.locator('[data-testid=second-factor-start]').waitFor()
      expect((await card.locator('[data-testid=second-factor-state]').innerText()).trim() === '未开启', await card.innerText())
      expect(!(await card.innerText()).includes('按安全策略'), 'not required of a branch worker')
      await card.locator('[data-testid=second-factor-start]').click()
      await card.locator('[data-testid=second-factor-secret]').waitFor()
      await idle(page)
      await card.screenshot({ path: join(SHOTS, `${SHOT('account-enrol-card')}.png`) })
      await card.getByRole('button', { name: '取消' }).click()
      await card.locator('[data-testid=second-factor-start]').waitFor()
      await logout(page)
    })

    await ok('on a phone-sized screen the 动态口令 step and the enrolment fit the width', async () => {
      const small = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      small.setDefaultTimeout(TIMEOUT)
      const p = await small.newPage()
      current = p
      watchConsole(p, consoleErrors)
      await login(p, base, 'secadmin')
      await p.locator('input[name=otp]').waitFor()
      await noHorizontalOverflow(p)
      await shot(p, SHOT('phone-login-otp'))
      await p.locator('[data-testid=otp-back]').click()
      await login(p, base, 'wuchuan_admin')
      await p.waitForURL((u) => u.pathname === '/second-factor-setup')
      await p.locator('[data-testid=second-factor-start]').click()
      await p.locator('[data-testid=second-factor-secret]').waitFor()
      await noHorizontalOverflow(p)
      await shot(p, SHOT('phone-enrol'))
      await small.close()
      current = page
    })

    await step('no uncaught errors or CSP violations in the pages', async () => {
      expect(consoleErrors.length === 0, consoleErrors.join('\n'))
    })
  } catch (e) {
    if (!String(e?.message).startsWith('stopped after failed step')) {
      state.failed++
      console.log(`  ✗ setup: ${e?.stack ?? e}`)
    }
  } finally {
    await browser?.close().catch(() => {})
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
    if (state.failed && server) console.log(`\n--- server output (last 3000 chars) ---\n${server.log().slice(-3000)}`)
  }
  console.log(`\nscreenshots: ${SHOTS}`)
  console.log(`${state.passed} passed, ${state.failed} failed`)
  process.exit(state.failed ? 1 : 0)
}

main()
