#!/usr/bin/env node
// End-to-end test of 通知公告 against a real `honglian serve --demo` on a fresh data dir, in Debian's
// Chromium through playwright-core: the 广州 chamber branch's worker publishes an activity notice
// for its branch and the outflow members it receives, with a photo attached; member_demo (a Wuchuan
// member received in 广州) sees the dot on 通知 on the phone at 390×844, opens it and the photo; the
// console shows 已读 1; the worker withdraws it and it leaves the phone.
//
//   npm run e2e:bulletins        (target/debug/honglian with its embedded UI)
//
// Screenshots land in e2e/screenshots/bulletins-*.png. The last line is "N passed, M failed"; the
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
  TINY_PNG,
  createRunner,
  expect,
  idle,
  loginOk,
  noHorizontalOverflow,
  shot,
  startServer,
  watchConsole,
} from './lib-activities.mjs'

const { state, step } = createRunner()
const SHOT = (name) => `bulletins-${name}`
const TITLE = '关于本周日在穗党员参观广州起义纪念馆的通知'

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-bulletins-'))
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
        await page.screenshot({ path: join(SHOTS, `bulletins-failure-${safe}.png`) }).catch(() => {})
        await phone.screenshot({ path: join(SHOTS, `bulletins-failure-phone-${safe}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }

    await ok('the branch worker publishes a notice with a photo for its branch and the members it receives', async () => {
      await loginOk(page, base, 'gz_branch')
      const menu = await page.locator('.side-menu').innerText()
      expect(menu.includes('通知公告'), `menu lacks 通知公告: ${menu}`)
      await page.goto(`${base}/bulletins`)
      await page.locator('[data-testid=bulletin-table] .el-table__row').first().waitFor()
      const demo = await page.locator('[data-testid=bulletin-table]').innerText()
      expect(demo.includes('邀请在穗吴川籍党员参加主题党日') && !demo.includes('吴川市委组织部'), `the branch's own only: ${demo}`)
      await page.locator('[data-testid=bulletin-new]').click()
      const dlg = page.locator('[data-testid=bulletin-form]')
      await dlg.locator('[data-testid=org-picker]').first().click()
      const popper = page.locator('.org-picker-popper:visible')
      await popper.locator('input[data-testid=org-picker-search]').fill('广州吴川商会')
      await popper.locator('.org-picker-result', { hasText: '广州吴川商会党支部' }).first().click()
      await dlg.locator('[data-testid=bulletin-kind] .el-radio', { hasText: '活动通知' }).click()
      await dlg.locator('input[data-testid=bulletin-title]').fill(TITLE)
      await dlg.locator('textarea[data-testid=bulletin-body-input]').fill(
        '在穗吴川籍党员同志们：\n\n本周日下午 2 点在广州起义纪念馆门口集合，参观后座谈交流。\n\n自愿参加，来不了的无需请假。',
      )
      await dlg.locator('.el-checkbox', { hasText: '同时发给本组织接收的外出党员' }).click()
      await dlg.locator('[data-testid=bulletin-file]').setInputFiles({ name: '集合地点.png', mimeType: 'image/png', buffer: TINY_PNG })
      await dlg.locator('.file', { hasText: '集合地点.png' }).waitFor()
      await shot(page, SHOT('console-form'))
      await dlg.locator('[data-testid=bulletin-save]').click()
      const drawer = page.locator('[data-testid=bulletin-detail]')
      await drawer.locator('[data-testid=attachment-thumb]').waitFor()
      const text = await drawer.innerText()
      expect(text.includes('已读 0 / 应读') && text.includes('和接收的外出党员'), text)
      await idle(page)
      await shot(page, SHOT('console-published'))
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
    })

    await ok('member_demo sees the dot on 通知 and reads it on the phone', async () => {
      await phone.goto(`${base}/m/login`)
      await phone.locator('[data-testid=portal-login] input[name=username]').fill('member_demo')
      await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
      await phone.locator('[data-testid=portal-login] button[type=submit]').click()
      await phone.waitForURL((u) => u.pathname === '/m/life')
      await phone.locator('[data-testid=tab-bulletins] .van-badge--dot').waitFor()
      await phone.locator('[data-testid=tab-bulletins]').click()
      await phone.waitForURL((u) => u.pathname === '/m/bulletins')
      const card = phone.locator('[data-testid=portal-bulletin]', { hasText: TITLE })
      await card.waitFor()
      expect((await card.getAttribute('data-read')) === 'false', 'unread at first')
      const all = await phone.locator('[data-testid=portal-bulletin]').allInnerTexts()
      for (const t of ['报平安、话发展', '梅菉街道关于组织党员参加社区志愿服务', '新华社区第一党支部关于召开本季度党员大会']) {
        expect(all.some((x) => x.includes(t)), `the demo's ${t}: ${all}`)
      }
      expect(!all.some((x) => x.includes('已更正')), 'the withdrawn demo notice is not shown')
      expect(!all.some((x) => x.includes('金乡')), "no other county's")
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('portal-list'))
      await card.click()
      await phone.waitForURL((u) => /^\/m\/bulletins\/\d+$/.test(u.pathname))
      const detail = phone.locator('[data-testid=portal-bulletin-detail]')
      await detail.locator('[data-testid=portal-bulletin-files] img').waitFor()
      const body = await detail.innerText()
      expect(body.includes('广州起义纪念馆门口集合') && body.includes('广州吴川商会党支部'), body)
      const loaded = await detail.locator('[data-testid=portal-bulletin-files] img').evaluate((img) => img.complete && img.naturalWidth > 0)
      expect(loaded, 'the photo downloads')
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('portal-detail'))
      await phone.locator('.van-nav-bar__left').click()
      await phone.waitForURL((u) => u.pathname === '/m/bulletins')
      const again = phone.locator('[data-testid=portal-bulletin]', { hasText: TITLE })
      await again.waitFor()
      expect((await again.getAttribute('data-read')) === 'true', 'read after opening')
    })

    await ok('the console counts the read (a count, no names) and the worker withdraws it', async () => {
      await page.reload()
      const row = page.locator('[data-testid=bulletin-table] .el-table__row', { hasText: TITLE })
      await row.waitFor()
      const reads = await row.locator('[data-testid=bulletin-reads]').innerText()
      expect(/^已读 1 \/ 应读 \d+$/.test(reads), reads)
      await idle(page)
      await shot(page, SHOT('console-list'))
      await row.locator('[data-testid=bulletin-withdraw]').click()
      await page.locator('.el-popconfirm .el-button--primary').click()
      await row.locator('[data-testid=bulletin-withdrawn]').waitFor()
      await idle(page)
      await shot(page, SHOT('console-withdrawn'))
      await phone.reload()
      await phone.locator('[data-testid=portal-bulletin]').first().waitFor()
      const left = await phone.locator('[data-testid=portal-bulletin]').allInnerTexts()
      expect(!left.some((x) => x.includes(TITLE)), `withdrawn: ${left}`)
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
