#!/usr/bin/env node
// End-to-end test of 组织关系转接 against a real `honglian serve --demo` on a fresh data dir, in
// Debian's Chromium through playwright-core. The Guangzhou chamber branch opens 组织关系转接 from the
// menu: 转入 (the default tab, its badge the summary's waiting_in) lists the demo's request from a
// Wuchuan home branch, 待接收; 接收 asks to confirm and the row turns 已接收. On 转出, 只看回执逾期
// lists the demo's letter to 中共广州市天河区委组织部 with a red 回执逾期 tag and the day it was due;
// its 介绍信 downloads as a PDF whose text has the title 中国共产党党员组织关系介绍信, the 回执 and the
// member's name; 登记回执 (today by default) makes it 已回执. 开具介绍信 for a member previews the
// validity and the receipt's day, lists the letter 待回执 with its number, and 撤销 voids it. 登记转入介绍信: a wrong ID number is
// refused under its field in Chinese, a valid one registers the member and a 已登记转入 row appears on
// 转入, its 回执 a PDF. The accepted member's page lists the transfer under 转接记录 and requests a
// transfer from there (the member preselected, the destination searched by name), shown 待接收. The
// page fits a phone's width.
//
//   npm run e2e:transfers                    (target/debug/honglian with its embedded UI)
//   E2E_SERVE_DIST=1 npm run e2e:transfers   (this web/dist in front of the binary)
//
// Screenshots land in e2e/screenshots/transfers-*.png (the desktop pages are copied to
// target/screenshots/ as well). The last line is "N passed, M failed"; the exit code is non-zero
// when anything failed.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import {
  BIN,
  CHROMIUM,
  CHROMIUM_ARGS,
  DESKTOP,
  PHONE,
  SHOTS,
  TIMEOUT,
  WEB,
  apiLogin,
  createRunner,
  expect,
  idle,
  loginOk,
  noHorizontalOverflow,
  shot,
  startServer,
  watchConsole,
} from './lib-activities.mjs'
import { pdfText } from './pdf-text.mjs'

const { state, step } = createRunner()
const SHOT = (name) => `transfers-${name}`
const TARGET_SHOTS = resolve(WEB, '..', 'target', 'screenshots')
const BRANCH = '广州吴川商会党支部'
const TIANHE = '中共广州市天河区委组织部'
const LETTER_TITLE = '中国共产党党员组织关系介绍信'

/** Today in Beijing, YYYY-MM-DD (the browser runs in Asia/Shanghai). */
function today() {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
}
function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}
const flat = (s) => s.replace(/\s+/g, '')

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
/** GB 11643 check digit of the first 17 digits. */
function idWithCheckDigit(first17) {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0)
  return first17 + '10X98765432'[sum % 11]
}

/** A screenshot kept in e2e/screenshots and copied to target/screenshots. */
async function keep(page, name) {
  await shot(page, SHOT(name))
  mkdirSync(TARGET_SHOTS, { recursive: true })
  copyFileSync(join(SHOTS, `${SHOT(name)}.png`), join(TARGET_SHOTS, `${SHOT(name)}.png`))
}

/** Types a value into an Element Plus date picker found by its input's name, and closes the picker. */
async function pickDay(page, scope, name, value) {
  const input = scope.locator(`input[name=${name}]`)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await scope.locator('.el-dialog__title').click()
  await page.locator('.el-picker__popper:visible').waitFor({ state: 'hidden' }).catch(() => {})
  expect((await input.inputValue()) === value, `${name}: ${await input.inputValue()} / ${value}`)
}

/** The downloaded file of a click, with its response. */
async function download(page, url, click) {
  const [resp, dl] = await Promise.all([page.waitForResponse((r) => r.url().includes(url)), page.waitForEvent('download'), click()])
  expect(resp.status() === 200, `${url}: ${resp.status()}`)
  expect((resp.headers()['content-type'] ?? '').startsWith('application/pdf'), `${url}: ${resp.headers()['content-type']}`)
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) }
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-transfers-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const base = server.base
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)

    // The demo's transfers, found over the API: a request to the branch from a Wuchuan home branch,
    // an overdue letter from it to 天河.
    const gzApi = await apiLogin(base, 'gz_branch')
    const summary = await gzApi.get('/transfers/summary')
    const waiting = (await gzApi.get('/transfers?direction=in&status=requested&per_page=100')).items.filter((t) => t.kind === 'within' && t.can_accept)
    const incoming = waiting.find((t) => t.from_org_id != null && t.member_id != null)
    expect(incoming, `the demo has a request to ${BRANCH}: ${JSON.stringify(waiting)}`)
    expect(incoming.to_name === BRANCH && incoming.status_label === '待接收', `the request: ${JSON.stringify(incoming)}`)
    expect(summary.waiting_in === waiting.length, `waiting_in ${summary.waiting_in} / ${waiting.length} requests`)
    const overdueList = await gzApi.get('/transfers?direction=out&overdue=true&per_page=100')
    const letter = overdueList.items.find((t) => t.kind === 'letter_out' && t.to_name === TIANHE)
    expect(letter, `the demo has an overdue letter to ${TIANHE}: ${JSON.stringify(overdueList.items)}`)
    expect(letter.overdue && letter.status === 'issued' && letter.receipt_due_on < today() && letter.can_receipt && letter.can_print, `the letter: ${JSON.stringify(letter)}`)
    expect(overdueList.items.every((t) => t.overdue), 'overdue=true lists overdue letters only')
    expect(summary.letters_overdue === overdueList.total, `letters_overdue ${summary.letters_overdue} / ${overdueList.total}`)

    // A member of the branch with nothing in flight, for a new letter.
    let letterMember = null
    for (const m of (await gzApi.get('/members?org=3&status=normal&per_page=50')).items) {
      const mine = await gzApi.get(`/transfers?direction=all&member_id=${m.id}`)
      if (mine.items.every((t) => t.status !== 'requested' && t.status !== 'issued') && m.id !== incoming.member_id) {
        letterMember = m
        break
      }
    }
    expect(letterMember, 'a member of the branch with no transfer in flight')

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    let current = page
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await current.screenshot({ path: join(SHOTS, `transfers-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    const table = page.locator('[data-testid=transfer-table]')
    const rows = table.locator('.el-table__body-wrapper .el-table__row')
    const actionsOf = (name) => rows.filter({ hasText: name })
    const badge = (side) => page.locator(`[data-testid=transfer-count-${side}]`)

    await ok(`the branch opens 组织关系转接 from the menu: 转入 with its badge (${summary.waiting_in}), the rule, ${incoming.member_name}'s request from ${incoming.from_name}`, async () => {
      await loginOk(page, base, 'gz_branch')
      await page.locator('.side-menu').getByText('组织关系转接', { exact: true }).click()
      await page.waitForURL((u) => u.pathname === '/party/transfers')
      await rows.first().waitFor()
      await idle(page)
      expect((await page.locator('[data-testid=transfer-tabs] .el-tabs__item.is-active').innerText()).includes('转入'), '转入 is the first tab')
      expect((await badge('in').innerText()).trim() === String(summary.waiting_in), `转入 badge: ${await badge('in').innerText()}`)
      const rule = await page.locator('[data-testid=transfer-rule]').innerText()
      expect(rule.includes('转出方在对方接收前仍负责管理该党员') && rule.includes('一个月内寄回'), rule)
      const row = rows.filter({ hasText: incoming.member_name })
      expect((await row.count()) >= 1, `${incoming.member_name} is listed`)
      const text = await row.first().innerText()
      expect(text.includes(incoming.from_name) && text.includes(BRANCH) && text.includes('待接收') && text.includes(incoming.kind_label), text)
      await actionsOf(incoming.member_name).locator('[data-testid=transfer-accept]').first().waitFor()
      await keep(page, 'in')
    })

    await ok(`接收 asks to confirm; confirmed, ${incoming.member_name}'s row turns 已接收 and the badge counts one less`, async () => {
      await actionsOf(incoming.member_name).locator('[data-testid=transfer-accept]').first().click()
      const box = page.locator('.el-message-box')
      await box.waitFor()
      const said = await box.innerText()
      expect(said.includes(incoming.member_name) && said.includes(BRANCH), said)
      await keep(page, 'accept-confirm')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/transfers/${incoming.id}/accept`) && r.request().method() === 'POST'),
        box.locator('.el-button--primary', { hasText: '接收' }).click(),
      ])
      expect(resp.ok(), `accept: ${resp.status()} ${await resp.text()}`)
      expect((await resp.json()).status === 'accepted', 'accepted')
      const row = rows.filter({ hasText: incoming.member_name }).first()
      await page.waitForFunction(
        (name) => [...document.querySelectorAll('[data-testid=transfer-table] .el-table__body-wrapper .el-table__row')].some((r) => r.textContent.includes(name) && r.textContent.includes('已接收')),
        incoming.member_name,
      )
      expect((await row.locator('[data-testid=transfer-row-status]').innerText()).trim() === '已接收', 'status 已接收')
      expect((await row.locator('[data-testid=transfer-row-member]').evaluate((el) => el.tagName)) === 'A', 'the member is now ours: a link to their page')
      if (summary.waiting_in > 1) await page.waitForFunction((n) => document.querySelector('[data-testid=transfer-count-in]')?.textContent.trim() === String(n), summary.waiting_in - 1)
      else await badge('in').waitFor({ state: 'detached' })
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await keep(page, 'accepted')
    })

    await ok(`转出 with 只看回执逾期: the letter to ${TIANHE} with a red 回执逾期 tag and the day it was due`, async () => {
      await page.locator('[data-testid=transfer-tab-out]').click()
      await page.waitForURL((u) => u.searchParams.get('direction') === 'out')
      await idle(page)
      const sw = page.locator('[data-testid=transfer-overdue-switch]')
      expect((await sw.innerText()).includes(`只看回执逾期（${summary.letters_overdue}）`), await sw.innerText())
      const [resp] = await Promise.all([page.waitForResponse((r) => r.url().includes('/api/v1/transfers?') && r.url().includes('overdue=true')), sw.click()])
      const body = await resp.json()
      await idle(page)
      expect(new URL(resp.url()).searchParams.get('direction') === 'out', resp.url())
      expect((await rows.count()) === Math.min(body.items.length, 20) && body.items.length === overdueList.items.length, `rows ${await rows.count()} / ${overdueList.items.length}`)
      expect(new URL(page.url()).searchParams.get('overdue') === 'true', 'the filter is kept in the address')
      const row = rows.filter({ hasText: TIANHE }).filter({ hasText: letter.member_name }).first()
      const tag = row.locator('[data-testid=transfer-row-overdue]')
      expect((await tag.innerText()).trim() === '回执逾期', 'the tag')
      const bg = await tag.evaluate((el) => getComputedStyle(el).backgroundColor)
      expect(/rgb\((2[0-9]{2}), ([0-9]{2,3}), ([0-9]{2,3})\)/.test(bg) && bg !== 'rgb(255, 255, 255)', `red: ${bg}`)
      expect((await row.locator('[data-testid=transfer-row-due]').innerText()).includes(letter.receipt_due_on), 'the due day')
      expect((await row.locator('[data-testid=transfer-row-status]').innerText()).trim() === '待回执', 'status 待回执')
      if (letter.letter_no) expect((await row.locator('[data-testid=transfer-row-letter-no]').innerText()).trim() === letter.letter_no, 'the letter number')
      expect((await row.innerText()).includes(letter.kind_label), 'the kind')
      await keep(page, 'overdue')
    })

    await ok(`${letter.member_name}'s 介绍信 downloads as a PDF with the title, the 回执 and the member's name`, async () => {
      const { name, bytes } = await download(page, `/transfers/${letter.id}/letter.pdf`, () =>
        actionsOf(letter.member_name).filter({ hasText: '下载介绍信' }).locator('[data-testid=transfer-letter-pdf]').first().click(),
      )
      expect(name.endsWith('.pdf'), `file: ${name}`)
      expect(bytes.subarray(0, 5).toString() === '%PDF-' && bytes.length > 2000, `a PDF of ${bytes.length} bytes`)
      const text = pdfText(bytes)
      const t = flat(text)
      expect(t.includes(LETTER_TITLE), `title in: ${text.slice(0, 600)}`)
      expect(t.includes('回执'), `回执 in: ${text.slice(0, 600)}`)
      expect(t.includes(flat(letter.member_name)), `the member's name in: ${text.slice(0, 600)}`)
      expect(t.includes(flat(TIANHE)), `the receiving organisation in: ${text.slice(0, 600)}`)
      console.log(`    (${name}: ${bytes.length} bytes, ${text.split('\n').length} lines of text)`)
      await page.locator('.el-message--success', { hasText: name }).waitFor()
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
    })

    await ok('登记回执: today by default; saved, the letter leaves the overdue list and reads 已回执', async () => {
      await actionsOf(letter.member_name).locator('[data-testid=transfer-receipt]').first().click()
      const dlg = page.locator('[data-testid=transfer-receipt-dialog]')
      await dlg.waitFor()
      expect((await dlg.locator('input[name=transfer-receipt-on]').inputValue()) === today(), 'today by default')
      expect((await dlg.innerText()).includes(TIANHE), 'the dialog names who sent it back')
      await keep(page, 'receipt-dialog')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/transfers/${letter.id}/receipt`) && r.request().method() === 'POST'),
        dlg.locator('[data-testid=transfer-receipt-save]').click(),
      ])
      expect(resp.ok(), `receipt: ${resp.status()} ${await resp.text()}`)
      const saved = await resp.json()
      expect(saved.status === 'returned' && saved.receipt_on === today() && !saved.overdue, JSON.stringify(saved))
      await dlg.waitFor({ state: 'hidden' })
      await page.waitForFunction(
        ([name, to]) => ![...document.querySelectorAll('[data-testid=transfer-table] .el-table__body-wrapper .el-table__row')].some((r) => r.textContent.includes(name) && r.textContent.includes(to)),
        [letter.member_name, TIANHE],
      )
      await page.locator('[data-testid=transfer-overdue-switch]').click()
      await page.waitForURL((u) => !u.searchParams.get('overdue'))
      const row = rows.filter({ hasText: TIANHE }).filter({ hasText: letter.member_name }).first()
      await row.waitFor()
      await idle(page)
      expect((await row.locator('[data-testid=transfer-row-status]').innerText()).trim() === '已回执', 'status 已回执')
      expect((await row.locator('[data-testid=transfer-row-overdue]').count()) === 0, 'no longer overdue')
      expect((await row.innerText()).includes(`${today()} 回执`), 'the receipt day under the date')
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await keep(page, 'out')
    })

    await ok(`开具介绍信 for ${letterMember.name}: the dates previewed as typed; saved, 待回执 with its number on 转出; 撤销 voids it`, async () => {
      await page.locator('[data-testid=transfer-letter-open]').click()
      const dlg = page.locator('[data-testid=transfer-letter-dialog]')
      await dlg.waitFor()
      expect((await dlg.locator('input[name=transfer-letter-issued-on]').inputValue()) === today(), 'issued today by default')
      expect((await dlg.locator('[data-testid=transfer-letter-days] input').inputValue()) === '30', '30 days by default')
      await dlg.locator('[data-testid=member-picker]').click()
      await page.keyboard.type(letterMember.name)
      const option = page.locator('.member-picker-popper:visible .el-select-dropdown__item', { hasText: letterMember.name }).first()
      await option.waitFor()
      await option.click()
      await dlg.locator('[data-testid=transfer-letter-to]').fill('中共深圳市南山区委组织部')
      await dlg.locator('[data-testid=transfer-letter-destination]').fill('深圳市南山区粤海街道')
      const dates = await dlg.locator('[data-testid=transfer-letter-dates]').innerText()
      expect(dates.includes(`有效期至 ${addDays(today(), 29)}`), dates)
      await keep(page, 'letter-dialog')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/transfers/letters') && r.request().method() === 'POST'),
        dlg.locator('[data-testid=transfer-letter-save]').click(),
      ])
      expect(resp.status() === 201 || resp.status() === 200, `letter: ${resp.status()} ${await resp.text()}`)
      const made = await resp.json()
      expect(made.kind === 'letter_out' && made.status === 'issued' && made.letter_no && made.valid_until === addDays(today(), 29) && !made.overdue, JSON.stringify(made))
      expect(dates.includes(`回执应于 ${made.receipt_due_on} 前寄回`), `the preview's receipt day: ${dates} / ${made.receipt_due_on}`)
      await dlg.waitFor({ state: 'hidden' })
      const row = rows.filter({ hasText: letterMember.name }).filter({ hasText: '中共深圳市南山区委组织部' }).first()
      await row.waitFor()
      await idle(page)
      expect((await row.locator('[data-testid=transfer-row-status]').innerText()).trim() === '待回执', 'status 待回执')
      expect((await row.locator('[data-testid=transfer-row-letter-no]').innerText()).trim() === made.letter_no, 'its number')
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await row.locator('[data-testid=transfer-cancel]').click()
      const reason = page.locator('[data-testid=transfer-reason-dialog]')
      await reason.waitFor()
      expect((await reason.locator('[data-testid=transfer-reason-intro]').innerText()).includes('作废'), 'voiding a letter is said so')
      await reason.locator('[data-testid=transfer-reason]').fill('党员暂缓转出')
      const [r2] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/transfers/${made.id}/cancel`) && r.request().method() === 'POST'),
        reason.locator('[data-testid=transfer-reason-save]').click(),
      ])
      expect(r2.ok() && (await r2.json()).status === 'cancelled', `cancel: ${r2.status()}`)
      await reason.waitFor({ state: 'hidden' })
      await page.waitForFunction(
        (name) => [...document.querySelectorAll('[data-testid=transfer-table] .el-table__body-wrapper .el-table__row')].some((r) => r.textContent.includes(name) && r.textContent.includes('已撤销')),
        letterMember.name,
      )
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
    })

    const incomingName = '林晓雯'
    const good = idWithCheckDigit('44010619920315124')
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const letterNo = '穗海组转字〔2026〕第118号'
    await ok('登记转入介绍信: a wrong ID number is refused under its field in Chinese; a valid one registers the member, 已登记转入 on 转入', async () => {
      await page.locator('[data-testid=transfer-incoming-open]').click()
      const dlg = page.locator('[data-testid=transfer-incoming-dialog]')
      await dlg.waitFor()
      // The picker names the organisation once it has looked it up.
      await page.waitForFunction(
        (name) => document.querySelector('[data-testid=transfer-incoming-dialog] [data-testid=org-picker] input')?.value.includes(name),
        BRANCH,
        { timeout: 5000 },
      ).catch(() => {})
      expect((await dlg.locator('[data-testid=org-picker] input').inputValue()).includes(BRANCH), 'the branch preselected')
      await dlg.locator('[data-testid=transfer-incoming-letter-no]').fill(letterNo)
      await dlg.locator('[data-testid=transfer-incoming-from]').fill('中共广州市海珠区委组织部')
      await pickDay(page, dlg, 'transfer-incoming-issued-on', addDays(today(), -5))
      const duesMonth = addDays(today(), -40).slice(0, 7)
      await pickDay(page, dlg, 'transfer-incoming-dues', `${duesMonth.slice(0, 4)}年${Number(duesMonth.slice(5))}月`)
      await dlg.locator('[data-testid=transfer-incoming-name]').fill(incomingName)
      await dlg.locator('[data-testid=transfer-incoming-id-number]').fill(bad)
      await dlg.locator('[data-testid=transfer-incoming-gender] .el-radio', { hasText: '女' }).click()
      await pickDay(page, dlg, 'transfer-incoming-joined-on', '2016-07-01')
      await pickDay(page, dlg, 'transfer-incoming-full-on', '2017-07-01')
      await dlg.locator('[data-testid=transfer-incoming-occupation]').fill('教师')
      const [r1] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/transfers/incoming') && r.request().method() === 'POST'),
        dlg.locator('[data-testid=transfer-incoming-save]').click(),
      ])
      expect(r1.status() === 422, `a wrong ID: ${r1.status()} ${await r1.text()}`)
      const sent = r1.request().postDataJSON()
      expect(sent.dues_paid_to === duesMonth && sent.member.gender === 'female' && sent.member.category === 'full', `sent: ${JSON.stringify(sent)}`)
      const err = await dlg.locator('.el-form-item', { has: page.locator('[data-testid=transfer-incoming-id-number]') }).locator('.el-form-item__error').innerText()
      expect(/[一-龥]/.test(err) && (err.includes('校验码') || err.includes('身份证')), `the field's error: ${err}`)
      expect(await dlg.isVisible(), 'the dialog stays open')
      await dlg.locator('[data-testid=transfer-incoming-id-number]').evaluate((el) => el.scrollIntoView({ block: 'center' }))
      await keep(page, 'incoming-error')
      await dlg.locator('[data-testid=transfer-incoming-id-number]').fill(good)
      const [r2] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/transfers/incoming') && r.request().method() === 'POST'),
        dlg.locator('[data-testid=transfer-incoming-save]').click(),
      ])
      expect(r2.status() === 201 || r2.status() === 200, `registered: ${r2.status()} ${await r2.text()}`)
      const created = await r2.json()
      expect(created.kind === 'letter_in' && created.status === 'registered' && created.member_id, JSON.stringify(created))
      await dlg.waitFor({ state: 'hidden' })
      await page.waitForURL((u) => !u.searchParams.get('direction'))
      const row = rows.filter({ hasText: incomingName }).first()
      await row.waitFor()
      await idle(page)
      expect((await row.locator('[data-testid=transfer-row-status]').innerText()).trim() === '已登记转入', 'status 已登记转入')
      const text = await row.innerText()
      expect(text.includes(letterNo) && text.includes('中共广州市海珠区委组织部') && text.includes(BRANCH), text)
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await keep(page, 'registered')
      const { name, bytes } = await download(page, `/transfers/${created.id}/receipt.pdf`, () =>
        actionsOf(incomingName).locator('[data-testid=transfer-receipt-pdf]').first().click(),
      )
      expect(name.endsWith('.pdf') && bytes.subarray(0, 5).toString() === '%PDF-', `receipt: ${name}`)
      const t = flat(pdfText(bytes))
      expect(t.includes('回执') && t.includes(incomingName), `the receipt's text: ${t.slice(0, 400)}`)
    })

    await ok(`${incoming.member_name}'s page lists the transfer under 转接记录 and requests another from there (the member preselected)`, async () => {
      await page.goto(`${base}/members/${incoming.member_id}`)
      const card = page.locator('[data-testid=member-transfers]')
      await card.locator('[data-testid=member-transfer-table]').waitFor()
      await idle(page)
      const first = card.locator('.el-table__body-wrapper .el-table__row').filter({ hasText: incoming.from_name }).first()
      expect((await first.locator('[data-testid=member-transfer-status]').innerText()).trim() === '已接收', 'the accepted transfer')
      await card.locator('[data-testid=member-transfer-request]').click()
      const dlg = page.locator('[data-testid=transfer-request-dialog]')
      await dlg.waitFor()
      const picker = dlg.locator('[data-testid=member-picker]')
      await picker.filter({ hasText: incoming.member_name }).waitFor({ timeout: 5000 }).catch(() => {})
      expect((await picker.innerText()).includes(incoming.member_name), `the member preselected: ${await picker.innerText()}`)
      expect(await picker.locator('input').isDisabled(), 'and fixed')
      expect((await dlg.locator('[data-testid=transfer-request-from]').innerText()).includes(BRANCH), 'their organisation said')
      await dlg.locator('[data-testid=transfer-destination]').click()
      const [found] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/transfers/destinations?')),
        page.keyboard.type('吴川'),
      ])
      const dests = await found.json()
      expect(Array.isArray(dests) && dests.length > 0, `destinations: ${JSON.stringify(dests).slice(0, 300)}`)
      const option = page.locator('.destination-picker-popper:visible .el-select-dropdown__item:not(.is-disabled)').first()
      await option.waitFor()
      const optText = await option.innerText()
      expect(/·/.test(optText), `the option names its county and kind: ${optText}`)
      await keep(page, 'request-dialog')
      await option.click()
      await dlg.locator('[data-testid=transfer-request-note]').fill('回乡工作')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/transfers') && r.request().method() === 'POST'),
        dlg.locator('[data-testid=transfer-request-save]').click(),
      ])
      expect(resp.status() === 201 || resp.status() === 200, `request: ${resp.status()} ${await resp.text()}`)
      const made = await resp.json()
      expect(made.status === 'requested' && made.member_id === incoming.member_id && made.can_cancel, JSON.stringify(made))
      await dlg.waitFor({ state: 'hidden' })
      await card.locator('[data-testid=member-transfer-open]').waitFor()
      const pending = card.locator('.el-table__body-wrapper .el-table__row').filter({ hasText: made.to_name }).first()
      expect((await pending.locator('[data-testid=member-transfer-status]').innerText()).trim() === '待接收', 'the new request waits')
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await card.evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await keep(page, 'member')
    })

    await ok('on a phone-sized screen the page fits the width', async () => {
      const small = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      small.setDefaultTimeout(TIMEOUT)
      const p = await small.newPage()
      current = p
      watchConsole(p, consoleErrors)
      await loginOk(p, base, 'gz_branch')
      await p.goto(`${base}/party/transfers?direction=out`)
      await p.locator('[data-testid=transfer-table] .el-table__row').first().waitFor()
      await idle(p)
      await noHorizontalOverflow(p)
      await shot(p, SHOT('phone'))
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
  console.log(`\nscreenshots: ${SHOTS} (desktop pages also in ${TARGET_SHOTS})`)
  console.log(`${state.passed} passed, ${state.failed} failed`)
  process.exit(state.failed ? 1 : 0)
}

main()
