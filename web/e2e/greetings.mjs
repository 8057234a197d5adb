#!/usr/bin/env node
// End-to-end test of 节日问候 and 消息推送 against a real `honglian serve --demo` on a fresh data dir, in
// Debian's Chromium through playwright-core: wuchuan_admin finds the demo's Mid-Autumn greeting with
// its figures, writes a National Day greeting from the county (中共吴川市委员会) after seeing whom it
// reaches, and watches the worker deliver it; 消息推送 lists the deliveries. member_demo (a Wuchuan
// member away in 广州) finds it on the phone at 390×844 under 通知 → 消息 and opens it, then sets quiet
// hours 22:00–07:00 under 我的 → 消息设置, which survive a reload; the console counts the read.
//
//   npm run e2e:greetings        (target/debug/honglian with its embedded UI)
//
// Screenshots land in e2e/screenshots/greetings-*.png. The last line is "N passed, M failed"; the
// exit code is non-zero when anything failed.
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
const SHOT = (name) => `greetings-${name}`
const TITLE = '国庆佳节，组织惦记在外的您'
const BODY = '在外务工经商的党员同志们：\n\n国庆佳节，祝您和家人节日快乐、平安顺遂。在外遇到困难，随时联系党支部，组织就是您的家。'

/** The number in a figure of a greeting card. */
async function figure(card, testid) {
  return Number((await card.locator(`[data-testid=${testid}]`).first().innerText()).replace(/[^\d]/g, ''))
}

/** Clicks 刷新 until `done(card)` holds (the worker delivers every 2 seconds). */
async function refreshUntil(page, card, done, what, ms = 40_000) {
  const until = Date.now() + ms
  for (;;) {
    if (await done(card).catch(() => false)) return
    if (Date.now() > until) throw new Error(`${what}: not within ${ms / 1000}s`)
    await sleep(1500)
    await page.locator('[data-testid=greeting-refresh]').click()
    await idle(page)
  }
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-greetings-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const { base } = server
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const phoneCtx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    phoneCtx.setDefaultTimeout(TIMEOUT)
    const phone = await phoneCtx.newPage()
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    watchConsole(phone, consoleErrors)
    const failShots = async (name) => {
      const safe = name.replace(/[^\w一-龥]+/g, '_')
      await page.screenshot({ path: join(SHOTS, `greetings-failure-${safe}.png`) }).catch(() => {})
      await phone.screenshot({ path: join(SHOTS, `greetings-failure-phone-${safe}.png`) }).catch(() => {})
    }
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await failShots(name)
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    const newCard = page.locator('[data-testid=greeting-card]', { hasText: TITLE })

    await ok('wuchuan_admin finds 节日问候 and 消息推送 in the menu', async () => {
      await loginOk(page, base, 'wuchuan_admin')
      const menu = await page.locator('.side-menu').innerText()
      expect(menu.includes('节日问候') && menu.includes('消息推送'), `menu: ${menu}`)
      await page.goto(`${base}/portal/greetings`)
      await page.locator('[data-testid=greeting-list]').waitFor()
      await idle(page)
    })

    // The demo's greeting is delivered by the worker after start-up: wait for it rather than fail at once.
    const demoOk = await step('the demo’s Mid-Autumn greeting shows its figures (已送达 > 0)', async () => {
      const card = page.locator('[data-testid=greeting-card][data-occasion=中秋节]').first()
      const until = Date.now() + 30_000
      while (!(await card.count())) {
        if (Date.now() > until) throw new Error(`no 中秋节 greeting in the demo: ${await page.locator('[data-testid=greeting-list]').innerText()}`)
        await sleep(1500)
        await page.locator('[data-testid=greeting-refresh]').click()
        await idle(page)
      }
      await refreshUntil(page, card, async (c) => (await figure(c, 'greeting-sent')) > 0, '中秋节 站内已送达')
      const targeted = await figure(card, 'greeting-targeted')
      expect(targeted > 0, `targeted ${targeted}`)
      await card.locator('[data-testid=greeting-chart] canvas').waitFor()
      await idle(page)
      await shot(page, SHOT('console-list'))
    })
    if (!demoOk) await failShots('demo')

    await ok('a National Day greeting from the county: the reach line, then 发送', async () => {
      await page.locator('[data-testid=greeting-new]').click()
      const dlg = page.locator('[data-testid=greeting-form]')
      await dlg.locator('[data-testid=org-picker]').first().click()
      const popper = page.locator('.org-picker-popper:visible')
      await popper.locator('input[data-testid=org-picker-search]').fill('吴川市委员会')
      await popper.locator('.org-picker-result', { hasText: '中共吴川市委员会' }).first().click()
      const reach = dlg.locator('[data-testid=greeting-reach]')
      await reach.filter({ hasText: '将发给' }).waitFor()
      const line = await reach.innerText()
      expect(/将发给 [\d,]+ 名外出党员（其中 [\d,]+ 名已开通账号，可收到站内消息；其余请电话问候）/.test(line), line)
      await dlg.locator('[data-testid=greeting-occasion]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '国庆节' }).click()
      await dlg.locator('input[data-testid=greeting-title]').fill(TITLE)
      await dlg.locator('textarea[data-testid=greeting-body]').fill(BODY)
      await shot(page, SHOT('console-form'))
      await dlg.locator('[data-testid=greeting-send]').click()
      await dlg.waitFor({ state: 'hidden' })
      await newCard.waitFor()
      expect((await newCard.getAttribute('data-occasion')) === '国庆节', 'occasion 国庆节')
    })

    await ok('the worker delivers it: 站内已送达 > 0', async () => {
      await refreshUntil(page, newCard, async (c) => (await figure(c, 'greeting-sent')) > 0, '国庆节 站内已送达')
      const text = await newCard.innerText()
      expect(text.includes('中共吴川市委员会') && text.includes('未开通账号'), text)
      await idle(page)
      await shot(page, SHOT('console-sent'))
      // Failures link to the deliveries that were given up (the demo has no mail server: emails fail).
      const dead = newCard.locator('a[data-testid=greeting-dead]')
      if (await dead.count()) {
        await dead.click()
        await page.waitForURL((u) => u.pathname === '/delivery' && u.searchParams.get('status') === 'dead')
        const rows = page.locator('[data-testid=outbox-table] .el-table__row')
        await rows.first().waitFor()
        const all = await rows.allInnerTexts()
        expect(all.every((r) => r.includes('投递失败') && r.includes('重新发送')), `dead rows: ${all.slice(0, 3).join(' | ')}`)
        await idle(page)
        await shot(page, SHOT('console-failed'))
        await page.goBack()
        await newCard.waitFor()
      }
    })

    await ok('消息推送: the deliveries and the robots (off in this deployment)', async () => {
      await page.locator('.side-menu').getByText('消息推送', { exact: true }).click()
      await page.waitForURL((u) => u.pathname === '/delivery')
      await page.locator('[data-testid=robots-disabled]').waitFor()
      const alert = await page.locator('[data-testid=robots-disabled]').innerText()
      expect(alert.includes('[notify] webhooks = true'), alert)
      expect(await page.locator('[data-testid=robot-save]').isDisabled(), 'the create form is disabled')
      await idle(page)
      await shot(page, SHOT('console-robots'))
      await page.locator('[data-testid=delivery-tabs] .el-tabs__item', { hasText: '投递记录' }).click()
      const rows = page.locator('[data-testid=outbox-table] .el-table__row')
      await rows.first().waitFor()
      const all = await rows.allInnerTexts()
      expect(all.some((r) => r.includes(TITLE) && r.includes('已送达')), `rows: ${all.slice(0, 5).join(' | ')}`)
      const sent = Number((await page.locator('[data-testid=outbox-count-sent]').innerText()).replace(/[^\d]/g, ''))
      expect(sent > 0, `已送达 ${sent}`)
      await idle(page)
      await shot(page, SHOT('console-delivery'))
    })

    await ok('member_demo reads it on the phone under 通知 → 消息', async () => {
      await phone.goto(`${base}/m/login`)
      await phone.locator('[data-testid=portal-login] input[name=username]').fill('member_demo')
      await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
      await phone.locator('[data-testid=portal-login] button[type=submit]').click()
      await phone.waitForURL((u) => u.pathname === '/m/life')
      await phone.locator('[data-testid=tab-bulletins] .van-badge--dot').waitFor()
      await phone.locator('[data-testid=tab-bulletins]').click()
      await phone.waitForURL((u) => u.pathname === '/m/bulletins')
      await phone.locator('[data-testid=portal-tab-messages]').click()
      const card = phone.locator('[data-testid=portal-message]', { hasText: TITLE })
      await card.waitFor()
      expect((await card.getAttribute('data-read')) === 'false', 'unread at first')
      expect((await card.innerText()).includes('节日问候'), 'the 节日问候 tag')
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('portal-messages'))
      await card.click()
      const detail = phone.locator('[data-testid=portal-message-detail]')
      await detail.locator('[data-testid=portal-message-body]').waitFor()
      expect((await detail.innerText()).includes('国庆佳节，祝您和家人节日快乐'), await detail.innerText())
      await phone.waitForFunction((t) => [...document.querySelectorAll('[data-testid=portal-message]')].some((e) => e.textContent.includes(t) && e.dataset.read === 'true'), TITLE)
      await shot(phone, SHOT('portal-message'))
      await detail.locator('.van-popup__close-icon').click()
      await detail.waitFor({ state: 'hidden' })
      await phone.reload()
      await phone.locator('[data-testid=portal-message]', { hasText: TITLE }).waitFor()
      expect((await phone.locator('[data-testid=portal-message]', { hasText: TITLE }).getAttribute('data-read')) === 'true', 'still read after a reload')
    })

    await ok('我的 → 消息设置: quiet hours 22:00–07:00 are kept', async () => {
      await phone.locator('.van-tabbar-item', { hasText: '我的' }).click()
      await phone.waitForURL((u) => u.pathname === '/m/me')
      await phone.locator('[data-testid=me-notify-settings]').scrollIntoViewIfNeeded()
      await shot(phone, SHOT('portal-me'))
      await phone.locator('[data-testid=me-notify-settings]').click()
      await phone.waitForURL((u) => u.pathname === '/m/notify-settings')
      await phone.locator('[data-testid=prefs-note]').waitFor()
      const note = await phone.locator('[data-testid=prefs-note]').innerText()
      expect(note.includes('站内消息随时送达，不受免打扰影响；邮件在免打扰时段结束后发出。'), note)
      expect(await phone.locator('[data-testid=prefs-email-on] .van-switch--disabled').count(), 'no mail server: the switch is off')
      await phone.locator('[data-testid=prefs-quiet-switch]').click()
      const pickTime = async (cell, hh, mm) => {
        await phone.locator(`[data-testid=${cell}]`).click()
        const popup = phone.locator('[data-testid=prefs-time-popup]')
        await popup.locator('.van-picker').waitFor()
        const cols = popup.locator('.van-picker-column')
        await cols.nth(0).locator('.van-picker-column__item', { hasText: new RegExp(`^${hh}$`) }).click()
        await cols.nth(1).locator('.van-picker-column__item', { hasText: new RegExp(`^${mm}$`) }).click()
        await phone.waitForTimeout(500)
        await popup.locator('.van-picker__confirm').click()
        await popup.waitFor({ state: 'hidden' })
      }
      await pickTime('prefs-quiet-start', '22', '00')
      await pickTime('prefs-quiet-end', '07', '00')
      const label = await phone.locator('[data-testid=prefs-quiet]').innerText()
      expect(label.includes('22:00 至次日 07:00'), label)
      await phone.locator('[data-testid=prefs-save]').click()
      await phone.locator('.van-toast', { hasText: '已保存' }).waitFor()
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('portal-settings'))
      await phone.reload()
      await phone.locator('[data-testid=prefs-quiet]', { hasText: '22:00 至次日 07:00' }).waitFor()
      expect((await phone.locator('[data-testid=prefs-quiet-start]').innerText()).includes('22:00'), 'start kept')
      expect((await phone.locator('[data-testid=prefs-quiet-end]').innerText()).includes('07:00'), 'end kept')
    })

    await ok('back in the console the greeting counts 已读 ≥ 1 (a count, no names)', async () => {
      await page.goto(`${base}/portal/greetings`)
      await newCard.waitFor()
      await refreshUntil(page, newCard, async (c) => (await figure(c, 'greeting-read')) >= 1, '国庆节 已读', 15_000)
      const text = await newCard.innerText()
      expect(!text.includes('林志远'), `no names: ${text}`)
      await idle(page)
      await newCard.scrollIntoViewIfNeeded()
      await shot(page, SHOT('console-read'))
    })

    await ok('the console’s account page has the same 消息设置', async () => {
      await page.goto(`${base}/account`)
      const card = page.locator('[data-testid=notify-prefs]')
      await card.waitFor()
      await idle(page)
      const text = await card.innerText()
      expect(text.includes('本系统尚未配置邮件服务器') && text.includes('免打扰时段'), text)
      await card.scrollIntoViewIfNeeded()
      await shot(page, SHOT('console-account'))
    })

    await step('no uncaught errors or CSP violations in the pages', async () => {
      expect(consoleErrors.length === 0, consoleErrors.join('\n'))
    })
    await phoneCtx.close()
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
