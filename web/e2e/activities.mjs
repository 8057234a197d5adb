#!/usr/bin/env node
// End-to-end test of organisational life (组织生活) against a real
// `honglian serve --demo`, in Debian's Chromium through playwright-core:
// a theme party day created by the 广州 branch, the full-screen check-in code
// and its QR link, a member checking in on a phone, the duty turning blue on
// the compliance board, reminders in the notifications, a back-dated
// recording approved by the county, and the member's record.
//
//   npm run e2e:activities                      (target/debug/honglian with its embedded UI)
//   E2E_SERVE_DIST=1 npm run e2e:activities     (this web/dist in front of the binary)
//
// Screenshots land in e2e/screenshots/activities-*.png. The last line is
// "N passed, M failed"; the exit code is non-zero when anything failed.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import jsQR from 'jsqr'
import {
  BIN,
  CHROMIUM,
  CHROMIUM_ARGS,
  DESKTOP,
  PHONE,
  SHOTS,
  TIMEOUT,
  TINY_PNG,
  apiLogin,
  beijing,
  createRunner,
  expect,
  idle,
  login,
  loginOk,
  logout,
  noHorizontalOverflow,
  shot,
  sleep,
  startServer,
  watchConsole,
} from './lib-activities.mjs'

const { state, step } = createRunner()
const SHOT = (name) => `activities-${name}`

/** Fills an Element Plus datetimerange picker by typing into its two inputs. */
async function fillRange(page, picker, from, to) {
  const inputs = picker.locator('input.el-range-input')
  await inputs.nth(0).click()
  await inputs.nth(0).fill(from)
  await inputs.nth(0).press('Enter')
  await inputs.nth(1).click()
  await inputs.nth(1).fill(to)
  await inputs.nth(1).press('Enter')
  await page.keyboard.press('Escape').catch(() => {})
  await page.locator('h2').first().click() // close the panel
}

/** Saves the activity form; a second one of the kind that day (the demo may have one) is confirmed. */
async function saveActivity(page) {
  await page.locator('[data-testid=activity-save]').click()
  const dup = page.locator('.el-message-box', { hasText: '可能重复录入' })
  const saved = page.waitForURL(/\/activities\/\d+$/).then(() => 'saved').catch(() => null)
  const asked = dup.waitFor().then(() => 'duplicate').catch(() => null)
  if ((await Promise.race([saved, asked])) === 'duplicate') {
    await dup.locator('button', { hasText: '仍然保存' }).click()
    await page.waitForURL(/\/activities\/\d+$/)
  }
}

/** Reads the QR code drawn on a canvas back into text. */
async function decodeQr(page, canvas) {
  const img = await canvas.evaluate((c) => {
    const ctx = c.getContext('2d')
    const d = ctx.getImageData(0, 0, c.width, c.height)
    return { w: c.width, h: c.height, data: Array.from(d.data) }
  })
  const res = jsQR(Uint8ClampedArray.from(img.data), img.w, img.h)
  return res?.data ?? null
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-act-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const { base } = server
    console.log(`honglian: ${BIN}\nlistening: ${base}${server.serveDist ? ' (web/dist served by the test)' : ''}\ndata dir: ${dataDir}`)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const newContext = async (viewport) => {
      const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      ctx.setDefaultTimeout(TIMEOUT)
      return ctx
    }
    const consoleErrors = []
    const admin = await newContext(DESKTOP)
    const page = await admin.newPage()
    watchConsole(page, consoleErrors)

    const ok = async (name, fn, p = page) => {
      if (!(await step(name, fn))) {
        await p.screenshot({ path: join(SHOTS, `activities-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }

    // What the demo gives the 广州 branch, read over the API so that names are not hard-coded.
    const gz = await apiLogin(base, 'gz_branch')
    const branch = gz.session.grants.find((g) => g.org_id)
    const memberDemo = await apiLogin(base, 'member_demo')
    const memberId = memberDemo.session.user.member_id
    const memberName = memberDemo.session.user.display_name
    await memberDemo.logout()
    await gz.logout()
    expect(branch && memberId, 'demo accounts are not as expected')
    const now = new Date()
    // The server and the browsers count days in Beijing time.
    const month = beijing(now).slice(0, 7)
    const [bjYear, bjMonth] = month.split('-').map(Number)
    const stamp = Date.now().toString(36).slice(-4)
    const topic = `E2E主题党日：重温入党誓词${stamp}`

    await ok('gz_branch sees the 组织生活 menu, not the county rules', async () => {
      await loginOk(page, base, 'gz_branch')
      const menu = await page.locator('.side-menu').innerText()
      for (const t of ['组织生活', '活动日历', '组织生活考核', '我组织的任务']) expect(menu.includes(t), `menu lacks ${t}: ${menu}`)
      expect(!menu.includes('考核规则'), 'an org admin must not see the rules page')
      expect(!menu.includes('我的活动'), 'an org admin without a member record must not see 我的活动')
    })

    // Reminders exist for duties that are yellow now or turned red within the last
    // month; which ones the demo has depends on the day of the month.
    const gzDuties = (await (async () => {
      const c = await apiLogin(base, 'gz_branch')
      const d = await c.get(`/duties?org=${branch.org_id}`)
      await c.logout()
      return d.items
    })()).filter((d) => d.org_id === branch.org_id)
    const periodEnd = (p) => {
      const [y, rest] = p.split('-')
      if (!rest) return new Date(Number(y), 11, 31)
      if (rest.startsWith('Q')) return new Date(Number(y), Number(rest.slice(1)) * 3, 0)
      if (rest.startsWith('W')) return new Date(Number(y), 0, 4 + Number(rest.slice(1)) * 7) // roughly; branches owe no weekly duty
      return new Date(Number(y), Number(rest), 0)
    }
    const gzReminded = gzDuties.some((d) => d.light === 'yellow' || (d.light === 'red' && now - periodEnd(d.period) <= 31 * 24 * 3600_000))

    await ok('a duty reminder reaches the notifications list and the bell', async () => {
      if (!gzReminded) {
        console.log('    (the branch has nothing yellow or newly red today: its reminder is checked as the county roll-up below)')
        return
      }
      // The server generates reminders 5 s after it starts: poll the list.
      let found = null
      for (let i = 0; i < 20 && !found; i++) {
        await page.goto(`${base}/notifications`)
        await page.locator('[data-testid=notification-list]').waitFor()
        await page.waitForFunction(() => !document.querySelector('[data-testid=notification-list] .el-loading-mask'))
        const items = page.locator('[data-testid=notification-list] .item[data-kind=duty]')
        if ((await items.count()) > 0) found = (await items.first().innerText()).trim()
        else await sleep(1500)
      }
      expect(found, 'no duty reminder in the notifications list within 30 s')
      expect(/即将到期|已逾期/.test(found), `reminder text: ${found}`)
      const badge = page.locator('[data-testid=notification-badge] .el-badge__content')
      await badge.waitFor()
      expect(Number(await badge.innerText()) >= 1, `badge: ${await badge.innerText()}`)
      await shot(page, SHOT('notifications'))
      await page.locator('[data-testid=notification-bell]').click()
      await page.locator('.notification-popper:visible .item').first().waitFor()
      await shot(page, SHOT('bell'))
      await page.keyboard.press('Escape')
    })

    await ok('the calendar shows this month with the demo activities', async () => {
      await page.goto(`${base}/activities`)
      await page.locator('[data-testid=calendar-grid] .chip').first().waitFor()
      await idle(page)
      const title = await page.locator('[data-testid=calendar-month]').innerText()
      expect(title.includes(`${bjYear} 年 ${bjMonth} 月`), `calendar title: ${title}`)
      await shot(page, SHOT('calendar'))
    })

    let activityId = null
    await ok('gz_branch creates a theme party day that started a few minutes ago', async () => {
      await page.locator('[data-testid=activity-new]').click()
      await page.waitForURL(/\/activities\/new/)
      // The branch is the one organisation of the grant: it is preselected.
      await page.locator('[data-testid=org-multi-picker] .el-tag', { hasText: branch.org_name }).waitFor()
      await page.locator('[data-testid=activity-kind]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '主题党日' }).first().click()
      await page.locator('input[name=topic]').fill(topic)
      const start = new Date(Date.now() - 5 * 60_000)
      const end = new Date(Date.now() + 2 * 3600_000)
      await fillRange(page, page.locator('[data-testid=activity-range]'), beijing(start), beijing(end))
      expect((await page.locator('[data-testid=activity-late-note]').count()) === 0, 'a current activity is not a late recording')
      await page.locator('input[name=place]').fill('广州吴川商会党员活动室')
      await page.locator('input[name=host]').fill('陈书记')
      await shot(page, SHOT('form'))
      await saveActivity(page)
      activityId = Number(new URL(page.url()).pathname.split('/').pop())
      await page.locator('[data-testid=activity-topic]', { hasText: topic }).waitFor()
      expect((await page.locator('[data-testid=activity-status]').innerText()).includes('正常'), 'new activity is not active')
    })

    await ok('the detail lists expected attendees with received mobile members tagged, and takes a photo', async () => {
      const table = page.locator('[data-testid=attendance]')
      await table.locator('.el-table__body tr').first().waitFor()
      await table.locator('input[placeholder="姓名或所在组织"]').fill(memberName)
      const row = table.locator('.el-table__body tr', { hasText: memberName }).first()
      await row.waitFor()
      expect((await row.innerText()).includes('接收'), `received member not tagged: ${await row.innerText()}`)
      await table.locator('input[placeholder="姓名或所在组织"]').fill('')
      // A wrong type is refused before uploading.
      const input = page.locator('[data-testid=attachment-input]')
      await input.setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') })
      await page.locator('.el-message--error', { hasText: '只接受' }).waitFor()
      await input.setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: TINY_PNG })
      await page.locator('[data-testid=attachment-thumb] img').waitFor()
      const loaded = await page.locator('[data-testid=attachment-thumb] img').evaluate((img) => img.complete && img.naturalWidth > 0)
      expect(loaded, 'the uploaded photo does not load as a thumbnail')
      await page.locator('.el-message').first().waitFor({ state: 'detached' }).catch(() => {})
      await shot(page, SHOT('detail'))
      await page.locator('[data-testid=attachments]').scrollIntoViewIfNeeded()
      await shot(page, SHOT('detail-attachments'))
    })

    let code = null
    let qrUrl = null
    await ok('the full-screen check-in view shows a 6-digit code and a QR link to the check-in page', async () => {
      await page.locator('[data-testid=checkin-screen]').click()
      await page.waitForURL(/\/checkin-screen$/)
      const codeEl = page.locator('[data-testid=checkin-code]')
      await codeEl.filter({ hasText: /\d{6}/ }).waitFor()
      code = (await codeEl.innerText()).trim()
      expect(/^\d{6}$/.test(code), `code: ${code}`)
      expect(!(await page.locator('.aside').isVisible().catch(() => false)), 'the sidebar shows on the full-screen view')
      const qr = page.locator('[data-testid=checkin-qr]')
      qrUrl = await qr.getAttribute('data-url')
      expect(qrUrl === `${base}/checkin/${activityId}?code=${code}`, `QR link: ${qrUrl}`)
      // The picture itself must scan to that link.
      const scanned = await decodeQr(page, qr.locator('canvas'))
      expect(scanned === qrUrl, `QR decodes to ${scanned}`)
      expect((await page.locator('[data-testid=checkin-window]').innerText()).includes('签到进行中'), 'check-in window not open')
      expect((await page.locator('[data-testid=checkin-present]').innerText()).trim() === '0', 'someone is present already')
      await shot(page, SHOT('checkin-screen'))
    })

    const member = await newContext(PHONE)
    const phone = await member.newPage()
    watchConsole(phone, consoleErrors)
    await ok(
      'member_demo opens the QR link on a phone, signs in, and is refused a wrong code',
      async () => {
        await phone.goto(qrUrl)
        await phone.waitForURL(/\/login/)
        await login(phone, base, 'member_demo')
        await phone.waitForURL((u) => u.pathname === `/checkin/${activityId}`)
        const input = phone.locator('[data-testid=checkin-code-input]')
        await input.waitFor()
        expect((await input.inputValue()) === code, `code not prefilled: ${await input.inputValue()}`)
        await phone.locator('[data-testid=checkin-activity]', { hasText: topic }).waitFor()
        await noHorizontalOverflow(phone)
        await shot(phone, SHOT('checkin-mobile'))
        const wrong = code === '000000' ? '111111' : '000000'
        await input.fill(wrong)
        await phone.locator('[data-testid=checkin-submit]').click()
        const err = phone.locator('[data-testid=checkin-error]')
        await err.waitFor()
        expect((await err.innerText()).includes('签到码不正确'), `error: ${await err.innerText()}`)
        await input.fill('12')
        await phone.locator('[data-testid=checkin-submit]').click()
        await phone.locator('[data-testid=checkin-error]', { hasText: '请输入 6 位数字签到码' }).waitFor()
        await noHorizontalOverflow(phone)
        await shot(phone, SHOT('checkin-mobile-error'))
      },
      phone,
    )

    await ok(
      'member_demo checks in with the code',
      async () => {
        await phone.locator('[data-testid=checkin-code-input]').fill(code)
        await phone.locator('[data-testid=checkin-submit]').click()
        const ok = phone.locator('[data-testid=checkin-success]')
        await ok.waitFor()
        expect((await ok.innerText()).includes(memberName), `success text: ${await ok.innerText()}`)
        await noHorizontalOverflow(phone)
        await shot(phone, SHOT('checkin-mobile-success'))
      },
      phone,
    )

    await ok(
      "the member's 我的活动 lists the activity with check-in open",
      async () => {
        await phone.goto(`${base}/my/activities`)
        const card = phone.locator(`.item[data-activity="${activityId}"]`)
        await card.waitFor()
        expect((await card.innerText()).includes('签到中'), `card: ${await card.innerText()}`)
        await noHorizontalOverflow(phone)
        await shot(phone, SHOT('my-activities-mobile'))
      },
      phone,
    )

    await ok('the full-screen view counts the member present', async () => {
      await page.locator('[data-testid=checkin-present]', { hasText: /^\s*1\s*$/ }).waitFor({ timeout: 20_000 })
      await shot(page, SHOT('checkin-screen-present'))
    })

    await ok('the attendance table shows the check-in', async () => {
      await page.goto(`${base}/activities/${activityId}`)
      const table = page.locator('[data-testid=attendance]')
      await table.locator('.el-table__body tr').first().waitFor()
      await table.locator('input[placeholder="姓名或所在组织"]').fill(memberName)
      const row = table.locator('.el-table__body tr', { hasText: memberName }).first()
      await row.locator('.el-radio-button.is-active', { hasText: '出席' }).waitFor()
      expect((await row.innerText()).includes('签到码签到'), `row: ${await row.innerText()}`)
    })

    await ok('a 支委会 expects only the branch committee, each with their post', async () => {
      const c = await apiLogin(base, 'gz_branch')
      const committee = await c.get(`/orgs/${branch.org_id}/committee`)
      const start = new Date(Date.now() - 20 * 60_000)
      const a = await c.post('/activities', {
        org_ids: [branch.org_id],
        kind: 'committee_meeting',
        topic: `E2E支委会${stamp}`,
        start_at: start.toISOString(),
        end_at: new Date(start.getTime() + 3600_000).toISOString(),
        place: '广州吴川商会会议室',
        allow_duplicate: true,
      })
      await c.logout()
      const n = committee.in_office.length
      expect(n >= 1, `the demo branch has no committee: ${JSON.stringify(committee)}`)
      await page.goto(`${base}/activities/${a.id}`)
      const table = page.locator('[data-testid=attendance]')
      await table.locator('.el-table__body tr').first().waitFor()
      await page.locator('[data-testid=attendees-note]', { hasText: '在任的委员会成员' }).waitFor()
      const rows = await table.locator('.el-table__body tr').count()
      expect(rows === n, `the 支委会 lists ${rows} people, the committee has ${n}`)
      expect((await page.locator('[data-testid=attendance-expected]').innerText()).trim() === String(n), '应到 is not the committee')
      const text = await table.innerText()
      for (const p of committee.in_office) expect(text.includes(p.name) && text.includes(p.post_label), `${p.name} (${p.post_label}) missing`)
      await shot(page, SHOT('committee-meeting'))
      await page.goto(`${base}/activities/${activityId}`)
    })

    await ok('the organiser records a leave (with its reason) and an absence', async () => {
      const table = page.locator('[data-testid=attendance]')
      const search = table.locator('input[placeholder="姓名或所在组织"]')
      await search.fill('')
      await table.locator('.el-select.status').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '未登记' }).click()
      const rows = table.locator('.el-table__body tr')
      await rows.nth(1).waitFor()
      await rows.nth(0).locator('.el-radio-button', { hasText: '请假' }).click()
      await rows.nth(1).locator('.el-radio-button', { hasText: '缺席' }).click()
      await page.locator('[data-testid=attendance-save]').click()
      await page.locator('.el-message--error', { hasText: '请假须填写原因' }).waitFor()
      await rows.nth(0).locator('input[placeholder="必填"]').fill('在外地出差')
      await shot(page, SHOT('attendance'))
      await page.locator('[data-testid=attendance-save]').click()
      await page.locator('.el-message--success', { hasText: '出勤已保存' }).waitFor()
      await table.locator('.counts .c-leave b', { hasText: '1' }).waitFor()
      await table.locator('.counts .c-absent b', { hasText: '1' }).waitFor()
      await page.locator('.el-descriptions', { hasText: '请假 1，缺席 1' }).waitFor()
    })

    await ok('the organiser adds the minutes afterwards', async () => {
      await page.locator('[data-testid=activity-edit]').click()
      await page.waitForURL(/\/activities\/\d+\/edit$/)
      // The form is on the page (under its loading mask) before the activity has loaded.
      await page
        .waitForFunction((t) => document.querySelector('input[name=topic]')?.value === t, topic, { timeout: TIMEOUT })
        .catch(() => expect(false, 'the edit form is not filled in with the topic'))
      await page.locator('textarea[name=minutes]').fill('全体党员重温入党誓词，交流在穗务工经商体会。')
      await page.locator('[data-testid=activity-save]').click()
      await page.waitForURL((u) => u.pathname === `/activities/${activityId}`)
      await page.locator('.minutes', { hasText: '重温入党誓词' }).waitFor()
    })

    await ok("my duties: the branch's theme party day of this month is blue (done)", async () => {
      await page.goto(`${base}/duties`)
      const group = page.locator(`.group[data-period="${month}"]`)
      await group.waitFor()
      const duty = group.locator('.duty[data-rule=theme_day]')
      await duty.waitFor()
      const light = await duty.locator('.light-dot').first().getAttribute('data-light')
      const status = await duty.getAttribute('data-status')
      expect(light === 'blue' && status === 'done', `theme_day ${month}: light ${light}, status ${status}`)
      expect((await duty.innerText()).includes('已完成'), `duty text: ${await duty.innerText()}`)
      await shot(page, SHOT('my-duties'))
    })

    await ok('the compliance board: the month cell opens a drawer with the theme party day done', async () => {
      await page.goto(`${base}/duties/board`)
      const row = page.locator('[data-testid=board-table] .el-table__body tr', { has: page.locator(`[data-org="${branch.org_id}"]`) }).first()
      await row.waitFor()
      await page.locator('.chart-card canvas').first().waitFor()
      await page.waitForTimeout(600) // chart entry animation
      await shot(page, SHOT('board'))
      // The fixed first column is rendered twice by el-table; the month cells are in the main body.
      const cell = page.locator(`[data-testid=board-table] .el-table__body-wrapper tr:has([data-org="${branch.org_id}"]) .cell-btn[data-month="${bjMonth}"]`).first()
      await cell.click()
      const drawer = page.locator('.board-drawer')
      const theme = drawer.locator('.duty-row[data-rule=theme_day]')
      await theme.waitFor()
      const light = await theme.getAttribute('data-light')
      const status = await theme.getAttribute('data-status')
      expect(light === 'blue' && status === 'done', `drawer theme_day: light ${light}, status ${status}`)
      await shot(page, SHOT('board-drawer'))
      await page.keyboard.press('Escape')
    })

    await ok('a red cell lists what is missing', async () => {
      const red = page.locator(`[data-testid=board-table] .el-table__body-wrapper .cell-btn:has([data-light=red])`).first()
      if ((await red.count()) === 0) return // nothing overdue in this demo year
      await red.click()
      const drawer = page.locator('.board-drawer')
      await drawer.locator('[data-testid=drawer-missing]').waitFor()
      expect((await drawer.locator('.duty-row[data-status=overdue]').count()) > 0, 'a red cell without an overdue duty')
      await page.keyboard.press('Escape')
    })

    let lateId = null
    await ok('a back-dated recording asks for a reason and goes to approval', async () => {
      await page.goto(`${base}/activities/new`)
      await page.locator('[data-testid=org-multi-picker] .el-tag', { hasText: branch.org_name }).waitFor()
      await page.locator('[data-testid=activity-kind]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '党员大会' }).first().click()
      await page.locator('input[name=topic]').fill(`E2E补录党员大会${stamp}`)
      const start = new Date(Date.now() - 12 * 24 * 3600_000)
      await fillRange(page, page.locator('[data-testid=activity-range]'), beijing(start), beijing(new Date(start.getTime() + 2 * 3600_000)))
      await page.locator('[data-testid=activity-late-note]').waitFor()
      await page.locator('input[name=place]').fill('广州吴川商会会议室')
      await page.locator('[data-testid=activity-save]').click()
      const reasonError = page.locator('.el-form-item', { has: page.locator('textarea[name=late_reason]') }).locator('.el-form-item__error')
      await reasonError.waitFor()
      await page.locator('textarea[name=late_reason]').fill('当时系统尚未开通，现按会议记录补录')
      await shot(page, SHOT('form-late'))
      await saveActivity(page)
      lateId = Number(new URL(page.url()).pathname.split('/').pop())
      await page.locator('[data-testid=activity-status]', { hasText: '补录待审批' }).waitFor()
      await page.locator('[data-testid=approval-box]', { hasText: '等待县级管理员审批' }).waitFor()
      await logout(page)
    })

    await ok('wuchuan_admin lands on the workbench: the approval and a committee due for election, one click away', async () => {
      await loginOk(page, base, 'wuchuan_admin')
      await page.waitForURL((u) => u.pathname === '/workbench')
      const approvals = page.locator('[data-testid=work-approvals]')
      await approvals.waitFor()
      expect((await approvals.innerText()).includes(`E2E补录党员大会${stamp}`), `approvals: ${await approvals.innerText()}`)
      await page.locator('[data-testid=work-elections]').waitFor()
      await idle(page)
      await shot(page, SHOT('workbench-county'))
      await page.locator('[data-testid=work-elections]').click()
      await page.waitForURL(/\/orgs\?id=\d+/)
      await page.locator('[data-testid=committee-due]').waitFor()
      await shot(page, SHOT('committee-due'))
      await page.goto(`${base}/workbench`)
      await approvals.click()
      await page.locator('[data-testid=approval-box]').waitFor()
    })

    await ok('wuchuan_admin is notified, approves the recording and sees the rules', async () => {
      const menu = await page.locator('.side-menu').innerText()
      expect(menu.includes('考核规则'), `county menu: ${menu}`)
      await page.goto(`${base}/notifications`)
      // The county's daily roll-up of yellow and red duties.
      const rollup = page.locator('[data-testid=notification-list] .item[data-kind=duty_rollup]').first()
      await rollup.waitFor()
      expect((await rollup.innerText()).includes('组织生活提醒'), `roll-up: ${await rollup.innerText()}`)
      const note = page.locator('[data-testid=notification-list] .item[data-kind=approval]').first()
      await note.waitFor()
      await note.click()
      await page.waitForURL((u) => u.pathname === `/activities/${lateId}`)
      const box = page.locator('[data-testid=approval-box]')
      await box.locator('[data-testid=approval-note]').fill('同意补录')
      await shot(page, SHOT('approval'))
      await box.locator('[data-testid=approval-approve]').click()
      await page.locator('[data-testid=activity-status]', { hasText: '正常' }).waitFor()
      await box.locator('.el-tag', { hasText: '已批准' }).waitFor()
      await page.goto(`${base}/duty-rules`)
      const rules = page.locator('[data-testid=rules-table] .el-table__body')
      await rules.locator('tr', { hasText: '主题党日' }).waitFor()
      expect((await rules.locator('tr', { hasText: '主题党日' }).innerText()).includes('每月'), 'theme day is not monthly')
      await shot(page, SHOT('rules'))
    })

    await ok("the member's record lists the activity held by another organisation", async () => {
      await page.goto(`${base}/members/${memberId}`)
      const section = page.locator('[data-testid=member-activities]')
      const row = section.locator('.el-table__body tr', { hasText: topic })
      await row.waitFor()
      const text = await row.innerText()
      expect(text.includes('出席') && text.includes('其他组织'), `row: ${text}`)
      await section.scrollIntoViewIfNeeded()
      await shot(page, SHOT('member-detail'))
    })

    await ok('marking all notifications read clears the bell', async () => {
      await page.goto(`${base}/notifications`)
      await page.locator('[data-testid=notification-list] .item').first().waitFor()
      await page.locator('[data-testid=notification-read-all]').click()
      await page.locator('[data-testid=notification-list] .item.unread').first().waitFor({ state: 'detached' })
      await page.locator('[data-testid=notification-badge] .el-badge__content').waitFor({ state: 'hidden' })
    })

    await ok('bulk "present" leaves members who are away unmarked; the organisation page shows the committee', async () => {
      const c = await apiLogin(base, 'wuchuan_admin')
      const home = (await c.get(`/orgs?q=${encodeURIComponent('梅菉街道新华社区第一党支部')}`)).items[0]
      const start = new Date(Date.now() - 30 * 60_000)
      const a = await c.post('/activities', {
        org_ids: [home.id],
        kind: 'member_assembly',
        topic: `E2E党员大会${stamp}`,
        start_at: start.toISOString(),
        end_at: new Date(start.getTime() + 3600_000).toISOString(),
        place: '社区党群服务中心',
        allow_duplicate: true,
      })
      const people = (await c.get(`/activities/${a.id}/attendance`)).items
      await c.logout()
      const away = people.filter((p) => p.away).length
      expect(away > 0 && away < people.length, `the demo branch should have members away and at home: ${away} of ${people.length}`)
      await page.goto(`${base}/activities/${a.id}`)
      const table = page.locator('[data-testid=attendance]')
      await table.locator('.el-table__body tr').first().waitFor()
      await table.getByRole('button', { name: '批量登记' }).click()
      await page.locator('.el-dropdown-menu__item:visible', { hasText: '标为出席' }).click()
      const expected = (await page.locator('[data-testid=attendance-expected]').innerText()).trim()
      expect(expected === String(people.length - away), `应到 after bulk present: ${expected}, want ${people.length - away}`)
      const awayRow = table.locator('.el-table__body tr', { has: page.locator('[data-testid=attendee-away]') }).first()
      await awayRow.waitFor()
      expect((await awayRow.locator('.el-radio-button.is-active').count()) === 0, 'an away member was marked by the bulk action')
      await shot(page, SHOT('away-members'))
      await page.getByRole('button', { name: '撤销修改' }).click()
      await page.goto(`${base}/orgs?id=${home.id}`)
      await page.locator('[data-testid=committee-table] .el-table__body tr').first().waitFor()
      await page.locator('[data-testid=committee-term]', { hasText: '选举产生' }).waitFor()
      await shot(page, SHOT('org-committee'))
    })

    await ok('the county sees every organisation on the board and calendar', async () => {
      await page.goto(`${base}/duties/board`)
      await page.locator('[data-testid=board-table] .el-table__body tr').nth(1).waitFor()
      await idle(page)
      await page.waitForTimeout(600)
      const counts = await page.locator('[data-testid=board-counts]').innerText()
      expect(/红灯\s*\d+/.test(counts), `board counts: ${counts}`)
      await shot(page, SHOT('board-county'))
      await page.locator('[data-testid=board-light] .el-radio-button', { hasText: '红灯' }).click()
      await idle(page)
      const worst = await page.locator('[data-testid=board-table] .el-table__body-wrapper tr').evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('.light-dot')].some((d) => d.getAttribute('data-light') === 'red')),
      )
      expect(worst.length > 0 && worst.every(Boolean), 'the red filter shows an organisation without a red light')
      await page.goto(`${base}/activities`)
      await page.locator('[data-testid=calendar-grid] .chip').first().waitFor()
      await idle(page)
      await shot(page, SHOT('calendar-county'))
      await page.locator('[data-testid=activity-view] .el-radio-button', { hasText: '列表' }).click()
      await page.locator('.data-table .el-table__body tr').first().waitFor()
      await idle(page)
      await shot(page, SHOT('list'))
    })

    await ok('phone-sized calendar and board have no page-wide overflow', async () => {
      await page.setViewportSize(PHONE)
      await page.goto(`${base}/activities`)
      await page.locator('[data-testid=calendar-grid] .day').first().waitFor()
      await idle(page)
      await noHorizontalOverflow(page)
      await shot(page, SHOT('calendar-mobile'))
      await page.goto(`${base}/duties/board`)
      await page.locator('[data-testid=board-table] .el-table__body tr').first().waitFor()
      await idle(page)
      await noHorizontalOverflow(page)
      await shot(page, SHOT('board-mobile'))
      await page.setViewportSize(DESKTOP)
    })

    await ok('on a phone the attendance buttons and the ledger actions fit without sideways scrolling', async () => {
      await page.setViewportSize(PHONE)
      const within = async (locator, what) => {
        const box = await locator.boundingBox()
        expect(box && box.x >= 0 && box.x + box.width <= PHONE.width, `${what} is outside the screen: ${JSON.stringify(box)}`)
      }
      await page.goto(`${base}/activities/${activityId}`)
      const table = page.locator('[data-testid=attendance]')
      // A row nobody has marked yet (the first ones were marked above).
      const row = table.locator('.el-table__body tr').filter({ hasNot: page.locator('.el-radio-button.is-active') }).first()
      const radios = row.locator('.status-radios')
      await radios.waitFor()
      await idle(page)
      await noHorizontalOverflow(page)
      await within(radios.locator('.el-radio-button').last(), 'the 缺席 button')
      await radios.locator('.el-radio-button', { hasText: '请假' }).click()
      const reason = table.locator('.el-table__body tr input[placeholder^="请假原因"]').first()
      await reason.waitFor()
      await within(reason, 'the leave reason')
      await shot(page, SHOT('attendance-mobile'))
      await page.getByRole('button', { name: '撤销修改' }).click()
      await page.goto(`${base}/mobility/ledgers/outflow`)
      const contact = page.locator('.el-table__body tr [data-testid=row-contact]').first()
      await contact.waitFor()
      await idle(page)
      await noHorizontalOverflow(page)
      await within(contact, 'the 登记联系 action')
      await within(page.locator('.el-table__body tr [data-testid=ledger-where]').first(), 'where the member is')
      await shot(page, SHOT('ledger-mobile'))
      await page.setViewportSize(DESKTOP)
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
  console.log(`\nscreenshots: ${SHOTS}`)
  console.log(`${state.passed} passed, ${state.failed} failed`)
  process.exit(state.failed ? 1 : 0)
}

main()
