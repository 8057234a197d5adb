#!/usr/bin/env node
// End-to-end test of 通知公告 against a real `honglian serve --demo` on a fresh data dir, in Debian's
// Chromium through playwright-core: the 广州 chamber branch's worker publishes an activity notice
// for its branch and the outflow members it receives, with a photo attached (the form says the title
// goes out by email and to the group chats, and refuses one with a phone number on the title field);
// member_demo (a Wuchuan member received in 广州) sees the dot on 通知 on the phone at 390×844, opens
// it and the photo; the console shows 已读 1; the worker deletes the photo (after a confirmation) and
// it leaves the phone's copy too; the worker withdraws it and it leaves the phone. The delivery log
// names a bulletin's emails 通知公告, and a bulletin reaching one or two accounts shows no read count.
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
  apiLogin,
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
      const hint = await dlg.locator('[data-testid=bulletin-title-hint]').innerText()
      expect(hint === '标题会通过邮件和工作群推送，不要写手机号、身份证号', `the hint under the title: ${hint}`)
      // A title with a phone number is refused on the title field (it would go out by email and to the groups).
      await dlg.locator('input[data-testid=bulletin-title]').fill('周日参观广州起义纪念馆，报名请打 138 0013 8000')
      await dlg.locator('textarea[data-testid=bulletin-body-input]').fill('报名请联系党支部。')
      await dlg.locator('[data-testid=bulletin-save]').click()
      const titleItem = dlg.locator('.el-form-item', { has: page.locator('input[data-testid=bulletin-title]') })
      await titleItem.locator('.el-form-item__error', { hasText: '标题会推送到邮件和工作群' }).waitFor()
      expect(/手机号|电话/.test(await titleItem.locator('.el-form-item__error').innerText()), 'names what it found')
      expect(await dlg.isVisible(), 'the form stays open')
      await shot(page, SHOT('console-title-refused'))
      await dlg.locator('input[data-testid=bulletin-title]').fill(TITLE)
      await titleItem.locator('.el-form-item__error').waitFor({ state: 'hidden' }) // the message goes once the title is changed
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

    await ok('the console counts the read (a count, no names)', async () => {
      await page.reload()
      const row = page.locator('[data-testid=bulletin-table] .el-table__row', { hasText: TITLE })
      await row.waitFor()
      const reads = await row.locator('[data-testid=bulletin-reads]').innerText()
      expect(/^已读 1 \/ 应读 \d+$/.test(reads), reads)
      await idle(page)
      await shot(page, SHOT('console-list'))
    })

    await ok('the worker deletes the photo after a confirmation; the phone no longer has it', async () => {
      const row = page.locator('[data-testid=bulletin-table] .el-table__row', { hasText: TITLE })
      expect((await row.innerText()).includes('附件 1'), 'one attachment before')
      await row.locator('td').nth(1).click()
      const drawer = page.locator('[data-testid=bulletin-detail]')
      const list = drawer.locator('[data-testid=attachment-list]')
      await list.locator('[data-testid=attachment-thumb]').waitFor()
      await list.locator('[data-testid=attachment-remove]').click()
      const box = page.locator('.el-message-box:visible')
      await box.waitFor()
      expect((await box.innerText()).includes('删除附件“集合地点.png”'), await box.innerText())
      await shot(page, SHOT('console-attachment-confirm'))
      // 取消 keeps it.
      await box.locator('.el-button', { hasText: '取消' }).click()
      await box.waitFor({ state: 'hidden' })
      expect((await list.locator('[data-testid=attachment-thumb]').count()) === 1, 'kept after 取消')
      await list.locator('[data-testid=attachment-remove]').click()
      await box.locator('.el-button--primary', { hasText: '删除' }).click()
      await page.locator('.el-message--success', { hasText: '已删除“集合地点.png”' }).waitFor()
      await list.locator('.muted', { hasText: '暂无附件' }).waitFor()
      expect((await drawer.locator('h4').innerText()).includes('附件（0）'), 'the heading counts 0')
      await row.filter({ hasNotText: '附件 1' }).waitFor()
      await idle(page)
      await shot(page, SHOT('console-attachment-removed'))
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
      await phone.reload()
      const card = phone.locator('[data-testid=portal-bulletin]', { hasText: TITLE })
      await card.waitFor()
      expect(!(await card.innerText()).includes('附件'), `no attachment on the phone: ${await card.innerText()}`)
    })

    await ok('the worker withdraws it and it leaves the phone', async () => {
      const row = page.locator('[data-testid=bulletin-table] .el-table__row', { hasText: TITLE })
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

    await ok('消息推送 → 投递记录 names a bulletin’s emails 通知公告', async () => {
      // The county publishes one: the demo's three members who switched email on get it by email
      // (no mail server here: the worker gives those up, and they stay listed).
      const admin = await apiLogin(base, 'wuchuan_admin')
      const root = (await admin.get('/orgs/roots')).items[0]
      const county = '关于做好岁末年初走访慰问困难党员工作的通知'
      await admin.post('/bulletins', { org_id: root.id, kind: 'notice', title: county, body: '各基层党组织：\n\n请于月底前完成走访慰问。', include_outflow: false })
      await admin.logout()
      await logout(page)
      await loginOk(page, base, 'wuchuan_admin')
      await page.goto(`${base}/delivery?tab=outbox`)
      const rows = page.locator('[data-testid=outbox-table] .el-table__row', { hasText: county })
      await rows.first().waitFor()
      const kinds = await rows.locator('[data-testid=outbox-kind]').allInnerTexts()
      expect(kinds.length > 0 && kinds.every((k) => k === '通知公告'), `kinds: ${kinds}`)
      const all = await page.locator('[data-testid=outbox-table]').innerText()
      expect(!/\b(bulletin|invitation|robot_test|greeting)\b/.test(all), 'no raw kind codes')
      await idle(page)
      await shot(page, SHOT('console-delivery'))
    })

    await ok('a bulletin reaching fewer than three accounts shows no read count (it would say who)', async () => {
      const admin = await apiLogin(base, 'wuchuan_admin')
      let few = null
      for (const o of (await admin.get('/orgs?per_page=100')).items) {
        const r = await admin.get(`/invitations?org_id=${o.id}&per_page=1`)
        if (r.members_with_account > 0 && r.members_with_account < 3) {
          few = o
          break
        }
      }
      expect(few, 'a branch with one or two member accounts')
      const small = `${few.name}关于本月主题党日改期的通知`
      const b = await admin.post('/bulletins', { org_id: few.id, kind: 'notice', title: small, body: '本月主题党日改到下周六上午，地点不变。', include_outflow: false })
      await admin.logout()
      expect(b.read == null && b.reached > 0 && b.reached < 3, `read ${b.read}, reached ${b.reached}`)
      await page.goto(`${base}/bulletins`)
      const row = page.locator('[data-testid=bulletin-table] .el-table__row', { hasText: small })
      await row.waitFor()
      const reads = await row.locator('[data-testid=bulletin-reads]').innerText()
      expect(reads === `应读 ${b.reached} 人（不足 3 人，不显示已读数）`, reads)
      await idle(page)
      await shot(page, SHOT('console-few-readers'))
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
