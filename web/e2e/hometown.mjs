#!/usr/bin/env node
// End-to-end test of 回乡工程 against a real `honglian serve --demo` on a fresh data dir, in Debian's
// Chromium through playwright-core: the Guangzhou chamber branch records an investment drive (with a
// material), records a lead from it, walks the lead 已对接 → 已考察 → 已签约 → 已落地 (a landing without
// its amount is refused on the field), sees the timeline, cannot delete the drive a lead came from,
// exports the ledger and opens 招商统计's charts; the county admin follows the workbench's reminder to
// the two leads that have not moved, and changes the reminder days.
//
//   npm run e2e:hometown        (target/debug/honglian with its embedded UI)
//
// Screenshots land in e2e/screenshots/hometown-*.png (the desktop pages are copied to
// target/screenshots/ as well). The last line is "N passed, M failed"; the exit code is non-zero
// when anything failed.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import {
  BIN,
  CHROMIUM,
  CHROMIUM_ARGS,
  DESKTOP,
  SHOTS,
  TIMEOUT,
  TINY_PNG,
  WEB,
  createRunner,
  expect,
  idle,
  loginOk,
  logout,
  shot,
  startServer,
  watchConsole,
} from './lib-activities.mjs'

const { state, step } = createRunner()
const SHOT = (name) => `hometown-${name}`
const TARGET_SHOTS = resolve(WEB, '..', 'target', 'screenshots')
const DRIVE = '“乡情引凤”吴川（广州）新春乡贤座谈会'
const PROJECT = '吴川烧烤预制菜冷链加工项目'
const STALE = ['新能源汽车充电网络', '南药种植与加工基地']

/** A screenshot kept in e2e/screenshots and copied to target/screenshots. */
async function keep(page, name) {
  await shot(page, SHOT(name))
  mkdirSync(TARGET_SHOTS, { recursive: true })
  copyFileSync(join(SHOTS, `${SHOT(name)}.png`), join(TARGET_SHOTS, `${SHOT(name)}.png`))
}

async function pickOrg(page, scope, name) {
  await scope.locator('[data-testid=org-picker]').first().click()
  const popper = page.locator('.org-picker-popper:visible')
  await popper.locator('input[data-testid=org-picker-search]').fill(name)
  await popper.locator('.org-picker-result', { hasText: name }).first().click()
}

async function pickOption(page, select, text) {
  await select.click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

/** Waits until a chart's canvas has coloured pixels (its animation may still be running). */
async function painted(page, testid) {
  await page.locator(`[data-testid=${testid}] canvas`).first().waitFor()
  return page
    .waitForFunction(
      (id) => {
        const c = document.querySelector(`[data-testid=${id}] canvas`)
        if (!c || !c.width) return false
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
        let n = 0
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++
        return n > 500
      },
      testid,
      { timeout: 15_000 },
    )
    .then(
      () => true,
      () => false,
    )
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-hometown-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const { base } = server
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await page.screenshot({ path: join(SHOTS, `hometown-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    const drawer = page.locator('[data-testid=lead-drawer]')
    const driveDrawer = page.locator('[data-testid=drive-drawer]')

    await ok('gz_branch sees 回乡工程 in the menu and the drives of its chamber', async () => {
      await loginOk(page, base, 'gz_branch')
      const menu = await page.locator('.side-menu').innerText()
      for (const t of ['回乡工程', '项目线索', '招商推介会', '招商统计']) expect(menu.includes(t), `menu lacks ${t}: ${menu}`)
      await page.goto(`${base}/hometown/drives`)
      const rows = page.locator('[data-testid=drive-table] .el-table__row')
      await rows.first().waitFor()
      const text = await page.locator('[data-testid=drive-table]').innerText()
      expect(text.includes('吴川（广州）招商引资推介会') && !text.includes('深圳'), `gz_branch's drives: ${text}`)
    })

    await ok('records a drive with a member who took part and adds a material', async () => {
      await page.locator('[data-testid=drive-new]').click()
      const dlg = page.locator('[data-testid=drive-form]')
      await dlg.waitFor()
      await pickOrg(page, dlg, '广州吴川商会党支部')
      await dlg.locator('[data-testid=drive-city]').fill('广州')
      await dlg.locator('[data-testid=drive-title]').fill(DRIVE)
      await dlg.locator('[data-testid=drive-leaders]').fill('吴川市委常委、统战部部长；市工商联党委书记')
      await dlg.locator('[data-testid=drive-entrepreneurs]').fill('广州吴川商会会长\n广州某食品科技有限公司董事长')
      await dlg.locator('[data-testid=drive-members]').click()
      await page.locator('.el-select-dropdown__item:visible').first().click()
      await dlg.locator('[data-testid=drive-summary]').click() // closes the member list
      await dlg.locator('[data-testid=drive-summary]').fill('推介吴川烧烤、月饼等特色食品产业，乡贤表达回乡投资意向。')
      await dlg.locator('[data-testid=drive-save]').click()
      await dlg.waitFor({ state: 'hidden' })
      await driveDrawer.locator('[data-testid=drive-fields]').waitFor()
      const fields = await driveDrawer.locator('[data-testid=drive-fields]').innerText()
      expect(fields.includes('广州吴川商会党支部') && fields.includes('统战部部长'), fields)
      expect((await driveDrawer.locator('[data-testid=drive-fields] .el-tag').count()) === 1, 'the member who took part')
      await driveDrawer.locator('[data-testid=attachment-input]').setInputFiles({ name: '签到表.png', mimeType: 'image/png', buffer: TINY_PNG })
      await driveDrawer.locator('[data-testid=attachment-thumb]').waitFor()
    })

    await ok('records a lead from the drive (drive, chamber and city come with it)', async () => {
      await driveDrawer.locator('[data-testid=drive-lead-new]').click()
      const dlg = page.locator('[data-testid=lead-form]')
      await dlg.waitFor()
      await dlg.locator('[data-testid=lead-drive]', { hasText: DRIVE }).waitFor()
      expect((await dlg.locator('[data-testid=lead-city]').inputValue()) === '广州', 'the city comes from the drive')
      await dlg.locator('[data-testid=lead-project]').fill(PROJECT)
      await pickOption(page, dlg.locator('[data-testid=lead-sector]'), '农产品加工')
      await dlg.locator('[data-testid=lead-investor]').fill('广州某食品科技有限公司')
      await dlg.locator('[data-testid=lead-town]').fill('梅菉街道')
      await dlg.locator('[data-testid=lead-amount]').fill('12,000,000.50')
      await dlg.locator('[data-testid=lead-amount-wan]', { hasText: '1,200.00 万元' }).waitFor()
      await dlg.locator('[data-testid=lead-next-step]').fill('联系投资方，了解用地需求')
      await dlg.locator('[data-testid=lead-save]').click()
      await dlg.waitFor({ state: 'hidden' })
      const row = driveDrawer.locator('[data-testid=drive-lead-table] .el-table__row', { hasText: PROJECT })
      await row.waitFor()
      expect((await row.innerText()).includes('1,200.00'), await row.innerText())
      await idle(page)
      await keep(page, 'drive-drawer')
    })

    await ok('the drive a lead came from cannot be deleted: the server says why', async () => {
      await driveDrawer.locator('[data-testid=drive-delete]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      const err = driveDrawer.locator('[data-testid=drive-error]')
      await err.waitFor()
      expect((await err.innerText()).includes('已登记项目线索，不能删除'), await err.innerText())
    })

    await ok('the lead opens from the drive in the leads list filtered by the drive', async () => {
      await driveDrawer.locator('[data-testid=drive-lead-table] .el-table__row', { hasText: PROJECT }).click()
      await page.waitForURL((u) => u.pathname === '/hometown/leads' && u.searchParams.has('drive_id'))
      await drawer.locator('[data-testid=lead-fields]').waitFor()
      const tag = await page.locator('[data-testid=lead-filter-drive]').innerText()
      expect(tag.includes(DRIVE), `drive filter: ${tag}`)
      expect((await drawer.locator('[data-testid=lead-drawer-stage]').innerText()).trim() === '线索', 'a new lead is at 线索')
      const fields = await drawer.locator('[data-testid=lead-fields]').innerText()
      expect(fields.includes('1,200.00 万元') && fields.includes('农产品加工') && fields.includes(DRIVE), fields)
    })

    await ok('编辑 corrects the lead: the amount comes back in yuan as saved', async () => {
      await drawer.locator('[data-testid=lead-edit]').click()
      const dlg = page.locator('[data-testid=lead-form]')
      await dlg.waitFor()
      expect((await dlg.locator('[data-testid=lead-amount]').inputValue()) === '12,000,000.50', await dlg.locator('[data-testid=lead-amount]').inputValue())
      await dlg.locator('[data-testid=lead-next-step]').fill('邀请投资方回乡实地考察')
      await dlg.locator('[data-testid=lead-save]').click()
      await dlg.waitFor({ state: 'hidden' })
      await drawer.locator('[data-testid=lead-fields]', { hasText: '邀请投资方回乡实地考察' }).waitFor()
    })

    const stepTo = async (label, extra) => {
      await drawer.locator('[data-testid=step-to] .el-radio-button', { hasText: label }).click()
      if (extra) await extra()
      await drawer.locator('[data-testid=step-note]').fill(`${label}：E2E 记录`)
      await drawer.locator('[data-testid=step-submit]').click()
      await drawer.locator('[data-testid=lead-drawer-stage]', { hasText: label }).waitFor()
    }

    await ok('walks the lead 已对接 → 已考察 → 已签约', async () => {
      await stepTo('已对接')
      await stepTo('已考察')
      await stepTo('已签约')
      const options = await drawer.locator('[data-testid=step-to]').innerText()
      expect(options.includes('已落地') && options.includes('已终止') && !options.includes('已考察'), `next stages: ${options}`)
    })

    await ok('a landing needs its amount (shown on the field), then lands with it', async () => {
      await drawer.locator('[data-testid=step-to] .el-radio-button', { hasText: '已落地' }).click()
      await drawer.locator('[data-testid=step-landed]').waitFor()
      expect((await drawer.locator('[data-testid=step-next]').count()) === 0, 'no next step once landed')
      await drawer.locator('[data-testid=step-submit]').click()
      const err = drawer.locator('.el-form-item', { has: page.locator('[data-testid=step-landed]') }).locator('.el-form-item__error')
      await err.waitFor()
      expect((await err.innerText()).includes('金额'), `landed error: ${await err.innerText()}`)
      await drawer.locator('[data-testid=step-landed]').fill('11,500,000')
      await drawer.locator('[data-testid=step-note]').fill('项目投产，首期投资到位')
      await drawer.locator('.el-drawer__body').evaluate((el) => el.scrollTo(0, 0))
      await keep(page, 'leads-drawer')
      await drawer.locator('[data-testid=step-submit]').click()
      await drawer.locator('[data-testid=lead-drawer-stage]', { hasText: '已落地' }).waitFor()
      await drawer.locator('[data-testid=lead-landed]', { hasText: '1,150.00 万元' }).waitFor()
      expect((await drawer.locator('[data-testid=lead-step-form]').count()) === 0, 'a landed lead moves no further')
    })

    await ok('the timeline shows every step with the landed amount, and the list the stage tag', async () => {
      const items = drawer.locator('[data-testid=lead-timeline] .el-timeline-item')
      expect((await items.count()) === 5, `timeline items: ${await items.count()}`)
      const texts = await items.allInnerTexts()
      const stages = ['线索', '已对接', '已考察', '已签约', '已落地']
      stages.forEach((s, i) => expect(texts[i].includes(s), `step ${i}: ${texts[i]}`))
      expect(texts[4].includes('到位投资 1,150.00 万元'), texts[4])
      const row = page.locator('[data-testid=lead-table] .el-table__row', { hasText: PROJECT })
      await row.locator('[data-testid=lead-stage-tag]', { hasText: '已落地' }).waitFor()
      await idle(page)
      await drawer.locator('.el-drawer__body').evaluate((el) => el.scrollTo(0, 0))
      await keep(page, 'leads-landed')
    })

    await ok('the ledger downloads as xlsx with the list filters', async () => {
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=lead-xlsx]').click()])
      const name = download.suggestedFilename()
      expect(name.startsWith('回乡工程项目线索台账') && name.endsWith('.xlsx'), `file: ${name}`)
      await page.locator('.el-message--success').first().waitFor()
    })

    await ok('the drives page lists the new drive with its lead', async () => {
      await page.goto(`${base}/hometown/drives`)
      const row = page.locator('[data-testid=drive-table] .el-table__row', { hasText: DRIVE })
      await row.waitFor()
      expect((await row.locator('[data-testid=drive-leads]').innerText()).trim() === '1 个', await row.innerText())
      await idle(page)
      await keep(page, 'drives')
    })

    await ok('招商统计 draws its charts and counts the landing', async () => {
      await page.goto(`${base}/hometown/figures`)
      await page.locator('[data-testid=hometown-figures]').waitFor()
      for (const id of ['stage-chart', 'sector-chart', 'chamber-chart', 'year-chart']) expect(await painted(page, id), `${id} stays blank`)
      const landed = Number.parseInt(await page.locator('[data-count=landed]').innerText(), 10)
      expect(landed >= 3, `landed: ${landed}`) // the demo's two in 广州 and ours
      const table = await page.locator('[data-testid=city-table]').innerText()
      expect(table.includes('广州') && table.includes('合计'), table)
      await idle(page)
      await page.waitForTimeout(1200) // the bars' animation
      await keep(page, 'figures')
      await page.locator('[data-testid=city-table]').scrollIntoViewIfNeeded()
      await page.waitForTimeout(600)
      await keep(page, 'figures-lower')
    })

    await ok("the county admin follows the workbench's reminder to the two unmoved leads", async () => {
      await logout(page)
      await loginOk(page, base, 'wuchuan_admin')
      await page.goto(`${base}/workbench`)
      const item = page.locator('[data-testid=work-leads_stale]')
      await item.waitFor()
      const text = await item.innerText()
      expect(text.includes('久未推进') && text.includes('2'), `workbench item: ${text}`)
      await item.click()
      await page.waitForURL((u) => u.pathname === '/hometown/leads' && u.searchParams.get('stale') === 'true')
      await page.locator('[data-testid=lead-filter-stale].is-checked').waitFor()
      await idle(page)
      const rows = page.locator('[data-testid=lead-table] .el-table__row')
      await rows.first().waitFor()
      const titles = (await rows.locator('.title').allInnerTexts()).map((t) => t.trim()).sort()
      expect(JSON.stringify(titles) === JSON.stringify([...STALE].sort()), `stale leads: ${titles}`)
      expect((await page.locator('[data-testid=lead-stale-tag]').count()) === 2, 'each has its 久未推进 tag')
      await keep(page, 'leads-stale')
    })

    await ok('the county admin sets the reminder days (80: one left; back to 30)', async () => {
      const setDays = async (n) => {
        await page.locator('[data-testid=stale-days-open]').click()
        const form = page.locator('[data-testid=stale-days-form]')
        await form.waitFor()
        await form.locator('[data-testid=stale-days-input] input').fill(String(n))
        await form.locator('[data-testid=stale-days-save]').click()
        await page.locator('[data-testid=stale-days-open]', { hasText: `${n} 天` }).waitFor()
        await idle(page)
      }
      await setDays(80)
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=lead-table] .el-table__row').length === 1)
      expect((await page.locator('[data-testid=lead-table] .title').innerText()).includes('南药'), 'only the herb base is unmoved for 80 days')
      await setDays(30)
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=lead-table] .el-table__row').length === 2)
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
  console.log(`\nscreenshots: ${SHOTS} (desktop pages also in ${TARGET_SHOTS})`)
  console.log(`${state.passed} passed, ${state.failed} failed`)
  process.exit(state.failed ? 1 : 0)
}

main()
