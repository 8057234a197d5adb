#!/usr/bin/env node
// End-to-end test of 诉求与建议 and 送政策送服务送温暖 against a real `honglian serve --demo` on a fresh
// data dir, in Debian's Chromium through playwright-core: a member in Guangzhou submits a need on the
// phone, the county's service team sees the suggested matches with their reasons and accepts one, the
// member reads the answer in the thread; Jinxiang's outreach visits and their chart by month.
//
//   npm run e2e:needs        (target/debug/honglian with its embedded UI)
//
// Screenshots land in e2e/screenshots/needs-*.png. The last line is "N passed, M failed"; the exit
// code is non-zero when anything failed.
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
  logout,
  noHorizontalOverflow,
  shot,
  startServer,
  watchConsole,
} from './lib-activities.mjs'

const { state, step } = createRunner()
const SHOT = (name) => `needs-${name}`
const TITLE = '回乡创业担保贷款咨询'

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-needs-'))
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
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        const safe = name.replace(/[^\w一-龥]+/g, '_')
        await page.screenshot({ path: join(SHOTS, `needs-failure-${safe}.png`) }).catch(() => {})
        await phone.screenshot({ path: join(SHOTS, `needs-failure-phone-${safe}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }

    await ok('a member submits a need on the phone from 我的', async () => {
      await phone.goto(`${base}/m/login`)
      await phone.locator('[data-testid=portal-login] input[name=username]').fill('member_demo')
      await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
      await phone.locator('[data-testid=portal-login] button[type=submit]').click()
      await phone.waitForURL((u) => u.pathname === '/m/life')
      await phone.locator('[data-testid=portal-tabs] .van-tabbar-item', { hasText: '我的' }).click()
      await phone.locator('[data-testid=me-needs]').click()
      await phone.waitForURL((u) => u.pathname === '/m/needs')
      await phone.locator('[data-testid=portal-need]').first().waitFor()
      const demo = await phone.locator('[data-testid=portal-need]').allInnerTexts()
      expect(demo.some((t) => t.includes('技能提升补贴')), `the demo's need: ${demo}`)
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('portal-list'))
      await phone.locator('[data-testid=need-new]').click()
      await phone.locator('[data-testid=need-title] input').fill(TITLE)
      await phone.locator('[data-testid=need-description] textarea').fill('我在广州务工，打算回吴川开网店，想了解返乡创业担保贷款和贴息怎么申请。')
      await phone.locator('[data-testid=need-tags] .van-tag', { hasText: '融资' }).click()
      await shot(phone, SHOT('portal-form'))
      await phone.locator('[data-testid=need-submit]').click()
      await phone.locator('[data-testid=need-detail] [data-testid=need-thread]').waitFor()
      const text = await phone.locator('[data-testid=need-detail]').innerText()
      expect(text.includes(TITLE) && text.includes('待对接'), text)
      await shot(phone, SHOT('portal-submitted'))
    })

    await ok('the county sees the suggestions with their reasons and accepts the loan policy', async () => {
      await loginOk(page, base, 'wuchuan_admin')
      const menu = await page.locator('.side-menu').innerText()
      for (const t of ['诉求与建议', '送政策送服务送温暖']) expect(menu.includes(t), `menu lacks ${t}: ${menu}`)
      await page.goto(`${base}/services/needs`)
      const row = page.locator('[data-testid=need-table] .el-table__row', { hasText: TITLE })
      await row.waitFor()
      await row.click()
      const drawer = page.locator('[data-testid=need-drawer]')
      await drawer.locator('[data-testid=need-suggestions]').waitFor()
      const card = drawer.locator('[data-testid=need-suggestions] .suggestion', { hasText: '返乡创业担保贷款及贴息实施办法' })
      await card.waitFor()
      const reason = await card.innerText()
      expect(reason.includes('“贷款”'), `the reason names the word: ${reason}`)
      await idle(page)
      await shot(page, SHOT('console-suggestions'))
      await drawer.locator('[data-testid=need-reply]').fill('请将身份证复印件交商会党支部，由支部代为申请。')
      await drawer.locator('[data-testid=need-send]').click()
      await drawer.locator('[data-testid=need-thread]', { hasText: '请将身份证复印件' }).waitFor()
      await card.locator('[data-testid=need-accept]').click()
      await drawer.locator('[data-testid=need-drawer-status]', { hasText: '已对接' }).waitFor()
      await drawer.locator('[data-testid=need-match]').waitFor()
      await idle(page)
      await shot(page, SHOT('console-accepted'))
    })

    await ok('the member reads the answer in the thread', async () => {
      await phone.reload()
      const card = phone.locator('[data-testid=portal-need]', { hasText: TITLE })
      await card.waitFor()
      expect((await card.innerText()).includes('已对接'), await card.innerText())
      await card.click()
      const detail = phone.locator('[data-testid=need-detail]')
      await detail.locator('[data-testid=need-match]').waitFor()
      const text = await detail.innerText()
      expect(text.includes('返乡创业担保贷款及贴息实施办法') && text.includes('请将身份证复印件'), text)
      await shot(phone, SHOT('portal-answer'))
      await detail.locator('[data-testid=need-reply] textarea').fill('好的，谢谢！')
      await detail.locator('[data-testid=need-send]').click()
      await detail.locator('[data-testid=need-message]', { hasText: '好的，谢谢！' }).waitFor()
    })

    await ok('Jinxiang sees its outreach visits and the chart by month', async () => {
      await page.keyboard.press('Escape')
      await page.locator('[data-testid=need-drawer]').waitFor({ state: 'hidden' })
      await logout(page)
      await loginOk(page, base, 'jinxiang_admin')
      await page.goto(`${base}/services/outreach`)
      await page.locator('[data-testid=outreach-table] .el-table__row').first().waitFor()
      await idle(page)
      await shot(page, SHOT('outreach-list'))
      await page.locator('.el-tabs__item', { hasText: '统计' }).click()
      await page.locator('[data-testid=outreach-chart] canvas').first().waitFor()
      await page.waitForTimeout(600)
      await shot(page, SHOT('outreach-chart'))
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
