#!/usr/bin/env node
// End-to-end test of 先锋工程 (评选表彰) against a real `honglian serve --demo` on a fresh data dir, in
// Debian's Chromium through playwright-core. The county admin finds last year's 两优一先 awarded (7 on
// the 表彰名单, one of them 已撤销, struck through) and this year's on public notice with one open
// objection; starts a new campaign and gives the 工商联党委 a quota; the Guangzhou chamber branch
// nominates one of its members after its meeting's vote (9 of 12; a vote of 6 of 12 is refused before
// sending); each level above the branch reviews it at its own level — the 工商联党委's worker, then the
// county admin (who may not review for the level below it) — and the county starts the notice and sees
// the member on the 公示名单, which downloads as xlsx. The member's and the organisation's records show their honours (a withdrawn one marked); on a
// phone member_demo opens 我的 → 我的荣誉: last year's 优秀共产党员 and the notices with their entries.
//
//   npm run e2e:honours        (target/debug/honglian with its embedded UI)
//
// Screenshots land in e2e/screenshots/honours-*.png (the desktop pages are copied to
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
  PASSWORD,
  SHOTS,
  TIMEOUT,
  WEB,
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
const SHOT = (name) => `honours-${name}`
const TARGET_SHOTS = resolve(WEB, '..', 'target', 'screenshots')
const PHONE = { width: 375, height: 812 }
const BRANCH = '广州吴川商会党支部'
const FEDERATION = '中共吴川市工商业联合会委员会'
const COUNTY = '中共吴川市委员会'
const MEMBER = '郑婷'

/** Today in Beijing, YYYY-MM-DD (the browser runs in Asia/Shanghai). */
function today() {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
}
const THIS_YEAR = Number(today().slice(0, 4))
const LAST = `吴川市${THIS_YEAR - 1}年度“两优一先”评选表彰`
const CURRENT = `吴川市${THIS_YEAR}年度“两优一先”评选表彰`
const NEW = `吴川市${THIS_YEAR}年度非公企业优秀共产党员表彰（端到端测试）`

/** A screenshot kept in e2e/screenshots and copied to target/screenshots. */
async function keep(page, name) {
  await shot(page, SHOT(name))
  mkdirSync(TARGET_SHOTS, { recursive: true })
  copyFileSync(join(SHOTS, `${SHOT(name)}.png`), join(TARGET_SHOTS, `${SHOT(name)}.png`))
}

async function pickOrg(page, picker, name) {
  await picker.click()
  const popper = page.locator('.org-picker-popper:visible')
  await popper.locator('input[data-testid=org-picker-search]').fill(name)
  await popper.locator('.org-picker-result', { hasText: name }).first().click()
}

/** Opens a campaign from the list by its title. */
async function openCampaign(page, base, title) {
  await page.goto(`${base}/hometown/honours`)
  await page.locator('[data-testid=campaign-table] .el-table__row', { hasText: title }).first().click()
  await page.locator('[data-testid=campaign-title]', { hasText: title }).waitFor()
  await idle(page)
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-honours-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const base = server.base
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    let current = page
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await current.screenshot({ path: join(SHOTS, `honours-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    const drawer = page.locator('[data-testid=nomination-drawer]')
    const status = drawer.locator('[data-testid=nomination-drawer-status]')
    const nominationRow = (name) => page.locator('[data-testid=nomination-table] .el-table__row', { hasText: name })
    const publishedRows = page.locator('[data-testid=published-table] .el-table__body tr')

    await ok('the county admin opens 先锋工程 from the 回乡工程 menu: last year awarded, this year on notice', async () => {
      await loginOk(page, base, 'wuchuan_admin')
      const menu = page.locator('.side-menu')
      if (!(await menu.getByText('先锋工程', { exact: true }).isVisible())) await menu.getByText('回乡工程', { exact: true }).click()
      await menu.getByText('先锋工程', { exact: true }).click()
      await page.waitForURL((u) => u.pathname === '/hometown/honours')
      const rows = page.locator('[data-testid=campaign-table] .el-table__row')
      await rows.first().waitFor()
      const last = await rows.filter({ hasText: LAST }).innerText()
      expect(last.includes('已表彰') && last.includes(COUNTY), `last year: ${last}`)
      const cur = await rows.filter({ hasText: CURRENT }).innerText()
      expect(cur.includes('公示中') && /公示中，至 \d{4}-\d{2}-\d{2}|公示期满/.test(cur), `this year: ${cur}`)
      expect((await page.locator('[data-testid=notice-days-open]').innerText()).includes('5 个工作日'), 'the days of notice are shown to the county admin')
      await idle(page)
      await keep(page, 'list')
    })

    await ok("last year's 表彰名单 lists 7, one 已撤销 and struck through", async () => {
      await openCampaign(page, base, LAST)
      await page.locator('[data-testid=campaign-detail-status]', { hasText: '已表彰' }).waitFor()
      await publishedRows.first().waitFor()
      expect((await publishedRows.count()) === 7, `published: ${await publishedRows.count()}`)
      const withdrawn = publishedRows.filter({ has: page.locator('[data-testid=published-status]', { hasText: '已撤销' }) })
      expect((await withdrawn.count()) === 1, `withdrawn: ${await withdrawn.count()}`)
      const decoration = await withdrawn.locator('[data-testid=published-name]').evaluate((el) => getComputedStyle(el).textDecorationLine)
      expect(decoration.includes('line-through'), `the withdrawn name is ${decoration}`)
      const head = await page.locator('[data-testid=published-list] .head').innerText()
      expect(head.includes('表彰名单') && head.includes('其中 1 项已撤销'), head)
      expect((await page.locator('[data-testid=award-open]').count()) === 0 && (await page.locator('[data-testid=notice-start]').count()) === 0, 'nothing left to do')
      await idle(page)
      await keep(page, 'awarded')
    })

    await ok("this year's campaign is on notice with 1 open objection, shown in the nomination's drawer", async () => {
      await openCampaign(page, base, CURRENT)
      await page.locator('[data-testid=campaign-detail-status]', { hasText: '公示中' }).waitFor()
      expect((await page.locator('[data-testid=campaign-open-objections]').innerText()).includes('1 条异议待处理'), 'one open objection')
      expect((await page.locator('[data-testid=campaign-notice]').innerText()).startsWith('公示期 '), await page.locator('[data-testid=campaign-notice]').innerText())
      expect((await page.locator('[data-testid=award-open]').count()) === 1, 'the award is offered during the notice')
      await page.locator('.el-tabs__item', { hasText: '推荐名单' }).click()
      await nominationRow('谢刚').click()
      await status.filter({ hasText: '公示中' }).waitFor()
      const o = drawer.locator('[data-testid=honour-objection]')
      await o.first().waitFor()
      expect((await o.count()) === 1 && (await o.locator('[data-testid=honour-objection-state]').innerText()).trim() === '待处理', 'the open objection')
      expect((await o.locator('[data-testid=honour-objection-handle]').count()) === 1, 'the county may handle it')
      expect((await drawer.locator('[data-testid=honour-objection-new]').count()) === 1, 'the county may record another')
      const items = await drawer.locator('[data-testid=nomination-timeline] .el-timeline-item').allInnerTexts()
      expect(items.some((t) => t.includes(`${FEDERATION}审核：通过`)) && items.some((t) => t.includes(`${COUNTY}审核：通过`)), items.join(' | '))
      expect((await drawer.locator('[data-testid=nomination-votes]').innerText()).trim() === '赞成 11 / 13', 'votes')
      await idle(page)
      await drawer.locator('.el-drawer__body').evaluate((el) => el.scrollTo(0, 0))
      await keep(page, 'campaign-drawer')
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
    })

    await ok('starts a new campaign from the county (两优一先 by default) and gives the 工商联党委 3 places', async () => {
      await page.goto(`${base}/hometown/honours`)
      await page.locator('[data-testid=campaign-new]').click()
      const dlg = page.locator('[data-testid=campaign-form]')
      await dlg.waitFor()
      await page.waitForFunction((county) => [...document.querySelectorAll('[data-testid=campaign-form] [data-testid=org-picker] input')].some((i) => i.value === county), COUNTY)
      const honours = await dlg.locator('[data-testid=campaign-honours] input').evaluateAll((els) => els.map((e) => e.value))
      expect(honours.includes('优秀共产党员') && honours.includes('先进基层党组织'), `honours: ${honours}`)
      await dlg.locator('[data-testid=campaign-title-input]').fill(NEW)
      await keep(page, 'new-campaign')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/honour-campaigns') && r.request().method() === 'POST'),
        dlg.locator('[data-testid=campaign-save]').click(),
      ])
      expect(resp.status() === 201, `POST /honour-campaigns: ${resp.status()} ${await resp.text()}`)
      await page.locator('[data-testid=campaign-title]', { hasText: NEW }).waitFor()
      await page.locator('[data-testid=campaign-detail-status]', { hasText: '推荐审核中' }).waitFor()
      await page.locator('[data-testid=quota-open]').click()
      const q = page.locator('[data-testid=quota-form]')
      await q.waitFor()
      await pickOrg(page, q.locator('[data-testid=org-picker]').first(), FEDERATION)
      await q.locator('[data-testid=quota-count] input').fill('3')
      await q.locator('[data-testid=quota-save]').click()
      await q.waitFor({ state: 'hidden' })
      const quota = page.locator('[data-testid=campaign-quotas] [data-testid=quota]')
      await quota.first().waitFor()
      const text = await quota.first().innerText()
      expect(text.includes('优秀共产党员') && text.includes(FEDERATION) && text.includes('已用 0 / 3'), text)
    })

    await ok(`the Guangzhou branch nominates ${MEMBER} after its meeting's vote (9 of 12; 6 of 12 refused)`, async () => {
      await logout(page)
      await loginOk(page, base, 'gz_branch')
      await page.goto(`${base}/hometown/honours`)
      const row = page.locator('[data-testid=campaign-table] .el-table__row', { hasText: NEW })
      await row.waitFor()
      expect((await row.innerText()).includes('可推荐'), await row.innerText())
      await row.click()
      await page.locator('[data-testid=campaign-title]', { hasText: NEW }).waitFor()
      expect((await page.locator('[data-testid=quota-open]').count()) === 0, 'the branch does not set quotas')
      await page.locator('[data-testid=nomination-new]').click()
      const dlg = page.locator('[data-testid=nomination-form]')
      await dlg.waitFor()
      // Screen 1 of 1: the honour (优秀共产党员 first), the branch (its own, prefilled), the member, the deeds, the meeting.
      await dlg.locator('[data-testid=nomination-honour] .el-radio-button', { hasText: '优秀共产党员' }).click()
      await page.waitForFunction((branch) => [...document.querySelectorAll('[data-testid=nomination-form] [data-testid=org-picker] input')].some((i) => i.value === branch), BRANCH)
      expect((await dlg.locator('[data-testid=nomination-quota]').innerText()).includes('已用 0 / 3'), 'the quota left is shown')
      await dlg.locator('[data-testid=member-picker] input').fill(MEMBER)
      await page.locator('.member-picker-popper:visible .el-select-dropdown__item', { hasText: MEMBER }).first().click()
      await dlg.locator('[data-testid=nomination-deeds-input]').fill('带领商会党员开展“红链”服务，协调 5 家在穗企业回乡考察，促成 2 个项目签约落地。')
      const day = dlg.locator('input[name=nomination-discussed-on]')
      await day.click()
      await day.fill(today())
      await day.press('Enter')
      await dlg.locator('.el-dialog__title').click()
      await dlg.locator('[data-testid=nomination-votes-for] input').fill('6')
      await dlg.locator('[data-testid=nomination-votes-total] input').fill('12')
      await dlg.locator('[data-testid=nomination-save]').click()
      await dlg.locator('.el-form-item__error', { hasText: '未超过参加表决的 12 人的半数' }).waitFor()
      await dlg.locator('[data-testid=nomination-votes-for] input').fill('9')
      await dlg.locator('[data-testid=nomination-votes-total] input').click()
      await keep(page, 'nominate')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/honour-nominations') && r.request().method() === 'POST'),
        dlg.locator('[data-testid=nomination-save]').click(),
      ])
      expect(resp.status() === 201, `POST /honour-nominations: ${resp.status()} ${await resp.text()}`)
      await dlg.waitFor({ state: 'hidden' })
      await status.filter({ hasText: '逐级审核中' }).waitFor()
      expect((await drawer.locator('[data-testid=nomination-drawer-waiting]').innerText()).trim() === `待${FEDERATION}审核`, 'waits at the 工商联党委')
      expect((await drawer.locator('[data-testid=nomination-votes]').innerText()).trim() === '赞成 9 / 12', 'votes')
      expect((await drawer.locator('[data-testid=nomination-review]').count()) === 0, 'the branch does not review its own nomination')
      expect((await drawer.locator('[data-testid=nomination-withdraw]').innerText()).trim() === '撤回推荐', 'the branch may withdraw it')
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
      const r = nominationRow(MEMBER)
      await r.waitFor()
      expect((await r.innerText()).includes('赞成 9 / 12') && (await r.innerText()).includes(BRANCH), await r.innerText())
      await page.locator('[data-testid=quota-used]', { hasText: '已用 1 / 3' }).waitFor()
    })

    /** Reviews the open drawer's nomination at `level` (passed, with a note). */
    const reviewAt = async (level, note) => {
      const review = drawer.locator('[data-testid=nomination-review]')
      await review.locator('.el-card__header', { hasText: level }).waitFor()
      expect((await review.locator('input[name=nomination-review-on]').inputValue()) === today(), 'reviewed today by default')
      await review.locator('[data-testid=nomination-review-note]').fill(note)
      await review.locator('[data-testid=nomination-review-submit]').click()
    }

    await ok('the 工商联党委 reviews it at its own level (a refusal wants a reason); the county cannot review for it', async () => {
      await logout(page)
      await loginOk(page, base, 'wuchuan_admin')
      await openCampaign(page, base, NEW)
      await nominationRow(MEMBER).click()
      await drawer.locator('[data-testid=nomination-drawer-waiting]', { hasText: `待${FEDERATION}审核` }).waitFor()
      expect((await drawer.locator('[data-testid=nomination-review]').count()) === 0, 'the county does not review for the level below it')
      await page.keyboard.press('Escape')
      await logout(page)
      await loginOk(page, base, 'gsl_admin')
      await openCampaign(page, base, NEW)
      const r = nominationRow(MEMBER)
      expect((await r.innerText()).includes('待我审核'), await r.innerText())
      await r.click()
      const review = drawer.locator('[data-testid=nomination-review]')
      await review.locator('.el-card__header', { hasText: FEDERATION }).waitFor()
      await review.locator('[data-testid=nomination-review-pass] .el-radio-button', { hasText: '不通过' }).click()
      await review.locator('[data-testid=nomination-review-submit]').click()
      await review.locator('.el-form-item__error', { hasText: '不通过须说明理由' }).waitFor()
      await review.locator('[data-testid=nomination-review-pass] .el-radio-button', { hasText: /^通过$/ }).click()
      await keep(page, 'review')
      await reviewAt(FEDERATION, '经工商联党委会议研究，同意推荐。')
      await drawer.locator('[data-testid=nomination-drawer-waiting]', { hasText: `待${COUNTY}审核` }).waitFor()
      expect((await drawer.locator('[data-testid=nomination-review]').count()) === 0, 'the 工商联党委 does not review for the county')
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
    })

    await ok('the county admin reviews it at the 市委 level: 待公示, both levels on the timeline', async () => {
      await logout(page)
      await loginOk(page, base, 'wuchuan_admin')
      await openCampaign(page, base, NEW)
      const r = nominationRow(MEMBER)
      expect((await r.innerText()).includes('待我审核'), await r.innerText())
      await r.click()
      await reviewAt(COUNTY, '经市委组织部审核，同意推荐。')
      await status.filter({ hasText: '待公示' }).waitFor()
      expect((await drawer.locator('[data-testid=nomination-review]').count()) === 0, 'no level left to review')
      const items = await drawer.locator('[data-testid=nomination-timeline] .el-timeline-item').allInnerTexts()
      expect(items.length === 3 && items[1].includes(`${FEDERATION}审核：通过`) && items[2].includes(`${COUNTY}审核：通过`) && items[2].includes('同意推荐'), items.join(' | '))
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
    })

    await ok(`starts the public notice: ${MEMBER} is on the 公示名单, which downloads as xlsx`, async () => {
      await nominationRow(MEMBER).locator('[data-testid=nomination-status]', { hasText: '待公示' }).waitFor()
      await page.locator('[data-testid=notice-start]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator('[data-testid=campaign-detail-status]', { hasText: '公示中' }).waitFor()
      expect((await page.locator('[data-testid=campaign-notice]').innerText()).includes(`公示期 ${today()} 至`), await page.locator('[data-testid=campaign-notice]').innerText())
      await page.locator('.el-tabs__item', { hasText: '公示名单' }).click()
      const row = publishedRows.filter({ hasText: MEMBER })
      await row.waitFor()
      const text = await row.innerText()
      expect(text.includes('优秀共产党员') && text.includes(BRANCH) && text.includes('公示中'), text)
      expect((await page.locator('[data-testid=quota-open]').count()) === 0, 'quotas are fixed once on notice')
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=list-xlsx]').click()])
      expect(download.suggestedFilename().endsWith('.xlsx') && download.suggestedFilename().includes('公示'), `file: ${download.suggestedFilename()}`)
      await idle(page)
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await keep(page, 'campaign')
    })

    await ok("the members' and the organisation's records show their honours, a withdrawn one marked with why", async () => {
      await page.goto(`${base}/members/1`)
      const records = page.locator('[data-testid=honour-records]')
      await records.locator('[data-testid=honour-record-name]', { hasText: '优秀共产党员' }).waitFor()
      expect((await records.innerText()).includes(LAST), await records.innerText())
      await records.scrollIntoViewIfNeeded()
      await idle(page)
      await keep(page, 'member')
      const withdrawnMember = await (await page.request.get(`${base}/api/v1/honour-campaigns`)).json()
      expect(withdrawnMember.items.length >= 3, 'campaigns listed')
      const detail = await (await page.request.get(`${base}/api/v1/honour-campaigns/${withdrawnMember.items.find((c) => c.title === LAST).id}`)).json()
      const gone = detail.nominations.find((n) => n.status === 'withdrawn')
      await page.goto(`${base}/members/${gone.nominee.member_id}`)
      await records.locator('[data-testid=honour-record-withdrawn]').waitFor()
      const reason = await records.locator('[data-testid=honour-record-reason]').innerText()
      expect(reason.includes('撤销：') && reason.includes(gone.withdraw_reason), reason)
      await page.goto(`${base}/orgs?id=3`)
      await page.locator('[data-testid=org-detail-name]', { hasText: BRANCH }).waitFor()
      await records.locator('[data-testid=honour-record-name]', { hasText: '先进基层党组织' }).waitFor()
      await records.scrollIntoViewIfNeeded()
      await idle(page)
      await keep(page, 'org')
    })

    await ok('on a phone member_demo opens 我的 → 我的荣誉: last year\'s 优秀共产党员 and the notices with their entries', async () => {
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
      await phone.locator('[data-testid=me-honours]').click()
      await phone.waitForURL((u) => u.pathname === '/m/honours')
      const mine = phone.locator('[data-testid=my-honour]')
      await mine.first().waitFor()
      const first = await mine.first().innerText()
      expect(first.includes('优秀共产党员') && first.includes(`${THIS_YEAR - 1} 年度`) && first.includes(COUNTY), first)
      const notices = phone.locator('[data-testid=honour-notice]')
      await notices.first().waitFor()
      const cur = notices.filter({ hasText: CURRENT })
      expect((await cur.count()) === 1, 'this year\'s notice')
      const entries = await cur.locator('[data-testid=honour-notice-entry]').allInnerTexts()
      expect(entries.length === 6 && entries.some((e) => e.includes('谢刚') && e.includes(BRANCH)), entries.join(' | '))
      expect((await notices.filter({ hasText: NEW }).locator('[data-testid=honour-notice-entry]', { hasText: MEMBER }).count()) === 1, 'the new notice lists the member')
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('phone'))
      await phone.evaluate(() => window.scrollTo(0, 480))
      await shot(phone, SHOT('phone-notices'))
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
