#!/usr/bin/env node
// End-to-end test of 党费 against a real `honglian serve --demo` on a fresh data dir, in Debian's
// Chromium through playwright-core. The Guangzhou chamber branch opens one of its members with the
// demo's dues seven months behind: the year's grid (paid ✓ and 未交), 欠缴 7 个月 and the alert for
// the branch to handle it; the payment dialog ticks the months that may still be made up. It opens a
// member it receives while away, whose dues are not registered: it may collect (once a base is
// registered) but not set the base. The county admin registers a base for that member (salary 4,000
// → 40.00 元/月, previewed as typed) from last month and collects the two months — both turn paid; a
// second worker's stale page trying the same month again is refused with the server's message and
// its months reload. The 党费 page sums the branches (totals, due against paid in a chart, the
// branch with members behind highlighted; a row opens its members). The county approves the demo's
// pending 停止党籍 proposal from the member's page (DecisionDialog): the member's status changes; a
// member suspended two years is offered 建议除名; the outflow ledger marks members six months away
// with 可建议转接. On a phone (375×812) member_demo opens 我的 → 我的党费.
//
//   npm run e2e:dues        (target/debug/honglian with its embedded UI)
//   E2E_SERVE_DIST=1 npm run e2e:dues     (this web/dist in front of the binary)
//
// Screenshots land in e2e/screenshots/dues-*.png (the desktop pages are copied to
// target/screenshots/ as well). The last line is "N passed, M failed"; the exit code is non-zero
// when anything failed.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import {
  BIN,
  CHROMIUM,
  CHROMIUM_ARGS,
  DESKTOP,
  PASSWORD,
  SHOTS,
  TIMEOUT,
  WEB,
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
const SHOT = (name) => `dues-${name}`
const TARGET_SHOTS = resolve(WEB, '..', 'target', 'screenshots')
const PHONE = { width: 375, height: 812 }
const BRANCH_ID = 3
const BRANCH = '广州吴川商会党支部'

/** Today in Beijing, YYYY-MM-DD (the browser runs in Asia/Shanghai). */
function today() {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
}
const THIS_MONTH = today().slice(0, 7)
function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number)
  const i = y * 12 + (m - 1) + n
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
}
const LAST_MONTH = addMonths(THIS_MONTH, -1)
const monthLabel = (m) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`

/** A screenshot kept in e2e/screenshots and copied to target/screenshots. */
async function keep(page, name) {
  await shot(page, SHOT(name))
  mkdirSync(TARGET_SHOTS, { recursive: true })
  copyFileSync(join(SHOTS, `${SHOT(name)}.png`), join(TARGET_SHOTS, `${SHOT(name)}.png`))
}

/** The states of the dues card's twelve cells, in order. */
async function gridStates(page) {
  return page.locator('[data-testid=member-dues] [data-testid=dues-grid] .cell').evaluateAll((els) => els.map((e) => e.dataset.state))
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-dues-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const base = server.base
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)

    // The demo's people, found over the API: a branch member seven months behind, a member the
    // branch receives while away (no dues registered), the pending proposal, a removal due.
    const gzApi = await apiLogin(base, 'gz_branch')
    const county = await apiLogin(base, 'wuchuan_admin')
    const branchMembers = (await gzApi.get(`/members?org=${BRANCH_ID}&per_page=100`)).items
    let behind = null
    for (const m of branchMembers) {
      const d = await gzApi.get(`/members/${m.id}/dues`)
      if (d.act) {
        behind = d
        break
      }
    }
    expect(behind, 'the demo has a member of the branch six months or more behind')
    const received = (await gzApi.get('/ledgers/outflow?per_page=100')).items.find((r) => r.receiving_org_id === BRANCH_ID && r.status === 'open')
    expect(received, 'the branch receives a member away')
    const receivedDues = await gzApi.get(`/members/${received.member_id}/dues`)
    expect(!receivedDues.current && receivedDues.can_collect && !receivedDues.can_set_base, `the received member: ${JSON.stringify(receivedDues)}`)
    const lost = []
    for (let p = 1; p < 50; p++) {
      const r = await county.get(`/lost-contacts?per_page=100&page=${p}`)
      lost.push(...r.items)
      if (r.items.length < 100) break
    }
    const proposed = lost.find((l) => l.suspension_proposed && l.status === 'normal')
    expect(proposed, 'the demo has a pending suspension proposal')
    const removal = lost.find((l) => l.stage === 'removal_due')
    expect(removal, 'the demo has a member suspended two years')

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    let current = page
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await current.screenshot({ path: join(SHOTS, `dues-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    const card = page.locator('[data-testid=member-dues]')
    /** Scrolls the dues card to the top of the window (the page scrolls in the layout's main area). */
    const toCard = async (p = page) => {
      await p.locator('[data-testid=member-dues]').evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await p.waitForTimeout(200)
    }

    await ok(`the branch opens ${behind.name}: the year's grid, 欠缴 ${behind.unpaid.length} 个月 and the alert for the branch`, async () => {
      await loginOk(page, base, 'gz_branch')
      await page.goto(`${base}/members/${behind.member_id}`)
      await card.locator('[data-testid=dues-monthly]').waitFor()
      await idle(page)
      const states = await gridStates(page)
      expect(states.length === 12, `cells: ${states.length}`)
      const paid = behind.months.filter((m) => m.paid).length
      const due = behind.months.filter((m) => !m.paid && m.month < THIS_MONTH).length
      const open = behind.months.filter((m) => !m.paid && m.month === THIS_MONTH).length
      expect(
        states.filter((s) => s === 'paid').length === paid && states.filter((s) => s === 'due').length === due && states.filter((s) => s === 'open').length === open,
        `grid ${states.join(',')}`,
      )
      expect((await card.locator('[data-testid=dues-monthly]').innerText()).trim() === (behind.current.monthly_fen / 100).toFixed(2), 'the monthly amount in yuan')
      expect((await card.locator('[data-testid=dues-behind]').innerText()).trim() === `欠缴 ${behind.unpaid.length} 个月`, 'the arrears tag')
      const act = await card.locator('[data-testid=dues-act]').innerText()
      expect(act.includes(`连续 ${behind.months_behind} 个月未交，请支部按规定处理`), act)
      const bg = await card.locator('[data-testid=dues-behind]').evaluate((el) => getComputedStyle(el).backgroundColor)
      expect(bg !== 'rgba(0, 0, 0, 0)', `the tag is filled in the danger colour: ${bg}`)
      expect((await card.locator('[data-testid=dues-salary]').count()) === 1, 'the home branch sees the salary')
      expect((await card.locator('[data-testid=dues-payments] .el-table__row').count()) === behind.payments.length, 'payments listed')
      await toCard()
      await keep(page, 'member-behind')
    })

    await ok('its payment dialog ticks the unpaid months that may still be made up and shows the total', async () => {
      await card.locator('[data-testid=dues-collect]').click()
      const dlg = page.locator('[data-testid=dues-payment-dialog]')
      await dlg.waitFor()
      const checked = await dlg.locator('.el-checkbox.is-checked').evaluateAll((els) => els.map((e) => e.dataset.month))
      // The arrears that may still be made up (six months back at most), and this month.
      const thisOpen = behind.months.some((m) => m.month === THIS_MONTH && !m.paid)
      const window = [...behind.unpaid.filter((m) => m >= addMonths(THIS_MONTH, -6)), ...(thisOpen ? [THIS_MONTH] : [])]
      expect(JSON.stringify(checked) === JSON.stringify(window), `ticked ${checked} / ${window}`)
      const total = window.length * behind.current.monthly_fen // one base all year in the demo
      const text = await dlg.locator('[data-testid=dues-payment-total]').innerText()
      expect(text.includes((total / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })) && text.includes(`${window.length} 个月`), text)
      expect((await dlg.locator('input[name=dues-payment-on]').inputValue()) === today(), 'paid today by default')
      await keep(page, 'collect-behind')
      await dlg.locator('.el-dialog__footer .el-button', { hasText: '取消' }).click()
      await dlg.waitFor({ state: 'hidden' })
    })

    await ok(`the branch opens ${received.name}, received while away: no base yet, it may collect but not set the base`, async () => {
      await page.goto(`${base}/members/${received.member_id}`)
      await card.locator('[data-testid=dues-no-base]').waitFor()
      await idle(page)
      const text = await card.locator('[data-testid=dues-no-base]').innerText()
      expect(text.includes('基数由党员所在党组织登记'), text)
      expect((await card.locator('[data-testid=dues-set-base]').count()) === 0, 'no 登记基数 for the receiving branch')
      expect(await card.locator('[data-testid=dues-collect]').isDisabled(), '收缴党费 waits for a base')
      expect((await gridStates(page)).every((s) => s === 'none'), 'nothing reckoned')
      await toCard()
      await keep(page, 'member-received')
    })

    await ok(`the county registers ${received.name}'s base: salary 4,000 → 40.00 元/月 from ${LAST_MONTH}`, async () => {
      await logout(page)
      await loginOk(page, base, 'wuchuan_admin')
      await page.goto(`${base}/members/${received.member_id}`)
      await card.locator('[data-testid=dues-set-base]').click()
      const dlg = page.locator('[data-testid=dues-base-dialog]')
      await dlg.waitFor()
      await dlg.locator('[data-testid=dues-base-category] .el-radio-button', { hasText: /^在职$/ }).click()
      const from = dlg.locator('input[name=dues-base-from]')
      await from.click()
      await from.fill(LAST_MONTH)
      await from.press('Enter')
      await dlg.locator('.el-dialog__title').click()
      expect((await from.inputValue()) === LAST_MONTH, `from: ${await from.inputValue()}`)
      await dlg.locator('[data-testid=dues-base-salary]').fill('4,000')
      const preview = (await dlg.locator('[data-testid=dues-base-preview]').innerText()).replace(/\s+/g, ' ')
      expect(preview.includes('每月应交 40.00 元') && preview.includes('1%'), preview)
      await keep(page, 'base')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/members/${received.member_id}/dues-base`) && r.request().method() === 'PUT'),
        dlg.locator('[data-testid=dues-base-save]').click(),
      ])
      expect(resp.status() === 200, `PUT dues-base: ${resp.status()} ${await resp.text()}`)
      await dlg.waitFor({ state: 'hidden' })
      expect((await card.locator('[data-testid=dues-monthly]').innerText()).trim() === '40.00', 'the server says 40.00')
      expect((await card.locator('[data-testid=dues-salary]').innerText()).includes('4,000.00'), 'the salary as registered')
      expect((await card.locator('[data-testid=dues-behind]').innerText()).trim() === '欠缴 1 个月', 'last month is behind')
      expect((await card.locator('[data-testid=dues-open]').innerText()).trim() === '本月待交', 'this month may still be paid')
    })

    // A second worker's page, opened before the payment: it will try the same months again.
    const stale = await ctx.newPage()
    watchConsole(stale, consoleErrors)
    await stale.goto(`${base}/members/${received.member_id}`)
    await stale.locator('[data-testid=member-dues] [data-testid=dues-monthly]').waitFor()

    await ok('collects the two months: both turn paid ✓, the payment is listed', async () => {
      await card.locator('[data-testid=dues-collect]').click()
      const dlg = page.locator('[data-testid=dues-payment-dialog]')
      await dlg.waitFor()
      const checked = await dlg.locator('.el-checkbox.is-checked').evaluateAll((els) => els.map((e) => e.dataset.month))
      expect(JSON.stringify(checked) === JSON.stringify([LAST_MONTH, THIS_MONTH]), `ticked: ${checked}`)
      expect((await dlg.locator('[data-testid=dues-payment-total]').innerText()).includes('80.00'), 'two months, 80.00')
      await dlg.locator('[data-testid=dues-payment-method]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '微信' }).click()
      await keep(page, 'collect')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/members/${received.member_id}/dues-payments`) && r.request().method() === 'POST'),
        dlg.locator('[data-testid=dues-payment-save]').click(),
      ])
      expect(resp.status() === 201, `POST dues-payments: ${resp.status()} ${await resp.text()}`)
      await dlg.waitFor({ state: 'hidden' })
      await card.locator('[data-testid=dues-clear]').waitFor()
      const states = await gridStates(page)
      const i = (m) => Number(m.slice(5, 7)) - 1
      expect(states[i(THIS_MONTH)] === 'paid' && (LAST_MONTH.slice(0, 4) !== THIS_MONTH.slice(0, 4) || states[i(LAST_MONTH)] === 'paid'), `grid: ${states}`)
      const row = await card.locator('[data-testid=dues-payments] .el-table__row').first().innerText()
      expect(row.includes('80.00') && row.includes('微信') && row.includes(today()), row)
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await toCard()
      await keep(page, 'member-paid')
    })

    await ok('the same month twice: the paid months are closed in the dialog, and a stale page is refused with why', async () => {
      await card.locator('[data-testid=dues-collect]').click()
      const dlg = page.locator('[data-testid=dues-payment-dialog]')
      await dlg.waitFor()
      expect((await dlg.locator(`.el-checkbox.is-disabled[data-month="${THIS_MONTH}"]`).count()) === 1, 'this month is closed: 已交')
      expect(await dlg.locator('[data-testid=dues-payment-save]').isDisabled(), 'nothing left to collect')
      await dlg.locator('.el-dialog__footer .el-button', { hasText: '取消' }).click()
      await dlg.waitFor({ state: 'hidden' })

      current = stale
      const sc = stale.locator('[data-testid=member-dues]')
      await sc.locator('[data-testid=dues-collect]').click()
      const sd = stale.locator('[data-testid=dues-payment-dialog]')
      await sd.waitFor()
      const [resp] = await Promise.all([
        stale.waitForResponse((r) => r.url().endsWith(`/members/${received.member_id}/dues-payments`) && r.request().method() === 'POST'),
        sd.locator('[data-testid=dues-payment-save]').click(),
      ])
      expect(resp.status() === 409, `a month twice: ${resp.status()}`)
      const err = await sd.locator('[data-testid=dues-payment-error]').innerText()
      expect(err.includes(`${LAST_MONTH} 的党费已交纳`) || err.includes(`${THIS_MONTH} 的党费已交纳`), err)
      await sd.locator(`.el-checkbox.is-disabled[data-month="${THIS_MONTH}"]`).waitFor()
      expect(await sd.locator('[data-testid=dues-payment-save]').isDisabled(), 'the months reloaded: nothing left')
      await keep(stale, 'twice')
      await stale.close()
      current = page
    })

    await ok('the 党费 page: totals, due against paid by branch, the branch with members behind highlighted', async () => {
      const menu = page.locator('.side-menu')
      await menu.getByText('党费', { exact: true }).click()
      await page.waitForURL((u) => u.pathname === '/party/dues')
      const totals = page.locator('[data-testid=dues-summary-totals]')
      await totals.waitFor()
      await idle(page)
      const s = await county.get('/dues/summary')
      const yuan = (f) => (f / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      expect((await totals.locator('[data-count=due]').innerText()).trim() === yuan(s.due_fen), `due ${await totals.locator('[data-count=due]').innerText()} / ${yuan(s.due_fen)}`)
      expect((await totals.locator('[data-count=paid]').innerText()).trim() === yuan(s.paid_fen), 'paid')
      expect((await totals.locator('[data-count=to-act]').innerText()).trim() === `${s.to_act} 人`, 'to act')
      await page.locator('[data-testid=dues-summary-chart] canvas').waitFor()
      const row = page.locator('[data-testid=dues-summary-table] .el-table__row', { hasText: BRANCH })
      expect((await row.getAttribute('class')).includes('row-act'), 'the branch with a member six months behind is highlighted')
      expect((await row.locator('[data-testid=dues-row-act]').innerText()).includes('1 人'), await row.innerText())
      await page.waitForTimeout(800) // the chart's entry animation
      await keep(page, 'summary')
      // 党费收缴登记表 of the selected organisation and year, for those who collect (member.write).
      expect((await page.locator('[data-testid=dues-ledger-pdf]').count()) === 1, 'the PDF ledger is offered as well')
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=dues-ledger-xlsx]').click()])
      const file = download.suggestedFilename()
      expect(file.endsWith('党费收缴登记表.xlsx'), `file: ${file}`)
      const size = statSync(await download.path()).size
      expect(size > 0, `size: ${size}`)
      await page.locator('.el-message--success', { hasText: file }).waitFor()
      await page.locator('[data-testid=dues-summary-show] .el-radio-button', { hasText: '有欠缴的' }).click()
      const rows = page.locator('[data-testid=dues-summary-table] .el-table__row')
      expect((await rows.count()) === s.rows.filter((r) => r.warned || r.to_act).length, `behind: ${await rows.count()}`)
      await row.click()
      await page.waitForURL((u) => u.pathname === '/members' && u.searchParams.get('org') === String(BRANCH_ID))
    })

    await ok(`the county approves the pending proposal on ${proposed.name} from the member's page: the status changes`, async () => {
      await page.goto(`${base}/members/${proposed.member_id}`)
      const mm = page.locator('[data-testid=member-mobility]')
      await mm.waitFor()
      await idle(page)
      await mm.locator('.el-tabs__item', { hasText: '停止党籍建议' }).click()
      const decide = mm.locator('[data-testid=proposal-decide]')
      await decide.waitFor()
      await mm.evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await keep(page, 'proposal-tab')
      await decide.click()
      const dlg = page.locator('[data-testid=decision-dialog]')
      await dlg.waitFor()
      expect((await dlg.locator('.el-dialog__title').innerText()).includes('审批停止党籍建议'), 'the dialog title')
      expect((await dlg.locator('.el-date-editor input').inputValue()) === today(), 'decided today')
      await page.waitForTimeout(300)
      await keep(page, 'decision')
      await dlg.locator('[data-testid=decision-approve] .el-radio', { hasText: '不批准' }).click()
      await dlg.locator('[data-testid=decision-submit]').click()
      await dlg.locator('.el-form-item__error', { hasText: '不批准须说明理由' }).waitFor()
      await dlg.locator('[data-testid=decision-approve] .el-radio', { hasText: /^批准$/ }).click()
      await dlg.locator('[data-testid=decision-note]').fill('经市委组织部研究，同意停止其党籍。')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().includes(`/members/${proposed.member_id}/suspension-proposals/`) && r.request().method() === 'POST'),
        dlg.locator('[data-testid=decision-submit]').click(),
      ])
      expect(resp.status() === 200 || resp.status() === 201, `decision: ${resp.status()} ${await resp.text()}`)
      await dlg.waitFor({ state: 'hidden' })
      await mm.locator('[data-testid=proposal-status]', { hasText: '批准' }).waitFor()
      await mm.locator('[data-testid=mm-suspended]').waitFor()
      const status = await page.locator('.el-descriptions').innerText()
      expect(status.includes('已停止党籍') || status.includes('停止党籍'), `the member's status: ${status}`)
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await page.evaluate(() => document.querySelector('.el-main, main')?.scrollTo(0, 0))
      await keep(page, 'decided')
    })

    await ok(`${removal.name}, suspended two years, is offered 建议除名`, async () => {
      await page.goto(`${base}/members/${removal.member_id}`)
      const button = page.locator('[data-testid=mm-propose-removal]')
      await button.waitFor()
      await idle(page)
      await button.click()
      const dlg = page.locator('[data-testid=suspension-dialog]')
      await dlg.waitFor()
      expect((await dlg.locator('.el-dialog__title').innerText()).trim() === '建议除名', 'the removal dialog')
      await page.waitForTimeout(300)
      await keep(page, 'removal')
      await dlg.locator('.el-dialog__footer .el-button', { hasText: '取消' }).click()
      await dlg.waitFor({ state: 'hidden' })
    })

    await ok('the outflow ledger marks members six months away with 可建议转接, by their name', async () => {
      let due = null
      for (let p = 1; p < 30 && !due; p++) {
        const r = await county.get(`/ledgers/outflow?per_page=100&page=${p}`)
        due = r.items.find((x) => x.transfer_due)
        if (r.items.length < 100) break
      }
      expect(due, 'the demo has a member six months at one place')
      await page.goto(`${base}/mobility/ledgers/outflow`)
      await page.locator('input[name=ledger_q]').fill(due.name)
      await page.locator('.el-button', { hasText: '查询' }).click()
      const row = page.locator('.el-table__row', { has: page.locator('[data-testid=transfer-due]') }).first()
      await row.waitFor()
      await idle(page)
      const tag = row.locator('[data-testid=transfer-due]')
      const box = await tag.boundingBox()
      expect(box && box.x + box.width <= DESKTOP.width, `the tag is in view without scrolling sideways: ${JSON.stringify(box)}`)
      await tag.hover()
      await page.locator('.el-popper:visible', { hasText: '可建议将组织关系转接' }).waitFor()
      await keep(page, 'ledger-transfer')
    })

    await ok('on a phone member_demo opens 我的 → 我的党费: the monthly amount, the months and the payments', async () => {
      const mine = await (await apiLogin(base, 'member_demo')).get('/me/dues')
      const phoneCtx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      phoneCtx.setDefaultTimeout(TIMEOUT)
      const phone = await phoneCtx.newPage()
      current = phone
      watchConsole(phone, consoleErrors)
      await phone.goto(`${base}/m/login`)
      await phone.locator('[data-testid=portal-login] input[name=username]').fill('member_demo')
      await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
      await phone.locator('[data-testid=portal-login] button[type=submit]').click()
      await phone.waitForURL((u) => u.pathname.startsWith('/m/') && u.pathname !== '/m/login')
      await phone.goto(`${base}/m/me`)
      await phone.locator('[data-testid=me-dues]').click()
      await phone.waitForURL((u) => u.pathname === '/m/dues')
      await phone.locator('[data-testid=my-dues-monthly]').waitFor()
      expect((await phone.locator('[data-testid=my-dues-monthly]').innerText()).trim() === (mine.current.monthly_fen / 100).toFixed(2), 'the monthly amount')
      const states = await phone.locator('[data-testid=my-dues-grid] .cell').evaluateAll((els) => els.map((e) => e.dataset.state))
      expect(states.length === 12 && states.filter((s) => s === 'paid').length === mine.months.filter((m) => m.paid).length, `grid: ${states}`)
      expect((await phone.locator('[data-testid=my-dues-payment]').count()) === mine.payments.length, 'payments')
      const reminder = mine.unpaid.length ? '[data-testid=my-dues-reminder]' : '[data-testid=my-dues-clear]'
      await phone.locator(reminder).waitFor()
      expect(!(await phone.locator('body').innerText()).includes('排名'), 'no rankings')
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('phone'))
      await phone.evaluate(() => window.scrollTo(0, 520))
      await shot(phone, SHOT('phone-payments'))
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
  console.log(`\nscreenshots: ${SHOTS} (desktop pages also in ${TARGET_SHOTS})`)
  console.log(`${state.passed} passed, ${state.failed} failed`)
  process.exit(state.failed ? 1 : 0)
}

main()
