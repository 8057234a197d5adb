#!/usr/bin/env node
// End-to-end test of 个人信息处理规则 and 删除个人信息 (PIPL) against a real `honglian serve --demo` on a
// fresh data dir, in Chromium: the login page's footer opens the notice in the console without signing
// in (the configured controller and retention period); on a phone (390×844) the notice opens without
// signing in, from the invitation page (opening an invitation records the version shown, with nothing to
// tick), and from 我的; the first hourly round has erased the demo's
// member who died longer ago than the period (its page reads 已删除, the audit log has the system
// event); the county erases the personal fields of the member who died last month from their page,
// with a reason (refused without one).
//
//   npm run e2e:privacy                      (target/debug/honglian with its embedded UI)
//   E2E_SERVE_DIST=1 npm run e2e:privacy     (this web/dist in front of the binary)
//
// Screenshots land in e2e/screenshots/privacy-*.png. The last line is "N passed, M failed".
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import {
  BIN,
  CHROMIUM,
  CHROMIUM_ARGS,
  DESKTOP,
  PASSWORD,
  PHONE,
  SHOTS,
  TIMEOUT,
  apiLogin,
  createRunner,
  expect,
  idle,
  loginOk,
  noHorizontalOverflow,
  shot,
  sleep,
  startServer,
  watchConsole,
} from './lib-activities.mjs'

const { state, step } = createRunner()
const SHOT = (name) => `privacy-${name}`

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-privacy-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const { base } = server
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)

    // The demo's departed members: the one who died longer ago than the period is erased by the first
    // hourly round (5 s after the start); the one who died last month is not.
    const county = await apiLogin(base, 'wuchuan_admin')
    const dead = async () => (await county.get('/members?status=deceased&per_page=100')).items
    let erased = null
    for (let i = 0; i < 60 && !erased; i++) {
      erased = (await dead()).find((m) => m.personal_erased_at)
      if (!erased) await sleep(500)
    }
    expect(erased, 'the first hourly round erased the demo member who died longer ago than the period')
    const recent = (await dead())
      .filter((m) => !m.personal_erased_at && m.left_on)
      .sort((a, b) => a.left_on.localeCompare(b.left_on))[0]
    expect(recent && recent.personal_erase_due, 'a member who died recently, not yet erased')
    const notice = await (await fetch(`${base}/api/v1/privacy-notice`)).json()

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const newContext = async (viewport, extra = {}) => {
      const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...extra })
      ctx.setDefaultTimeout(TIMEOUT)
      return ctx
    }
    const consoleErrors = []
    const desk = await (await newContext(DESKTOP)).newPage()
    watchConsole(desk, consoleErrors)
    const phone = await (await newContext(PHONE, { isMobile: true, hasTouch: true })).newPage()
    watchConsole(phone, consoleErrors)
    let current = desk
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await current.screenshot({ path: join(SHOTS, `privacy-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }

    await ok('the login page links to the notice, which opens without signing in', async () => {
      await desk.goto(`${base}/login`)
      const link = desk.locator('[data-testid=login-privacy-link]')
      await link.waitFor()
      await shot(desk, SHOT('login-footer'))
      await link.click()
      await desk.waitForURL((u) => u.pathname === '/privacy')
      const body = desk.locator('[data-testid=privacy-notice]')
      await body.waitFor()
      const text = await body.innerText()
      for (const needle of [notice.controller, `离开满 ${notice.retention_years} 年后`, '第十三条第一款第三项', '下载本人个人信息副本', '申请提前删除']) {
        expect(text.includes(needle), `the notice says ${needle}`)
      }
      expect((await desk.locator('[data-testid=privacy-version]').innerText()).includes(notice.version), 'the version')
      await noHorizontalOverflow(desk)
      await shot(desk, SHOT('console'))
      await desk.locator('[data-testid=privacy-back]').click()
      await desk.waitForURL((u) => u.pathname === '/login')
    })

    await ok('on a phone the notice opens without signing in, and from the invitation page', async () => {
      current = phone
      await phone.goto(`${base}/m/privacy`)
      await phone.locator('[data-testid=privacy-notice]').waitFor()
      expect((await phone.locator('[data-testid=privacy-controller]').innerText()) === notice.controller, 'the controller')
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('portal'))
      await phone.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
      await shot(phone, SHOT('portal-end'))
      await phone.goto(`${base}/m/activate`)
      await phone.locator('[data-testid=activate-privacy]').click()
      await phone.waitForURL((u) => u.pathname === '/m/privacy')
      await phone.locator('[data-testid=privacy-notice]').waitFor()
      current = desk
    })

    await ok(`the first hourly round erased ${erased.name}: the record stays, its personal fields read 已删除`, async () => {
      await loginOk(desk, base, 'wuchuan_admin')
      await desk.goto(`${base}/members/${erased.id}`)
      await desk.locator('[data-testid=erased-id_number]').waitFor()
      await idle(desk)
      expect((await desk.locator('[data-testid=erased-phone]').count()) === 1, 'the phone reads 已删除')
      expect((await desk.locator('[data-testid=member-retention]').innerText()).includes('个人信息已于'), 'when it was erased')
      expect((await desk.locator('[data-testid=member-erase]').count()) === 0, 'nothing more to erase')
      expect((await desk.locator('[data-testid=unmask-button]').count()) === 0, 'nothing to unmask')
      await shot(desk, SHOT('erased-by-retention'))
      const auditor = await apiLogin(base, 'auditor')
      const ev = (await auditor.get('/audit-events?action=member.erase_personal')).items
      expect(ev.some((e) => e.actor_name === 'system' && e.detail.basis === 'retention' && e.detail.members.includes(erased.id)), JSON.stringify(ev))
      await auditor.logout()
    })

    await ok(`the county erases ${recent.name}'s personal fields on request, with a reason`, async () => {
      await desk.goto(`${base}/members/${recent.id}`)
      const button = desk.locator('[data-testid=member-erase]')
      await button.waitFor()
      await idle(desk)
      expect((await desk.locator('[data-testid=member-retention]').innerText()).includes(`将于 ${recent.personal_erase_due} 自动删除`), 'the day the period ends')
      await shot(desk, SHOT('departed-member'))
      await button.click()
      const dlg = desk.locator('[data-testid=erase-dialog]')
      await dlg.locator('textarea[data-testid=erase-reason]').waitFor()
      await dlg.locator('[data-testid=erase-confirm]').click()
      await dlg.locator('.el-form-item__error').waitFor()
      expect((await dlg.locator('.el-form-item__error').innerText()).includes('删除原因'), 'a reason is required')
      await dlg.locator('textarea[data-testid=erase-reason]').fill('家属申请删除个人信息')
      await shot(desk, SHOT('erase-dialog'))
      await dlg.locator('[data-testid=erase-confirm]').click()
      await desk.locator('[data-testid=erased-id_number]').waitFor()
      expect((await desk.locator('[data-testid=erased-address]').count()) === 1, 'the address reads 已删除')
      expect((await desk.locator('[data-testid=member-erase]').count()) === 0, 'the action is gone')
      await desk.waitForTimeout(3500) // the success message fades
      await shot(desk, SHOT('erased-on-request'))
      const after = await county.get(`/members/${recent.id}`)
      expect(after.personal_erased_at && after.id_number === '已删除', JSON.stringify(after))
    })

    await ok('opening an invitation points to the notice (no box to tick) and records the version shown', async () => {
      current = phone
      const members = (await county.get('/members?org=3&status=normal&per_page=50')).items.filter((x) => !x.away)
      let invitation = null
      let invitee = null
      for (const x of members) {
        const r = await county.post('/invitations', { member_ids: [x.id] })
        if (r.items?.[0]?.code) {
          invitation = r.items[0]
          invitee = x
          break
        }
      }
      expect(invitation, 'an invitation for a member of the 广州 branch')
      const idTail = (await county.post(`/members/${invitee.id}/unmask`, { reason: '端到端测试：核对邀请开通' })).id_number.slice(-6)
      await phone.goto(`${base}/m/activate#code=${encodeURIComponent(invitation.code)}`)
      const form = phone.locator('[data-testid=activate-form]')
      await form.waitFor()
      const line = phone.locator('[data-testid=activate-notice]')
      await line.waitFor()
      expect((await form.locator('input[type=checkbox], .van-checkbox').count()) === 0, 'nothing to tick')
      await form.locator('input[name=id_tail]').fill(idTail)
      await form.locator('input[name=username]').fill('privacy_e2e')
      await form.locator('input[name=password]').fill(PASSWORD)
      await form.locator('input[name=again]').fill(PASSWORD)
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('activate'))
      await phone.locator('[data-testid=activate-notice-link]').click()
      const popup = phone.locator('[data-testid=activate-notice-popup] [data-testid=privacy-notice]')
      await popup.waitFor()
      await shot(phone, SHOT('activate-notice'))
      await phone.locator('.van-popup__close-icon').click()
      await popup.waitFor({ state: 'hidden' })
      await form.locator('button[type=submit]').click()
      await phone.waitForURL((u) => u.pathname === '/m/me')
      const auditor = await apiLogin(base, 'auditor')
      const ev = (await auditor.get('/audit-events?action=privacy_notice.shown')).items
      expect(ev.some((e) => e.actor_name === 'privacy_e2e' && e.detail.version === notice.version && e.detail.occasion === 'activation'), JSON.stringify(ev))
      await auditor.logout()
      await phone.context().clearCookies()
      current = desk
    })

    await ok('a member opens the notice from 我的 on the phone', async () => {
      current = phone
      await phone.goto(`${base}/m/login`)
      await phone.locator('[data-testid=portal-login] input[name=username]').fill('member_demo')
      await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
      await phone.locator('[data-testid=portal-login] button[type=submit]').click()
      await phone.waitForURL((u) => u.pathname.startsWith('/m/') && u.pathname !== '/m/login')
      await phone.goto(`${base}/m/me`)
      const cell = phone.locator('[data-testid=me-privacy]')
      await cell.scrollIntoViewIfNeeded()
      await shot(phone, SHOT('portal-me'))
      await cell.click()
      await phone.waitForURL((u) => u.pathname === '/m/privacy')
      await phone.locator('[data-testid=privacy-notice]').waitFor()
      await noHorizontalOverflow(phone)
      current = desk
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
