#!/usr/bin/env node
// End-to-end test of 发展党员 against a real `honglian serve --demo` on a fresh data dir, in Debian's
// Chromium through playwright-core. The Guangzhou chamber branch opens 发展党员: the roll-up (people
// by stage, the chart, 到期提醒) and the board with people at several stages. It opens 李俊杰, an
// activist whose next step is 7 “确定发展对象”: a day before next.earliest (a year after he became an
// activist) is refused under the date field with the rule (一年以上) and the dialog stays open; on
// next.earliest it is accepted, the timeline shows step 7 done and the next step is 8 “报上级党委备案”,
// which the branch cannot record (no button, a hint) and the county admin can. The step 9 form asks
// for two 入党介绍人. The county admin sees the local rules, and a probationary member at the
// conversion (预备期满, the member record, 延长预备期, no 终止发展). The branch files a new applicant
// (a wrong ID number refused under its field), who lands on their page with step 1 done and the talk
// due. The branch makes a 进度查询码 for that applicant (the dialog: the code in groups of four, the
// full link, a QR code that reads back to it; printed, the slip alone), and again (a new code); on a
// phone without an account /m/progress#code=… refuses the replaced code, says the tries left under the
// ID tail for a wrong answer, opens the applicant's 25 steps (the name, step 1 done, the talk next) for
// the right one, and after five wrong answers says the code is closed and to ask the branch for a new
// one; once the procedure is stopped the page offers no code. The workbench's 发展党员步骤到期 opens
// the due list (red and yellow days). The board, a person's page and the code's dialog fit a phone's
// width. On a phone (390×844) the probationary member probation_demo opens 我的 → 我的入党进程 (the 25
// steps, read only; skipped, and said, when the demo gives no such account); member_demo, with no
// record, has no such entry.
//
//   npm run e2e:recruitment                    (target/debug/honglian with its embedded UI)
//   E2E_SERVE_DIST=1 npm run e2e:recruitment   (this web/dist in front of the binary)
//
// Screenshots land in e2e/screenshots/recruitment-*.png (the desktop pages are copied to
// target/screenshots/ as well). The last line is "N passed, M failed"; the exit code is non-zero
// when anything failed.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import jsQR from 'jsqr'
import {
  BIN,
  CHROMIUM,
  CHROMIUM_ARGS,
  DESKTOP,
  PASSWORD,
  PHONE,
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
const SHOT = (name) => `recruitment-${name}`
const TARGET_SHOTS = resolve(WEB, '..', 'target', 'screenshots')
const BRANCH = '广州吴川商会党支部'
const ACTIVIST = '李俊杰'

/** Today in Beijing, YYYY-MM-DD (the browser runs in Asia/Shanghai). */
function today() {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
}
function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
/** GB 11643 check digit of the first 17 digits. */
function idWithCheckDigit(first17) {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0)
  return first17 + '10X98765432'[sum % 11]
}

/** A code bare, as the server hashes it: upper case, no separators. */
function bareCode(code) {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '')
}

/** Reads the QR code drawn on a canvas back into text. */
async function decodeQr(canvas) {
  const img = await canvas.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height)
    return { w: c.width, h: c.height, data: Array.from(d.data) }
  })
  return jsQR(Uint8ClampedArray.from(img.data), img.w, img.h)?.data ?? null
}

/** A screenshot kept in e2e/screenshots and copied to target/screenshots. */
async function keep(page, name) {
  await shot(page, SHOT(name))
  mkdirSync(TARGET_SHOTS, { recursive: true })
  copyFileSync(join(SHOTS, `${SHOT(name)}.png`), join(TARGET_SHOTS, `${SHOT(name)}.png`))
}

/** Types a day into an Element Plus date picker found by its input's name, and closes the picker. */
async function pickDay(page, scope, name, day) {
  const input = scope.locator(`input[name=${name}]`)
  await input.click()
  await input.fill(day)
  await input.press('Enter')
  await scope.locator('.el-dialog__title').click()
  await page.locator('.el-picker__popper:visible').waitFor({ state: 'hidden' }).catch(() => {})
  expect((await input.inputValue()) === day, `${name}: ${await input.inputValue()} / ${day}`)
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-recruitment-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const base = server.base
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)

    // The demo's people, found over the API.
    const gzApi = await apiLogin(base, 'gz_branch')
    const county = await apiLogin(base, 'wuchuan_admin')
    const found = await gzApi.get(`/recruits?q=${encodeURIComponent(ACTIVIST)}`)
    const li = found.items.find((r) => r.name === ACTIVIST)
    expect(li, `the demo files ${ACTIVIST} with the branch: ${JSON.stringify(found.items.map((r) => r.name))}`)
    expect(li.org.name === BRANCH, `${ACTIVIST}'s branch: ${li.org.name}`)
    expect(li.role_label === '入党积极分子' && li.steps_done === 6, `${ACTIVIST}: ${li.role_label}, ${li.steps_done} steps`)
    expect(li.next?.no === 7 && li.next.name === '确定发展对象' && li.next.can_record, `next: ${JSON.stringify(li.next)}`)
    const earliest = li.next.earliest
    expect(earliest && earliest <= today(), `next.earliest ${earliest} is on or before today ${today()}`)
    const dayBefore = addDays(earliest, -1)
    const summary = await gzApi.get('/recruitment/summary')
    const stagesWithPeople = summary.rows.reduce((acc, r) => acc.map((n, i) => n + r.by_stage[i]), [0, 0, 0, 0, 0]).filter((n) => n > 0).length
    expect(stagesWithPeople >= 3, `the branch has people at ${stagesWithPeople} stages`)
    const dueList = await gzApi.get('/recruits?due=true&per_page=100')

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    let current = page
    /** The applicant the branch files in the test (its ID number known here, for the phone's check). */
    let created = null
    let applicantId = ''
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await current.screenshot({ path: join(SHOTS, `recruitment-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    const table = page.locator('[data-testid=recruit-table]')
    const rows = table.locator('.el-table__body-wrapper .el-table__row')

    await ok('the branch opens 发展党员 from the menu: the roll-up by stage, the chart and the board with people at several stages', async () => {
      await loginOk(page, base, 'gz_branch')
      await page.locator('.side-menu').getByText('发展党员', { exact: true }).click()
      await page.waitForURL((u) => u.pathname === '/party/recruitment')
      await page.locator('[data-testid=recruit-chart] canvas').waitFor()
      await rows.first().waitFor()
      await idle(page)
      const counts = await page.locator('[data-testid=recruit-stage-count] b').allInnerTexts()
      const expected = [0, 1, 2, 3, 4].map((i) => summary.rows.reduce((n, r) => n + r.by_stage[i], 0))
      expect(JSON.stringify(counts.map(Number)) === JSON.stringify(expected), `stage counts ${counts} / ${expected}`)
      expect((await page.locator('[data-testid=recruit-due-count]').innerText()).trim() === String(summary.due_soon), 'the due figure')
      const roles = new Set(await rows.locator('[data-testid=recruit-row-role]').allInnerTexts())
      expect(roles.size >= 3, `roles on the board: ${[...roles]}`)
      const liRow = rows.filter({ hasText: ACTIVIST })
      expect((await liRow.count()) === 1, `${ACTIVIST} is on the board`)
      const liText = await liRow.innerText()
      expect(liText.includes('6/25') && liText.includes('第 7 步 确定发展对象') && liText.includes(earliest), liText)
      expect((await page.locator('[data-testid=recruit-settings-open]').count()) === 0, 'the branch does not set the county’s rules')
      await page.waitForTimeout(800) // the chart's entry animation
      await keep(page, 'board')
      // 发展党员工作台账 with the board's filters (member.read is enough).
      expect((await page.locator('[data-testid=recruit-roster-xlsx]').count()) === 1, 'the Excel roster is offered as well')
      const [rosterResp, download] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/recruits/roster.pdf')),
        page.waitForEvent('download'),
        page.locator('[data-testid=recruit-roster-pdf]').click(),
      ])
      expect(new URL(rosterResp.url()).searchParams.get('status') === 'active', `the board's filters: ${rosterResp.url()}`)
      const file = download.suggestedFilename()
      expect(file.endsWith('发展党员工作台账.pdf'), `file: ${file}`)
      const size = statSync(await download.path()).size
      expect(size > 0, `size: ${size}`)
      await page.locator('.el-message--success', { hasText: file }).waitFor()
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await page.locator('[data-testid=recruit-board]').evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await keep(page, 'board-table')
      await page.evaluate(() => document.querySelector('.el-main, main')?.scrollTo(0, 0))
    })

    await ok('the stage tabs and the name search filter the board', async () => {
      const target = page.locator('[data-testid=recruit-stage-tabs] .el-radio-button', { hasText: '发展对象考察' })
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/recruits?') && r.url().includes('stage=target')),
        target.click(),
      ])
      const body = await resp.json()
      await idle(page)
      expect((await rows.count()) === body.items.length, `rows ${await rows.count()} / ${body.items.length}`)
      expect(body.items.every((r) => r.next?.stage === 'target'), 'only people whose next step is in the target stage')
      expect(new URL(page.url()).searchParams.get('stage') === 'target', 'the stage is kept in the address')
      await page.locator('[data-testid=recruit-stage-tabs] .el-radio-button', { hasText: '全部' }).click()
      await page.locator('input[name=recruit-q]').fill(ACTIVIST)
      await page.waitForFunction((name) => {
        const rs = [...document.querySelectorAll('[data-testid=recruit-table] .el-table__body-wrapper .el-table__row')]
        return rs.length === 1 && rs[0].textContent.includes(name)
      }, ACTIVIST)
    })

    await ok(`${ACTIVIST}'s page: the card, the 25 steps by stage, the next step 7 with its earliest day and the rule`, async () => {
      await rows.first().click()
      await page.waitForURL((u) => u.pathname === `/party/recruitment/${li.id}`)
      await page.locator('[data-testid=recruit-timeline]').waitFor()
      await idle(page)
      expect((await page.locator('[data-testid=recruit-title]').innerText()).trim() === ACTIVIST, 'the title')
      const steps = page.locator('[data-testid=recruit-step]')
      expect((await steps.count()) === 25, `steps: ${await steps.count()}`)
      expect((await page.locator('[data-testid=recruit-timeline] section').count()) === 5, 'five stages')
      const states = await steps.evaluateAll((els) => els.map((e) => e.dataset.state))
      expect(states.slice(0, 6).every((s) => s === 'done') && states[6] === 'next' && states.slice(7).every((s) => s === 'todo'), `states ${states}`)
      const id = await page.locator('[data-testid=recruit-card-id]').innerText()
      expect(id.includes('*'), `the ID number is masked: ${id}`)
      const next = page.locator('[data-testid=recruit-next]')
      expect((await next.locator('[data-testid=recruit-next-name]').innerText()).trim() === '第 7 步 确定发展对象', 'the next step')
      const window = await next.locator('[data-testid=recruit-next-window]').innerText()
      expect(window.includes(`最早 ${earliest}`) && window.includes('一年以上'), window)
      expect((await page.locator('[data-testid=recruit-step-open]').innerText()).includes('办理：第 7 步 确定发展对象'), 'the step button')
      const step5 = steps.nth(4)
      expect((await step5.innerText()).includes('培养联系人：'), `step 5 shows its contacts: ${await step5.innerText()}`)
      await keep(page, 'detail')
    })

    const dlg = page.locator('[data-testid=recruit-step-dialog]')
    await ok(`the step dialog: ${dayBefore}, a day before next.earliest, is refused under the date with the rule, and the dialog stays open`, async () => {
      await page.locator('[data-testid=recruit-step-open]').click()
      await dlg.waitFor()
      expect((await dlg.locator('input[name=recruit-step-on]').inputValue()) === today(), 'today by default')
      expect((await dlg.locator('[data-testid=recruit-step-window]').innerText()).includes(earliest), 'the window in the dialog')
      expect((await dlg.locator('.el-form-item', { has: page.locator('[data-testid=recruit-step-people]') }).locator('.el-form-item__label').innerText()).includes('参加人员'), 'people label')
      await pickDay(page, dlg, 'recruit-step-on', dayBefore)
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/recruits/${li.id}/steps`) && r.request().method() === 'POST'),
        dlg.locator('[data-testid=recruit-step-save]').click(),
      ])
      expect(resp.status() === 422, `too early: ${resp.status()} ${await resp.text()}`)
      const err = dlg.locator('.el-form-item', { has: page.locator('input[name=recruit-step-on]') }).locator('.el-form-item__error')
      await err.waitFor()
      const text = await err.innerText()
      expect(text.includes('一年以上') && text.includes(earliest) && text.includes('确定发展对象'), text)
      expect(await dlg.isVisible(), 'the dialog stays open')
      await keep(page, 'too-early')
    })

    await ok(`on ${earliest} it is accepted: step 7 done, the next step is 8 报上级党委备案, by the higher committee (no button for the branch)`, async () => {
      await pickDay(page, dlg, 'recruit-step-on', earliest)
      await dlg.locator('[data-testid=recruit-step-people]').fill('王建国')
      await dlg.locator('[data-testid=recruit-step-people]').press('Enter')
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/recruits/${li.id}/steps`) && r.request().method() === 'POST'),
        dlg.locator('[data-testid=recruit-step-save]').click(),
      ])
      expect(resp.status() === 201, `step 7: ${resp.status()} ${await resp.text()}`)
      await dlg.waitFor({ state: 'hidden' })
      const s7 = page.locator('[data-testid=recruit-step][data-step="7"]')
      expect((await s7.getAttribute('data-state')) === 'done', 'step 7 done')
      expect((await s7.locator('[data-testid=recruit-step-done-on]').innerText()).trim() === earliest, 'on the day chosen')
      expect((await s7.innerText()).includes('王建国'), 'with its people')
      expect((await page.locator('[data-testid=recruit-step][data-step="8"]').getAttribute('data-state')) === 'next', 'step 8 is next')
      const next = page.locator('[data-testid=recruit-next]')
      expect((await next.locator('[data-testid=recruit-next-name]').innerText()).trim() === '第 8 步 报上级党委备案', 'the next step')
      await next.locator('[data-testid=recruit-next-higher]').waitFor()
      expect((await page.locator('[data-testid=recruit-step-open]').count()) === 0, 'no step button for the branch')
      expect((await next.locator('[data-testid=recruit-next-cannot]').innerText()).includes('由上级党委办理'), 'the hint says who does it')
      expect((await page.locator('[data-testid=recruit-role]').innerText()).trim() === '发展对象', 'now a development target')
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await keep(page, 'step7-done')
      await page.locator('[data-testid=recruit-step][data-step="6"]').evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await keep(page, 'timeline')
      await page.evaluate(() => document.querySelector('.el-main, main')?.scrollTo(0, 0))
    })

    await ok('the county admin records step 8; the step 9 form asks for two 入党介绍人', async () => {
      await logout(page)
      await loginOk(page, base, 'wuchuan_admin')
      await page.goto(`${base}/party/recruitment/${li.id}`)
      const button = page.locator('[data-testid=recruit-step-open]')
      await button.waitFor()
      expect((await button.innerText()).includes('办理：第 8 步 报上级党委备案'), await button.innerText())
      await button.click()
      await dlg.waitFor()
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/recruits/${li.id}/steps`) && r.request().method() === 'POST'),
        dlg.locator('[data-testid=recruit-step-save]').click(),
      ])
      expect(resp.status() === 201, `step 8: ${resp.status()} ${await resp.text()}`)
      await dlg.waitFor({ state: 'hidden' })
      expect((await page.locator('[data-testid=recruit-step][data-step="8"]').getAttribute('data-state')) === 'done', 'step 8 done')
      expect((await page.locator('[data-testid=recruit-next-name]').innerText()).trim() === '第 9 步 确定入党介绍人', 'step 9 next')
      await page.locator('[data-testid=recruit-step-open]').click()
      await dlg.waitFor()
      const label = await dlg.locator('.el-form-item', { has: page.locator('[data-testid=recruit-step-people]') }).locator('.el-form-item__label').innerText()
      expect(label.includes('入党介绍人'), `label: ${label}`)
      await dlg.locator('[data-testid=recruit-step-people]').fill('王建国')
      await dlg.locator('[data-testid=recruit-step-people]').press('Enter')
      await dlg.locator('[data-testid=recruit-step-save]').click()
      const err = await dlg.locator('.el-form-item', { has: page.locator('[data-testid=recruit-step-people]') }).locator('.el-form-item__error').innerText()
      expect(err.includes('两名正式党员作入党介绍人'), err)
      await keep(page, 'sponsors')
      await dlg.locator('.el-dialog__footer .el-button', { hasText: '取消' }).click()
      await dlg.waitFor({ state: 'hidden' })
    })

    await ok('the county admin sees the county’s local rules (30 days, 6 months, 5 working days)', async () => {
      await page.goto(`${base}/party/recruitment`)
      await page.locator('[data-testid=recruit-settings-open]').click()
      const form = page.locator('[data-testid=recruit-settings-form]')
      await form.waitFor()
      const settings = await county.get('/recruitment/settings')
      await page.waitForFunction(
        (s) => {
          const v = (id) => document.querySelector(`[data-testid=${id}] input`)?.value
          return v('recruit-settings-talk') === String(s.talk_within_days) && v('recruit-settings-activist') === String(s.activist_after_months) && v('recruit-settings-notice') === String(s.notice_working_days)
        },
        settings,
      )
      await keep(page, 'settings')
      await page.locator('.el-popover:visible .el-button', { hasText: '取消' }).click()
    })

    await ok('a probationary member at the conversion: 预备期满, the member record, 延长预备期 offered, no 终止发展', async () => {
      const p = (await county.get('/recruits?per_page=100')).items.find((r) => r.steps_done === 22 && r.member_id)
      expect(p, 'the demo has a probationary member who applied for conversion')
      await page.goto(`${base}/party/recruitment/${p.id}`)
      await page.locator('[data-testid=recruit-timeline]').waitFor()
      await idle(page)
      expect((await page.locator('[data-testid=recruit-probation-ends]').innerText()).trim() === p.probation_ends, 'the probation’s end')
      expect((await page.locator('[data-testid=recruit-member-link]').getAttribute('href')) === `/members/${p.member_id}`, 'the member record')
      expect((await page.locator('[data-testid=recruit-stop-open]').count()) === 0, 'no 终止发展 after admission')
      await page.locator('[data-testid=recruit-extend-open]').click()
      const ext = page.locator('[data-testid=recruit-extension-dialog]')
      await ext.waitFor()
      expect((await ext.innerText()).includes(`${p.probation_ends} 期满`), 'the dialog says when the probation ends')
      await keep(page, 'extension')
      await ext.locator('.el-dialog__footer .el-button', { hasText: '取消' }).click()
      await ext.waitFor({ state: 'hidden' })
    })

    await ok('the branch files a new applicant: a wrong ID number is refused under its field; saved, the page shows step 1 done and the talk due', async () => {
      await logout(page)
      await loginOk(page, base, 'gz_branch')
      await page.goto(`${base}/party/recruitment`)
      await page.locator('[data-testid=recruit-new]').click()
      const form = page.locator('[data-testid=recruit-form]')
      await form.waitFor()
      expect((await form.locator('[data-testid=org-picker] input').inputValue()).includes(BRANCH), 'the branch preselected')
      const good = idWithCheckDigit('44088120000315123')
      const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
      await form.locator('[data-testid=recruit-name]').fill('陈思远')
      await form.locator('[data-testid=recruit-id-number]').fill(bad)
      await form.locator('[data-testid=recruit-phone]').fill('13800138123')
      await form.locator('[data-testid=recruit-occupation]').fill('个体工商户')
      const [r1] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/recruits') && r.request().method() === 'POST'), form.locator('[data-testid=recruit-save]').click()])
      expect(r1.status() === 422, `a wrong ID: ${r1.status()}`)
      const err = await form.locator('.el-form-item', { has: page.locator('[data-testid=recruit-id-number]') }).locator('.el-form-item__error').innerText()
      expect(err.includes('校验码') || err.includes('身份证'), err)
      await keep(page, 'new-error')
      await form.locator('[data-testid=recruit-id-number]').fill(good)
      const [r2] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/recruits') && r.request().method() === 'POST'), form.locator('[data-testid=recruit-save]').click()])
      expect(r2.status() === 201, `filed: ${r2.status()} ${await r2.text()}`)
      created = await r2.json()
      applicantId = good
      await page.waitForURL((u) => u.pathname === `/party/recruitment/${created.recruit.id}`)
      await page.locator('[data-testid=recruit-timeline]').waitFor()
      expect((await page.locator('[data-testid=recruit-step][data-step="1"]').getAttribute('data-state')) === 'done', 'step 1 done')
      expect((await page.locator('[data-testid=recruit-next-name]').innerText()).trim() === '第 2 步 党组织派人谈话', 'the talk is next')
      const window = await page.locator('[data-testid=recruit-next-window]').innerText()
      expect(window.includes(`到期 ${created.recruit.next.due}`) && window.includes('30 日内'), window)
      expect((await page.locator('[data-testid=recruit-stop-open]').count()) === 1, '终止发展 offered before admission')
      await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      await keep(page, 'new-applicant')
    })

    // 入党进程查询: the branch gives the applicant a code; the applicant opens their steps on a phone.
    const codes = []
    await ok('the branch makes a 进度查询码 for the new applicant: shown once in groups of four with its link and QR code; again, a new one', async () => {
      const dlg = page.locator('[data-testid=recruit-progress-dialog]')
      for (let i = 0; i < 2; i++) {
        const [resp] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith(`/api/v1/recruits/${created.recruit.id}/progress-code`) && r.request().method() === 'POST'),
          page.locator('[data-testid=recruit-progress-open]').click(),
        ])
        expect(resp.status() === 200, `progress-code: ${resp.status()} ${await resp.text()}`)
        const issued = await resp.json()
        await dlg.locator('[data-testid=progress-code]').waitFor()
        const bare = bareCode(issued.code)
        expect(/^[2-9A-HJKMNP-Z]{12}$/.test(bare), `code: ${issued.code}`)
        expect(issued.path === `/m/progress#code=${issued.code}`, `path: ${issued.path}`)
        const shown = dlg.locator('[data-testid=progress-code]')
        expect((await shown.getAttribute('data-code')) === bare, 'the code shown is the one issued')
        const text = (await shown.innerText()).trim()
        expect(text === bare.match(/.{4}/g).join(' '), `in groups of four: ${text}`)
        const link = `${base}${issued.path}`
        expect((await dlg.locator('[data-testid=recruit-progress-link]').inputValue()) === link, 'the full link')
        const qr = dlg.locator('.qr-code')
        expect((await qr.getAttribute('data-url')) === link, `QR: ${await qr.getAttribute('data-url')}`)
        const scanned = await decodeQr(qr.locator('canvas'))
        expect(scanned === link, `the QR reads ${scanned}`)
        const slip = await dlg.locator('[data-testid=progress-slip]').innerText()
        expect(slip.includes('陈思远') && slip.includes(BRANCH) && slip.includes('请用手机扫码，输入身份证号后六位查看本人入党进程'), slip)
        expect((await dlg.locator('[data-testid=recruit-progress-once]').innerText()).includes('原来的查询码'), 'the dialog says a new code replaces the old')
        codes.push(issued.code)
        if (i === 0) {
          await keep(page, 'progress-code')
          // Printed: the slip alone, not the dialog nor the page.
          await page.emulateMedia({ media: 'print' })
          const printed = await page.evaluate(() => ({
            slip: getComputedStyle(document.querySelector('body > .progress-print')).display,
            others: [...document.body.children].filter((el) => !el.classList.contains('progress-print') && getComputedStyle(el).display !== 'none').map((el) => el.className || el.tagName),
          }))
          expect(printed.slip === 'block' && printed.others.length === 0, `printed: ${JSON.stringify(printed)}`)
          await shot(page, SHOT('progress-print'))
          await page.emulateMedia({ media: 'screen' })
        }
        await dlg.locator('.el-dialog__footer .el-button', { hasText: '关闭' }).click()
        await dlg.waitFor({ state: 'hidden' })
      }
      expect(codes[0] !== codes[1], 'a new code each time')
      expect((await page.locator('.progress-print').count()) === 0, 'the print copy goes with the dialog')
    })

    await ok('on a phone without an account: the old code is refused, a wrong ID tail says the tries left, the right one opens the steps', async () => {
      const phoneCtx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      phoneCtx.setDefaultTimeout(TIMEOUT)
      const phone = await phoneCtx.newPage()
      current = phone
      watchConsole(phone, consoleErrors)
      const tail = applicantId.slice(-6)
      const wrongTail = tail === '000000' ? '000001' : '000000'
      const form = phone.locator('[data-testid=progress-form]')
      const codeField = form.locator('.van-field', { has: phone.locator('input[name=code]') })
      const tailField = form.locator('.van-field', { has: phone.locator('input[name=id_tail]') })
      // Scanning the first slip's QR: that code was replaced.
      await phone.goto(`${base}/m/progress#code=${encodeURIComponent(codes[0])}`)
      await form.waitFor()
      expect((await form.locator('input[name=code]').inputValue()) === codes[0], 'the code from the link')
      expect(!phone.url().includes(bareCode(codes[0]).slice(0, 4)), `the code leaves the address bar: ${phone.url()}`)
      expect((await phone.title()).startsWith('入党进程查询'), `title: ${await phone.title()}`)
      expect((await phone.locator('[data-testid=portal-tabs]').count()) === 0, 'no tab bar')
      await shot(phone, SHOT('progress-form'))
      await form.locator('input[name=id_tail]').fill(tail)
      await form.locator('[data-testid=progress-submit]').click()
      const stale = await codeField.locator('.van-field__error-message').innerText()
      expect(stale.includes('失效') || stale.includes('不对'), `the old code: ${stale}`)
      // The slip in hand now: the new code typed over the old, a wrong tail first.
      await form.locator('input[name=code]').fill(codes[1].toLowerCase())
      expect((await codeField.locator('.van-field__error-message').count()) === 0, 'a corrected code clears its message')
      await form.locator('input[name=id_tail]').fill(wrongTail)
      const [wrongResp] = await Promise.all([
        phone.waitForResponse((r) => r.url().endsWith('/api/v1/recruitment/progress')),
        form.locator('[data-testid=progress-submit]').click(),
      ])
      expect(wrongResp.status() === 422, `a wrong tail: ${wrongResp.status()}`)
      const wrong = await tailField.locator('.van-field__error-message').innerText()
      expect(wrong.includes('还可以再试'), `under the field: ${wrong}`)
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('progress-wrong'))
      await form.locator('input[name=id_tail]').fill(tail)
      await form.locator('[data-testid=progress-submit]').click()
      const result = phone.locator('[data-testid=progress-result]')
      await result.waitFor()
      expect((await result.locator('[data-testid=my-recruit-name]').innerText()).trim() === '陈思远', 'the applicant’s name')
      expect((await result.locator('[data-testid=my-recruit-head]').innerText()).includes(BRANCH), 'the branch')
      const steps = result.locator('[data-testid=my-recruit-step]')
      expect((await steps.count()) === 25, `steps: ${await steps.count()}`)
      const first = result.locator('[data-testid=my-recruit-step][data-step="1"]')
      expect((await first.getAttribute('data-state')) === 'done', 'step 1 done')
      const firstText = await first.innerText()
      expect(firstText.includes('递交入党申请书') && firstText.includes(created.recruit.applied_on), firstText)
      expect((await result.locator('[data-testid=my-recruit-step][data-step="2"]').getAttribute('data-state')) === 'next', 'the talk is next')
      expect((await result.locator('[data-testid=my-recruit-next]').innerText()).includes('第 2 步 党组织派人谈话'), 'the next step')
      expect((await phone.locator('[data-testid=portal-tabs]').count()) === 0, 'no tab bar')
      expect(!(await result.innerText()).includes('登记人'), 'nothing of the branch’s records')
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('progress-phone'))
      await phone.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
      await shot(phone, SHOT('progress-phone-steps'))
      // 退出: back to the form, the answer gone.
      await phone.locator('[data-testid=progress-leave] .van-nav-bar__right').click()
      await form.waitFor()
      expect((await form.locator('input[name=id_tail]').inputValue()) === '', 'the answer is forgotten')
      // Wrong answers until the code closes (five in all): then the page says to ask the branch.
      let closedAfter = 0
      for (let i = 0; i < 5; i++) {
        await form.locator('input[name=id_tail]').fill(wrongTail)
        const [r] = await Promise.all([
          phone.waitForResponse((x) => x.url().endsWith('/api/v1/recruitment/progress')),
          form.locator('[data-testid=progress-submit]').click(),
        ])
        if (r.status() === 409) {
          closedAfter = i + 1
          break
        }
        expect(r.status() === 422, `wrong answer ${i + 1}: ${r.status()}`)
        await tailField.locator('.van-field__error-message', { hasText: '还可以再试' }).waitFor()
      }
      expect(closedAfter > 0, 'five wrong answers close the code')
      const closed = await phone.locator('[data-testid=progress-closed]').innerText()
      expect(closed.includes('查询码已失效') && closed.includes('党支部'), closed)
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('progress-closed'))
      // Closed for the right answer too.
      await form.locator('input[name=id_tail]').fill(tail)
      const [after] = await Promise.all([
        phone.waitForResponse((x) => x.url().endsWith('/api/v1/recruitment/progress')),
        form.locator('[data-testid=progress-submit]').click(),
      ])
      expect(after.status() === 422, `the closed code: ${after.status()}`)
      await codeField.locator('.van-field__error-message').waitFor()
      await phoneCtx.close()
      current = page
    })

    await ok('once the procedure is stopped, no 生成进度查询码', async () => {
      await gzApi.post(`/recruits/${created.recruit.id}/stop`, { on: today(), reason: '本人申请撤回入党申请' })
      await page.goto(`${base}/party/recruitment/${created.recruit.id}`)
      await page.locator('[data-testid=recruit-stopped]').waitFor()
      expect((await page.locator('[data-testid=recruit-progress-open]').count()) === 0, 'no code for a stopped procedure')
    })

    await ok(`the workbench’s 发展党员步骤到期 opens the due list (${dueList.total})`, async () => {
      await page.goto(`${base}/workbench`)
      const item = page.locator('[data-testid=work-recruits_due]')
      await item.waitFor()
      expect((await item.getAttribute('href')).endsWith('/party/recruitment?due=true'), await item.getAttribute('href'))
      await item.click()
      await page.waitForURL((u) => u.pathname === '/party/recruitment' && u.searchParams.get('due') === 'true')
      await page.locator('[data-testid=recruit-due-alert]').waitFor()
      await idle(page)
      expect((await rows.count()) === Math.min(dueList.total, 20), `due rows ${await rows.count()} / ${dueList.total}`)
      const tones = await rows.locator('[data-testid=recruit-row-due]').evaluateAll((els) => els.map((e) => e.className))
      expect(tones.length && tones.every((c) => c.includes('tone-over') || c.includes('tone-soon')), `due tones: ${tones}`)
      expect(await page.locator('[data-testid=recruit-due-switch]').evaluate((el) => el.classList.contains('is-checked')), 'the switch shows the filter')
      await page.locator('[data-testid=recruit-board]').evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await keep(page, 'due')
    })

    await ok('on a phone-sized screen the board, a person’s page and the code’s dialog fit the width', async () => {
      const small = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      small.setDefaultTimeout(TIMEOUT)
      const p = await small.newPage()
      current = p
      watchConsole(p, consoleErrors)
      await loginOk(p, base, 'gz_branch')
      await p.goto(`${base}/party/recruitment`)
      await p.locator('[data-testid=recruit-table] .el-table__row').first().waitFor()
      await idle(p)
      await noHorizontalOverflow(p)
      await shot(p, SHOT('board-phone'))
      await p.goto(`${base}/party/recruitment/${li.id}`)
      await p.locator('[data-testid=recruit-timeline]').waitFor()
      await idle(p)
      await noHorizontalOverflow(p)
      await shot(p, SHOT('detail-phone'))
      // The code's dialog fits a phone as well.
      await p.locator('[data-testid=recruit-progress-open]').click()
      const dlg = p.locator('[data-testid=recruit-progress-dialog]')
      await dlg.locator('[data-testid=progress-code]').waitFor()
      await noHorizontalOverflow(p)
      const box = await dlg.boundingBox()
      expect(box && box.x >= 0 && box.x + box.width <= PHONE.width, `the dialog within the width: ${JSON.stringify(box)}`)
      await shot(p, SHOT('progress-code-phone'))
      await small.close()
      current = page
    })

    // A probationary member with an account, if the demo gives one.
    let phoneUser = null
    for (const username of ['member_demo', 'probation_demo', 'recruit_demo']) {
      try {
        const c = await apiLogin(base, username)
        const mine = await c.get('/me/recruitment')
        if (mine) {
          phoneUser = { username, mine }
          break
        }
      } catch {
        // no such account, or no member record
      }
    }
    if (phoneUser) {
      await ok(`on a phone ${phoneUser.username} opens 我的 → 我的入党进程: the 25 steps with their days and the next step's window`, async () => {
        const { mine } = phoneUser
        const phoneCtx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
        phoneCtx.setDefaultTimeout(TIMEOUT)
        const phone = await phoneCtx.newPage()
        current = phone
        watchConsole(phone, consoleErrors)
        await phone.goto(`${base}/m/login`)
        await phone.locator('[data-testid=portal-login] input[name=username]').fill(phoneUser.username)
        await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
        await phone.locator('[data-testid=portal-login] button[type=submit]').click()
        await phone.waitForURL((u) => u.pathname.startsWith('/m/') && u.pathname !== '/m/login')
        await phone.goto(`${base}/m/me`)
        const entry = phone.locator('[data-testid=me-recruitment]')
        await entry.waitFor()
        expect((await entry.innerText()).includes('我的入党进程'), await entry.innerText())
        await entry.evaluate((el) => el.scrollIntoView({ block: 'center' }))
        await shot(phone, SHOT('phone-me'))
        await entry.click()
        await phone.waitForURL((u) => u.pathname === '/m/recruitment')
        await phone.locator('[data-testid=my-recruit-head]').waitFor()
        const steps = phone.locator('[data-testid=my-recruit-step]')
        expect((await steps.count()) === 25, `steps: ${await steps.count()}`)
        const done = await steps.evaluateAll((els) => els.filter((e) => e.dataset.state === 'done').length)
        expect(done === mine.recruit.steps_done, `done ${done} / ${mine.recruit.steps_done}`)
        expect((await phone.locator('[data-testid=my-recruit-done]').innerText()).trim() === String(mine.recruit.steps_done), 'steps done')
        if (mine.recruit.next) {
          const next = await phone.locator('[data-testid=my-recruit-next]').innerText()
          expect(next.includes(`第 ${mine.recruit.next.no} 步`), next)
        }
        if (mine.recruit.probation_ends) {
          expect((await phone.locator('[data-testid=my-recruit-probation]').innerText()).includes(mine.recruit.probation_ends), 'the probation’s end')
        }
        expect((await phone.locator('button, .van-button').filter({ hasText: /办理|登记/ }).count()) === 0, 'read only')
        await noHorizontalOverflow(phone)
        await shot(phone, SHOT('phone'))
        await phone.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
        await shot(phone, SHOT('phone-steps'))
        // Without a record (member_demo) there is no entry.
        await phone.goto(`${base}/m/me`)
        await phone.locator('[data-testid=portal-logout]').click()
        await phone.waitForURL((u) => u.pathname === '/m/login')
        await phone.locator('[data-testid=portal-login] input[name=username]').fill('member_demo')
        await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
        await phone.locator('[data-testid=portal-login] button[type=submit]').click()
        await phone.waitForURL((u) => u.pathname.startsWith('/m/') && u.pathname !== '/m/login')
        await phone.goto(`${base}/m/me`)
        await phone.locator('[data-testid=me-dues]').waitFor()
        await phone.waitForTimeout(500)
        expect((await phone.locator('[data-testid=me-recruitment]').count()) === 0, 'no 我的入党进程 for member_demo')
        await phoneCtx.close()
        current = page
      })
    } else {
      console.log('  - phone: skipped, the demo gives no probationary member an account (GET /me/recruitment is null for member_demo)')
    }

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
