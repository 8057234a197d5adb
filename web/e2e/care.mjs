#!/usr/bin/env node
// End-to-end test of 关爱工程 against a real `honglian serve --demo` on a fresh data dir, in Debian's
// Chromium through playwright-core. One student goes from the proposal to the payment: the Guangzhou
// chamber branch proposes a student (ID number and phone shown masked), reviews the application and
// cannot decide it; the county admin decides it (not above the amount asked), which starts the
// public notice (公示中), records an objection and handles it as not upheld, and handles the demo's
// open objection on 梁志强 the same way. Three weeks later — the server started again with its
// calendar moved on (HONGLIAN_TEST_DAYS_AHEAD, debug builds) and the browser's clock with it — the
// notice is over (公示期满): the student is paid by bank transfer (已发放), the fund's balance goes
// down by exactly the amount paid, and the application is renewed for the next year. A donation is
// recorded (a reused receipt number is refused on its field) and its thank-you letter opens as a
// PDF; the year's report downloads and the days of public notice are set.
//
//   npm run e2e:care        (target/debug/honglian with its embedded UI)
//
// Screenshots land in e2e/screenshots/care-*.png (the desktop pages are copied to
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
const SHOT = (name) => `care-${name}`
const TARGET_SHOTS = resolve(WEB, '..', 'target', 'screenshots')
const BRANCH = '广州吴川商会党支部'
const STUDENT = '谭思敏'
const SCHOOL = '华南师范大学'
const PHONE = '13712345678'
const DONOR = '广州吴川籍乡贤企业（端到端测试）'
const RECEIPT = `E2E-${Date.now() % 1_000_000}`

/** GB 11643 check digit of the first 17 digits. */
function idWithCheckDigit(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = weights.reduce((a, w, i) => a + w * Number(first17[i]), 0)
  return first17 + '10X98765432'[sum % 11]
}
const ID_NUMBER = idWithCheckDigit(`44088320070315${String(100 + (Date.now() % 800)).padStart(3, '0')}`)

/** A day `n` days before today in Beijing, YYYY-MM-DD (the browser runs in Asia/Shanghai). */
function daysAgo(n) {
  return new Date(Date.now() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10)
}
const THIS_YEAR = Number(daysAgo(0).slice(0, 4))
/** Days the server's calendar and the browser's clock move on to let the notice pass. */
const AHEAD = 21
/** The year three weeks on, when the fund's report is made. */
const AHEAD_YEAR = Number(daysAgo(-AHEAD).slice(0, 4))

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

/** The fund's balance in fen as the 基金收支 page shows it. */
async function balanceFen(page, base) {
  await page.goto(`${base}/hometown/care/fund`)
  const b = page.locator('[data-testid=fund-figures] [data-count=balance]')
  await b.waitFor()
  return Number(await b.getAttribute('data-fen'))
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-care-'))
  let server
  let browser
  try {
    delete process.env.HONGLIAN_TEST_DAYS_AHEAD
    server = await startServer(dataDir)
    let base = server.base
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await page.screenshot({ path: join(SHOTS, `care-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    const drawer = page.locator('[data-testid=aid-drawer]')
    const status = drawer.locator('[data-testid=aid-drawer-status]')
    const row = (name) => page.locator('[data-testid=aid-table] .el-table__row', { hasText: name })
    let aidId = 0
    let approvedFen = 0
    let before = 0

    await ok('gz_branch sees 关爱工程 in the 回乡工程 menu', async () => {
      await loginOk(page, base, 'gz_branch')
      const menu = await page.locator('.side-menu').innerText()
      for (const t of ['回乡工程', '助学申请', '捐赠登记', '基金收支']) expect(menu.includes(t), `menu lacks ${t}: ${menu}`)
      await page.goto(`${base}/hometown/care/aids`)
      await page.locator('[data-testid=aid-table] .el-table__row').first().waitFor()
    })

    await ok('proposes a student: the branch comes with the form, the number and phone are shown masked', async () => {
      await page.locator('[data-testid=aid-new]').click()
      const dlg = page.locator('[data-testid=aid-form]')
      await dlg.waitFor()
      await dlg.locator('[data-testid=org-picker] input').first().waitFor()
      await page.waitForFunction(
        (branch) => [...document.querySelectorAll('[data-testid=aid-form] [data-testid=org-picker] input')].some((i) => i.value === branch),
        BRANCH,
      )
      await dlg.locator('[data-testid=aid-name]').fill(STUDENT)
      await dlg.locator('[data-testid=aid-id-number]').fill(ID_NUMBER)
      await dlg.locator('[data-testid=aid-school]').fill(SCHOOL)
      await dlg.locator('[data-testid=aid-phone]').fill(PHONE)
      await dlg.locator('[data-testid=aid-asked]').fill('3,000')
      await dlg.locator('[data-testid=aid-family]').fill('父亲因病丧失劳动能力，母亲务农，弟弟读初中，家庭年收入不足两万元。')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/care-aids') && r.request().method() === 'POST'),
        dlg.locator('[data-testid=aid-save]').click(),
      ])
      expect(resp.status() === 201, `POST /care-aids: ${resp.status()} ${await resp.text()}`)
      aidId = (await resp.json()).aid.id
      await dlg.waitFor({ state: 'hidden' })
      await status.filter({ hasText: '待支部审核' }).waitFor()
      const fields = await drawer.locator('[data-testid=aid-fields]').innerText()
      expect(fields.includes(`****************${ID_NUMBER.slice(-2)}`) && !fields.includes(ID_NUMBER), `ID number in the drawer: ${fields}`)
      expect(fields.includes(`*******${PHONE.slice(-4)}`) && !fields.includes(PHONE), `phone in the drawer: ${fields}`)
      expect(fields.includes(BRANCH) && fields.includes('3,000.00 元') && fields.includes('家庭年收入'), fields)
      const r = row(STUDENT)
      await r.waitFor()
      const masked = (await r.locator('[data-testid=aid-id-masked]').innerText()).trim()
      expect(masked === `****************${ID_NUMBER.slice(-2)}`, `masked number in the table: ${masked}`)
      expect(!(await page.locator('[data-testid=aid-table]').innerText()).includes(ID_NUMBER), 'the full ID number is in the table')
    })

    await ok('the branch reviews it (passed) and cannot decide it', async () => {
      const form = drawer.locator('[data-testid=aid-step-review]')
      await form.waitFor()
      expect((await form.locator('input[name=aid-step-on]').inputValue()) === daysAgo(0), 'a review is dated today by default')
      await form.locator('[data-testid=aid-step-note]').fill('经支部走访核实，家庭经济困难情况属实，同意推荐')
      await form.locator('[data-testid=aid-step-submit]').click()
      await status.filter({ hasText: '待基金会决定' }).waitFor()
      expect((await drawer.locator('[data-testid=aid-step-decide]').count()) === 0, 'the branch may not decide')
      const items = await drawer.locator('[data-testid=aid-timeline] .el-timeline-item').allInnerTexts()
      expect(items.length === 2 && items[1].includes('支部审核：通过') && items[1].includes('家庭经济困难情况属实'), items.join(' | '))
    })

    await ok("the branch's 基金收支 says it covers the chamber's own, without the county's setting", async () => {
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
      await page.goto(`${base}/hometown/care/fund`)
      await page.locator('[data-testid=fund-figures]').waitFor()
      expect((await page.locator('.page-header').innerText()).includes('不是全县基金的结余'), await page.locator('.page-header').innerText())
      expect((await page.locator('[data-testid=notice-days-open]').count()) === 0, 'a branch does not set the days of notice')
    })

    await ok('the county admin sees the fund and the seed years on 基金收支', async () => {
      await logout(page)
      await loginOk(page, base, 'wuchuan_admin')
      await page.goto(`${base}/hometown/care/fund`)
      await page.locator('[data-testid=fund-figures]').waitFor()
      const seed = await page.locator('[data-testid=fund-seed]').innerText()
      expect(seed.includes('2004—2021') && seed.includes('473.92 万元') && seed.includes('1,909 名'), `seed note: ${seed}`)
      expect(await painted(page, 'fund-chart'), 'the fund chart stays blank')
    })

    let noticeUntil = ''
    await ok('decides it with the amount asked (not more): the public notice starts (公示中)', async () => {
      await page.goto(`${base}/hometown/care/aids?id=${aidId}`)
      const form = drawer.locator('[data-testid=aid-step-decide]')
      await form.waitFor()
      const amount = form.locator('[data-testid=aid-step-amount]')
      expect((await amount.inputValue()) === '3,000.00', `the amount comes prefilled with the asked: ${await amount.inputValue()}`)
      expect((await form.innerText()).includes('公示 5 个工作日'), await form.innerText())
      await amount.fill('3,500')
      await form.locator('[data-testid=aid-step-submit]').click()
      const err = form.locator('.el-form-item', { has: page.locator('[data-testid=aid-step-amount]') }).locator('.el-form-item__error')
      await err.waitFor()
      expect((await err.innerText()).includes('不能超过申请金额'), `amount error: ${await err.innerText()}`)
      await amount.fill('3,000')
      await form.locator('[data-testid=aid-step-note]').fill('经基金管理委员会研究，同意资助')
      await form.locator('[data-testid=aid-step-submit]').click()
      await status.filter({ hasText: '公示中' }).waitFor()
      const notice = (await drawer.locator('[data-testid=aid-drawer-notice]').innerText()).trim()
      const m = /^公示中，至 (\d{4}-\d{2}-\d{2})$/.exec(notice)
      expect(m && m[1] > daysAgo(0), `drawer notice: ${notice}`)
      noticeUntil = m[1]
      expect((await drawer.locator('[data-testid=aid-step-disburse]').count()) === 0, 'no payment while the notice runs')
      await row(STUDENT).locator('[data-testid=aid-notice]', { hasText: `公示中，至 ${noticeUntil}` }).waitFor()
      approvedFen = 300_000
    })

    await ok('records an objection while the notice runs and handles it as not upheld', async () => {
      const add = drawer.locator('[data-testid=aid-objection-new]')
      await add.waitFor()
      await add.locator('[data-testid=aid-objection-add]').click()
      await add.locator('.el-form-item__error').first().waitFor()
      await add.locator('[data-testid=aid-objection-content]').fill('来电反映该生父亲在外地另有收入，请核实。')
      await add.locator('[data-testid=aid-objection-add]').click()
      const o = drawer.locator('[data-testid=aid-objection]')
      await o.first().waitFor()
      expect((await o.locator('[data-testid=aid-objection-state]').innerText()).trim() === '待处理', 'the objection is open')
      await o.locator('[data-testid=aid-objection-handle]').click()
      const f = o.locator('[data-testid=aid-objection-form]')
      await f.locator('[data-testid=aid-objection-upheld] .el-radio', { hasText: '不成立' }).click()
      await f.locator('[data-testid=aid-objection-handling]').fill('经支部核实，其父因病长期在家，无其他收入，异议不成立。')
      await f.locator('[data-testid=aid-objection-submit]').click()
      await o.locator('[data-testid=aid-objection-state]', { hasText: '异议不成立' }).waitFor()
      expect((await status.innerText()).trim() === '公示中', 'a rejected objection leaves the notice running')
    })

    await ok("handles the demo's open objection on 梁志强 as not upheld", async () => {
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
      await idle(page)
      await keep(page, 'aids')
      await page.locator('[data-testid=aid-filter-status] .el-radio-button', { hasText: '公示中' }).click()
      await idle(page)
      await row('梁志强').click()
      await status.filter({ hasText: '公示中' }).waitFor()
      const notice = (await drawer.locator('[data-testid=aid-drawer-notice]').innerText()).trim()
      expect(notice.startsWith('公示中，至 '), `梁志强's notice: ${notice}`)
      const o = drawer.locator('[data-testid=aid-objection]')
      await o.first().waitFor()
      expect((await o.count()) === 1, `objections: ${await o.count()}`)
      expect((await o.locator('[data-testid=aid-objection-state]').innerText()).trim() === '待处理', 'the objection is open')
      expect((await o.innerText()).includes('城区购房'), await o.innerText())
      await o.locator('[data-testid=aid-objection-handle]').click()
      const f = o.locator('[data-testid=aid-objection-form]')
      await f.locator('[data-testid=aid-objection-submit]').click()
      await f.locator('.el-form-item__error', { hasText: '请选择异议是否成立' }).waitFor()
      await f.locator('[data-testid=aid-objection-upheld] .el-radio', { hasText: '不成立' }).click()
      await f.locator('[data-testid=aid-objection-handling]').fill('经镇街和商会党支部核实，所购房屋为亲属代购，家庭经济困难情况属实，异议不成立。')
      await f.locator('[data-testid=aid-objection-submit]').click()
      await o.locator('[data-testid=aid-objection-state]', { hasText: '异议不成立' }).waitFor()
      expect((await o.innerText()).includes('亲属代购'), await o.innerText())
      expect((await status.innerText()).trim() === '公示中', 'a rejected objection leaves the notice running')
      await idle(page)
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await drawer.locator('.el-drawer__body').evaluate((el) => el.scrollTo(0, 0))
      await keep(page, 'aids-objection')
    })

    // A test cannot wait a week: the server starts again on the same data with its calendar
    // (HONGLIAN_TEST_DAYS_AHEAD, debug builds) and the browser's clock three weeks on.
    await ok(`three weeks later (${AHEAD} days): the notice is over (公示期满), the student is paid by bank transfer: 已发放`, async () => {
      await page.goto('about:blank')
      await server.stop()
      process.env.HONGLIAN_TEST_DAYS_AHEAD = String(AHEAD)
      server = await startServer(dataDir)
      base = server.base
      await ctx.clearCookies()
      await ctx.clock.install({ time: new Date(Date.now() + AHEAD * 86_400_000) })
      await loginOk(page, base, 'wuchuan_admin')
      before = await balanceFen(page, base)
      expect(Number.isSafeInteger(before) && before > approvedFen, `balance before: ${before}`)
      await page.goto(`${base}/hometown/care/aids?id=${aidId}`)
      const form = drawer.locator('[data-testid=aid-step-disburse]')
      await form.waitFor()
      const notice = (await drawer.locator('[data-testid=aid-drawer-notice]').innerText()).trim()
      expect(notice === '公示期满，可发放', `drawer notice: ${notice}`)
      expect((await form.locator('input[name=aid-step-on]').inputValue()) === daysAgo(-AHEAD), 'paid today (three weeks on) by default')
      await form.locator('[data-testid=aid-step-method] .el-radio-button', { hasText: '银行转账' }).click()
      await idle(page)
      await drawer.locator('.el-drawer__body').evaluate((el) => el.scrollTo(0, 0))
      await keep(page, 'aids-drawer')
      await form.locator('[data-testid=aid-step-submit]').click()
      await status.filter({ hasText: '已发放' }).waitFor()
      expect((await drawer.locator('[data-testid=aid-granted]').innerText()).includes('3,000.00 元'), 'paid 3,000.00')
      const items = await drawer.locator('[data-testid=aid-timeline] .el-timeline-item').allInnerTexts()
      const last = items[items.length - 1]
      expect(last.includes('发放 3,000.00 元') && last.includes('银行转账') && last.includes(daysAgo(-AHEAD)), `last step: ${last}`)
      expect(items.some((t) => t.includes('基金会决定：资助 3,000.00 元') && t.includes(daysAgo(0))), items.join(' | '))
      expect(items.some((t) => t.includes(`公示至 ${noticeUntil}，公示期满`) && t.includes('收到异议 1 条')), items.join(' | '))
      expect((await drawer.locator('[data-testid=aid-step-disburse]').count()) === 0, 'paid once')
    })

    await ok("the fund's balance went down by exactly the amount paid", async () => {
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
      const after = await balanceFen(page, base)
      expect(before - after === approvedFen, `balance ${before} → ${after} fen (paid ${approvedFen})`)
    })

    await ok('renews it for the next year: nothing typed again', async () => {
      await page.goto(`${base}/hometown/care/aids?id=${aidId}`)
      await status.filter({ hasText: '已发放' }).waitFor()
      await drawer.locator('[data-testid=aid-renew]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await drawer.locator('.el-drawer__title', { hasText: `${THIS_YEAR + 1} 年度` }).waitFor()
      await status.filter({ hasText: '待支部审核' }).waitFor()
      const fields = await drawer.locator('[data-testid=aid-fields]').innerText()
      expect(fields.includes(`****************${ID_NUMBER.slice(-2)}`) && fields.includes(SCHOOL) && fields.includes('3,000.00 元'), fields)
      const first = await drawer.locator('[data-testid=aid-timeline] .el-timeline-item').first().innerText()
      expect(first.includes('（续助）'), first)
      const r = row(STUDENT)
      await r.waitFor()
      expect((await r.innerText()).includes('续助') && (await r.innerText()).includes(`${THIS_YEAR + 1} 年度`), await r.innerText())
    })

    await ok('records a donation (a reused receipt number is refused on its field) and opens its thank-you letter', async () => {
      await page.goto(`${base}/hometown/care/donations`)
      await page.locator('[data-testid=donation-table] .el-table__row').first().waitFor()
      const totals = async () => (await page.locator('[data-testid=donation-totals]').innerText()).trim()
      const before = await totals()
      const record = async (receipt) => {
        await page.locator('[data-testid=donation-new]').click()
        const dlg = page.locator('[data-testid=donation-form]')
        await dlg.waitFor()
        await pickOrg(page, dlg, BRANCH)
        await dlg.locator('[data-testid=donation-kind] .el-radio-button', { hasText: '企业' }).click()
        await dlg.locator('[data-testid=donation-donor]').fill(DONOR)
        await dlg.locator('[data-testid=donation-amount-input]').fill('50,000')
        await dlg.locator('[data-testid=donation-amount-wan]', { hasText: '5.00 万元' }).waitFor()
        await dlg.locator('[data-testid=donation-receipt]').fill(receipt)
        await dlg.locator('[data-testid=donation-save]').click()
        return dlg
      }
      const dlg = await record(RECEIPT)
      await dlg.waitFor({ state: 'hidden' })
      const r = page.locator('[data-testid=donation-table] .el-table__row', { hasText: RECEIPT })
      await r.waitFor()
      expect((await r.innerText()).includes('50,000.00') && (await r.innerText()).includes(DONOR), await r.innerText())
      await page.waitForFunction((b) => document.querySelector('[data-testid=donation-totals]')?.textContent?.trim() !== b, before)
      const again = await record(RECEIPT)
      const err = again.locator('.el-form-item', { has: page.locator('[data-testid=donation-receipt]') }).locator('.el-form-item__error')
      await err.waitFor()
      expect((await err.innerText()).includes('已登记过'), `receipt error: ${await err.innerText()}`)
      await again.locator('.el-dialog__footer .el-button', { hasText: '取消' }).click()
      await again.waitFor({ state: 'hidden' })
      const href = await r.locator('[data-testid=donation-letter]').getAttribute('href')
      expect(href && href.endsWith('/letter.pdf'), `letter link: ${href}`)
      const letter = await page.request.get(new URL(href, base).toString())
      expect(letter.status() === 200, `letter: ${letter.status()}`)
      expect((letter.headers()['content-type'] ?? '').startsWith('application/pdf'), `letter type: ${letter.headers()['content-type']}`)
      const body = await letter.body()
      expect(body.subarray(0, 5).toString() === '%PDF-', 'the letter is a PDF')
      await idle(page)
      await keep(page, 'donations')
    })

    await ok('the committee voids a donation entered by mistake: kept, struck through, no longer counted', async () => {
      const r = page.locator('[data-testid=donation-table] .el-table__row', { hasText: DONOR }).first()
      const ledger = async () => (await (await page.request.get(`${base}/api/v1/care-fund/ledger`)).json()).balance_fen
      const held = await ledger()
      await r.locator('[data-testid=donation-void]').click()
      const box = page.locator('.el-message-box')
      await box.waitFor()
      await box.locator('input').fill('重复登记')
      await box.locator('.el-button', { hasText: '作废' }).click()
      await r.locator('[data-testid=donation-voided]').waitFor()
      expect((await r.locator('[data-testid=donation-letter]').count()) === 0, 'no letter for a voided donation')
      const after = await ledger()
      expect(held - after === 5_000_000, `balance ${held} → ${after} fen`)
    })

    await ok("基金收支: the year's report downloads, the table and the chart show the years", async () => {
      await page.goto(`${base}/hometown/care/fund`)
      await page.locator('[data-testid=fund-table] .el-table__row').first().waitFor()
      const table = await page.locator('[data-testid=fund-table]').innerText()
      expect(table.includes(String(AHEAD_YEAR)) && table.includes('2004') && table.includes('合计'), table.slice(0, 300))
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=fund-report-xlsx]').click()])
      const name = download.suggestedFilename()
      expect(name === `关爱工程${AHEAD_YEAR}年度收支报告.xlsx`, `file: ${name}`)
      expect(await painted(page, 'fund-chart'), 'the fund chart stays blank')
      await idle(page)
      await page.waitForTimeout(1200) // the bars' animation
      await keep(page, 'fund')
      await page.locator('[data-testid=fund-table]').scrollIntoViewIfNeeded()
      await page.waitForTimeout(600)
      await keep(page, 'fund-lower')
    })

    await ok('the county admin sets the days of public notice (6, then back to 5)', async () => {
      const setDays = async (n) => {
        await page.locator('[data-testid=notice-days-open]').click()
        const form = page.locator('[data-testid=notice-days-form]')
        await form.waitFor()
        await form.locator('[data-testid=notice-days-input] input').fill(String(n))
        await form.locator('[data-testid=notice-days-save]').click()
        await page.locator('[data-testid=notice-days-open]', { hasText: `${n} 个工作日` }).waitFor()
        await form.waitFor({ state: 'hidden' })
      }
      await setDays(6)
      await setDays(5)
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
