#!/usr/bin/env node
// End-to-end test of the member portal (党员之家, /m/) against a real `honglian serve --demo` on a
// fresh data dir, in Chromium at 390×844: the worker of 梅菉街道新华社区第一党支部 invites a member in the
// console and prints the sheet (发到工作群 is offered, but disabled with its reason: the demo runs
// without group robots); the member opens the invitation on the phone (the QR's link), answers
// with the last six characters of their ID number and chooses a username and password; checks in and
// asks for leave, reports leaving for 深圳; the branch worker sees the report on the console's
// workbench and confirms it with one click; the outflow ledger shows it and the member sees it
// confirmed; later they report coming back and the branch confirms the return. member_demo answers
// the census question (摸排) under 我的, changes the answer, and sees it read-only once the branch has
// recorded it. A member landing in the console is offered the portal.
//
//   npm run e2e:portal                        (target/debug/honglian with its embedded UI)
//
// Screenshots land in e2e/screenshots/portal-*.png. The last line is "N passed, M failed".
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
const SHOT = (name) => `portal-${name}`
const FIRST = 'Temp@2026x'

/** Signs in with the first password and sets PASSWORD (what an activated account would have). */
async function setPassword(base, username) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: FIRST }),
  })
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const s = await r.json()
  const p = await fetch(`${base}/api/v1/me/password`, {
    method: 'POST',
    headers: { Cookie: cookie, 'X-CSRF-Token': s.csrf_token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ old_password: FIRST, new_password: PASSWORD }),
  })
  if (!p.ok) throw new Error(`password of ${username}: ${p.status} ${await p.text()}`)
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-portal-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const { base } = server
    console.log(`honglian: ${BIN}\nlistening: ${base}\ndata dir: ${dataDir}`)

    // The world: a member of member_demo's branch at home, their account and the branch's worker.
    const demo = await apiLogin(base, 'member_demo')
    const home = (await demo.get('/me/profile')).member
    await demo.logout()
    const admin = await apiLogin(base, 'wuchuan_admin')
    const candidates = (await admin.get(`/members?org=${home.org_id}&status=normal&per_page=100`)).items
    const m = candidates.find((x) => !x.away && x.id !== home.id)
    expect(m, 'a member at home')
    const sec = await apiLogin(base, 'secadmin')
    const wu = await sec.post('/users', { username: 'xinhua_e2e', display_name: `${home.org_name} 党务工作者`, password: FIRST })
    await sec.post(`/users/${wu.id}/grants`, { role: 'org_admin', org_id: home.org_id })
    await sec.logout()
    await setPassword(base, 'xinhua_e2e')
    // What only the member knows: the last six characters of their ID number.
    const idTail = (await admin.post(`/members/${m.id}/unmask`, { reason: '端到端测试：核对邀请开通' })).id_number.slice(-6)
    // Two activities of the branch: one going on now (check-in), one next week (leave).
    const now = Date.now()
    const going = await admin.post('/activities', {
      org_ids: [home.org_id], kind: 'party_lecture', topic: '学习新修订的《中国共产党纪律处分条例》', place: '社区党群服务中心', lecturer: '社区党委书记',
      start_at: new Date(now - 10 * 60_000).toISOString(), end_at: new Date(now + 80 * 60_000).toISOString(), allow_duplicate: true,
    })
    const later = await admin.post('/activities', {
      org_ids: [home.org_id], kind: 'theme_day', topic: '主题党日：走访慰问困难党员', place: '新华社区党群服务中心',
      start_at: new Date(now + 6 * 86400_000).toISOString(), end_at: new Date(now + 6 * 86400_000 + 2 * 3600_000).toISOString(), allow_duplicate: true,
    })
    await admin.logout()

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const newContext = async (viewport, extra = {}) => {
      const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...extra })
      ctx.setDefaultTimeout(TIMEOUT)
      return ctx
    }
    const consoleErrors = []
    const phone = await (await newContext(PHONE, { isMobile: true, hasTouch: true })).newPage()
    watchConsole(phone, consoleErrors)
    const desk = await (await newContext(DESKTOP)).newPage()
    watchConsole(desk, consoleErrors)

    const ok = async (name, fn, p = phone) => {
      if (!(await step(name, fn))) {
        await p.screenshot({ path: join(SHOTS, `portal-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }

    let code = ''
    let census = null
    await ok('the branch worker invites the member in the console and prints the sheet', async () => {
      await loginOk(desk, base, 'xinhua_e2e')
      await desk.goto(`${base}/portal/invitations`)
      await idle(desk)
      await desk.locator('[data-testid=invite-figures]').waitFor()
      // 发放方式: printing, or the group chat — which this deployment has switched off, and says so.
      const delivery = desk.locator('[data-testid=invite-delivery]')
      await delivery.waitFor()
      expect((await delivery.innerText()).includes('发放方式'), await delivery.innerText())
      expect(await desk.locator('[data-testid=invite-delivery-print] input').isChecked(), 'printing is the default')
      const robotRadio = desk.locator('[data-testid=invite-delivery-robot]')
      expect((await robotRadio.innerText()).includes('发到工作群'), 'the group option is shown')
      expect(await robotRadio.locator('input').isDisabled(), 'and disabled')
      await desk.locator('[data-testid=invite-delivery-robot-wrap]').hover()
      const tip = desk.locator('.el-popper.is-dark:visible', { hasText: '本系统未开启群机器人推送' })
      await tip.waitFor()
      expect((await tip.innerText()).includes('请打印二维码'), await tip.innerText())
      await robotRadio.click({ force: true })
      expect(await desk.locator('[data-testid=invite-delivery-print] input').isChecked(), 'a click on the disabled option changes nothing')
      expect((await desk.locator('[data-testid=invite-robot]').count()) === 0, 'no robot picker')
      await shot(desk, SHOT('invitation-delivery'))
      await desk.mouse.move(0, 0)
      await tip.waitFor({ state: 'hidden' })
      await desk.locator('[data-testid=invite-member] input').fill(m.name)
      await desk.locator('.member-picker-popper .el-select-dropdown__item', { hasText: m.name }).first().click()
      await desk.locator('[data-testid=invite-one]').click()
      const card = desk.locator('.el-dialog [data-testid=invitation-card]')
      await card.first().waitFor()
      expect((await card.count()) === 1, 'one card')
      code = (await card.locator('[data-testid=invitation-code]').innerText()).trim()
      expect(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/.test(code), `code: ${code}`)
      const qr = await card.locator('.qr-code').getAttribute('data-url')
      expect(qr === `${base}/m/activate#code=${encodeURIComponent(code)}`, `QR: ${qr}`)
      await shot(desk, SHOT('invitation-sheet'))
      // Printed, the sheet alone.
      await desk.emulateMedia({ media: 'print' })
      await shot(desk, SHOT('invitation-print'))
      await desk.emulateMedia({ media: 'screen' })
      await desk.locator('[data-testid=sheet-dialog] .el-dialog__headerbtn').click()
      await desk.locator('[data-testid=invitations-table] .el-table__body', { hasText: m.name }).first().waitFor()
      await shot(desk, SHOT('invitations'))
    }, desk)

    await ok('the member opens the invitation on the phone at 390×844 and chooses a username and password', async () => {
      await phone.goto(`${base}/m/login`)
      await phone.locator('[data-testid=to-activate]').waitFor()
      await shot(phone, SHOT('login'))
      // Scanning the QR opens its link.
      await phone.goto(`${base}/m/activate#code=${encodeURIComponent(code)}`)
      const whom = phone.locator('[data-testid=activate-whom]')
      await whom.waitFor()
      const text = await whom.innerText()
      expect(text.includes(home.org_name) && text.includes(m.name[0]) && text.includes('*') && !text.includes(m.name), `masked: ${text}`)
      expect(!phone.url().includes(code), 'the code leaves the address bar')
      const form = phone.locator('[data-testid=activate-form]')
      await form.locator('input[name=id_tail]').fill(idTail === '000000' ? '000001' : '000000')
      await form.locator('input[name=username]').fill('portal_e2e')
      await form.locator('input[name=password]').fill(PASSWORD)
      await form.locator('input[name=again]').fill(PASSWORD)
      await form.locator('button[type=submit]').click()
      await form.locator('.van-field__error-message', { hasText: '还可以再试' }).waitFor()
      await shot(phone, SHOT('activate-wrong'))
      await form.locator('input[name=id_tail]').fill(idTail)
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('activate'))
      await form.locator('button[type=submit]').click()
      await phone.waitForURL((u) => u.pathname === '/m/me')
      await phone.locator('[data-testid=me-branch]', { hasText: home.org_name }).waitFor()
      await phone.locator('.van-tabbar-item', { hasText: '组织生活' }).click()
      await phone.waitForURL((u) => u.pathname === '/m/life')
      await phone.locator(`[data-activity="${later.id}"]`).waitFor()
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('life'))
    })

    await ok('checks in with the code and asks for leave with a reason', async () => {
      const card = phone.locator(`[data-activity="${going.id}"]`)
      await card.locator('[data-testid=portal-checkin]').click()
      await phone.locator('[data-testid=portal-sheet] input[name=code]').fill('000000')
      await phone.locator('[data-testid=portal-sheet] button[type=submit]').click()
      await phone.locator('[data-testid=portal-sheet] .van-field__error-message', { hasText: '签到码不正确' }).waitFor()
      await phone.locator('[data-testid=portal-sheet] input[name=code]').fill(going.checkin_code)
      await phone.locator('[data-testid=portal-sheet] button[type=submit]').click()
      await card.locator('[data-testid=my-attendance]', { hasText: '已签到' }).waitFor()
      const next = phone.locator(`[data-activity="${later.id}"]`)
      await next.locator('[data-testid=portal-leave]').click()
      await phone.locator('[data-testid=portal-sheet] textarea[name=reason]').fill('在深圳务工，当天无法返回')
      await shot(phone, SHOT('leave-sheet'))
      await phone.locator('[data-testid=portal-sheet] button[type=submit]').click()
      await next.locator('[data-testid=my-attendance]', { hasText: '已请假' }).waitFor()
      await phone.waitForTimeout(2500) // the toast fades
      await shot(phone, SHOT('life-after'))
      const w = await apiLogin(base, 'xinhua_e2e')
      const table = await w.get(`/activities/${later.id}/attendance`)
      await w.logout()
      const row = (Array.isArray(table) ? table : table.items).find((r) => r.member_id === m.id)
      expect(row?.status === 'leave' && row.reason === '在深圳务工，当天无法返回' && row.via === 'self', `attendance: ${JSON.stringify(row)}`)
    })

    await ok('reports leaving for 深圳', async () => {
      await phone.locator('.van-tabbar-item', { hasText: '外出报备' }).click()
      await phone.waitForURL((u) => u.pathname === '/m/report')
      await phone.locator('[data-testid=report-place]').click()
      await phone.locator('.van-cascader__option', { hasText: '广东省' }).click()
      await phone.locator('.van-cascader__option', { hasText: '深圳市' }).click()
      await phone.locator('input[name=employer]').fill('深圳市某电子科技有限公司')
      await phone.locator('input[name=occupation]').fill('技术员')
      await phone.locator('input[name=phone]').fill('13912345678')
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('report-form'))
      await phone.locator('[data-testid=report-submit]').click()
      await phone.locator('[data-testid=my-report] [data-testid=report-status]', { hasText: '待确认' }).waitFor()
      expect((await phone.locator('[data-testid=report-form]').count()) === 0, 'the form stays while a report waits')
      await phone.waitForTimeout(2500)
      await shot(phone, SHOT('report-sent'))
    })

    await ok('the branch worker sees it on the workbench and confirms it with one click', async () => {
      await desk.goto(`${base}/workbench`)
      const item = desk.locator('[data-testid=work-outflow_reports]')
      await item.waitFor()
      const text = await item.innerText()
      expect(text.includes('外出报备待确认') && text.includes(m.name) && text.includes('深圳市'), `workbench item: ${text}`)
      await shot(desk, SHOT('workbench'))
      await item.click()
      await desk.waitForURL((u) => u.pathname === '/mobility/reports')
      await idle(desk)
      const row = desk.locator('[data-testid=reports-table] .el-table__body-wrapper tr', { hasText: m.name }).first()
      await row.waitFor()
      await shot(desk, SHOT('queue'))
      await desk.locator('.el-table__fixed-right [data-testid=report-confirm], [data-testid=report-confirm]').first().click()
      await desk.locator('.el-message--success', { hasText: '已记入流动台账' }).waitFor()
      await desk.goto(`${base}/mobility/ledgers/outflow`)
      await idle(desk)
      await desk.locator('.el-table__body', { hasText: m.name }).first().waitFor()
      await shot(desk, SHOT('ledger'))
    }, desk)

    await ok('the member sees the report confirmed and where they are now', async () => {
      await phone.reload()
      await phone.locator('[data-testid=my-report] [data-testid=report-status]', { hasText: '已登记' }).waitFor()
      await shot(phone, SHOT('report-confirmed'))
      await phone.locator('.van-tabbar-item', { hasText: '我的' }).click()
      await phone.waitForURL((u) => u.pathname === '/m/me')
      await phone.locator('[data-testid=me-branch]', { hasText: home.org_name }).waitFor()
      const rec = await phone.locator('[data-testid=me-record]').innerText()
      expect(rec.includes('*******5678') && !rec.includes('13912345678'), `masked record: ${rec}`)
      await phone.locator('[data-testid=me-head]', { hasText: '外出中' }).waitFor()
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('me'))
      // Their own record in clear, on their own request.
      await phone.locator('[data-testid=me-unmask]').click()
      await phone.locator('[data-testid=me-record]', { hasText: '13912345678' }).waitFor()
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('me-unmasked'))
    })

    await ok('back home, the member reports it (返回报备) and the branch confirms the return', async () => {
      await phone.locator('.van-tabbar-item', { hasText: '外出报备' }).click()
      await phone.waitForURL((u) => u.pathname === '/m/report')
      const form = phone.locator('[data-testid=return-form]')
      await form.waitFor()
      await form.locator('input[name=current_place]').fill('梅菉街道新华社区')
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('return-form'))
      await phone.locator('[data-testid=return-submit]').click()
      await phone.locator('[data-testid=my-report]', { hasText: '从广东省 深圳市返回' }).locator('[data-testid=report-status]', { hasText: '待确认' }).waitFor()
      await desk.goto(`${base}/mobility/reports`)
      await idle(desk)
      const row = desk.locator('[data-testid=reports-table] .el-table__body-wrapper tr', { hasText: m.name }).first()
      await row.locator('[data-testid=report-kind]', { hasText: '返回报备' }).waitFor()
      await shot(desk, SHOT('queue-return'))
      await desk.locator('.el-table__fixed-right [data-testid=report-confirm], [data-testid=report-confirm]').first().click()
      await desk.locator('.el-message--success', { hasText: '已登记回归' }).waitFor()
      await phone.reload()
      await phone.locator('[data-testid=my-report]', { hasText: '从广东省 深圳市返回' }).locator('[data-testid=report-status]', { hasText: '已登记' }).waitFor()
      await shot(phone, SHOT('return-confirmed'))
    })

    await ok("member_demo's 我的 shows the branch secretary and the mobile-member card with its QR code", async () => {
      await phone.goto(`${base}/m/me`)
      await phone.locator('[data-testid=portal-logout]').click()
      await phone.waitForURL((u) => u.pathname === '/m/login')
      await phone.locator('[data-testid=portal-login] input[name=username]').fill('member_demo')
      await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
      await phone.locator('[data-testid=portal-login] button[type=submit]').click()
      await phone.waitForURL((u) => u.pathname.startsWith('/m/') && u.pathname !== '/m/login')
      await phone.goto(`${base}/m/me`)
      await phone.locator('[data-testid=me-secretary]').waitFor()
      const card = phone.locator('[data-testid=me-card]')
      await card.waitFor()
      const no = (await card.locator('[data-testid=me-card-no]').innerText()).trim()
      expect(/^WC\d{6}$/.test(no), `card number: ${no}`)
      const qr = card.locator('[data-testid=me-card-qr]')
      expect(((await qr.getAttribute('data-url')) ?? '').includes(`card=${no}`), 'the QR carries the card number')
      await card.scrollIntoViewIfNeeded()
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('me-card'))
    })

    await ok('member_demo answers the census question (摸排) under 我的, and changes the answer', async () => {
      const demo = await apiLogin(base, 'member_demo')
      let open = (await demo.get('/me/census')).filter((q) => !q.answered_at)
      if (!open.length) {
        // The demo's census has this member recorded already: the branch asks again, for next quarter.
        const admin = await apiLogin(base, 'wuchuan_admin')
        await admin.post('/censuses', { name: '2027年第一季度流动党员摸排', org_id: home.org_id, period: '2027-Q1' })
        await admin.logout()
        open = (await demo.get('/me/census')).filter((q) => !q.answered_at)
      }
      await demo.logout()
      expect(open.length > 0, 'an open census question for member_demo')
      const entry = open[0]
      census = entry
      await phone.goto(`${base}/m/me`)
      const card = phone.locator(`[data-testid=me-census][data-entry="${entry.entry_id}"]`)
      await card.waitFor()
      expect((await card.getAttribute('data-state')) === 'open', 'open')
      const head = await card.locator('[data-testid=me-census-head]').innerText()
      expect(head === `${entry.asked_by}想了解您的近况（${entry.campaign}）`, head)
      const text = await card.innerText()
      expect(text.includes('如方便') && text.includes('回复') && !/必须|务必|逾期/.test(text), `gentle wording: ${text}`)
      expect((await card.locator('.van-badge').count()) === 0, 'no badge demanding action')
      // It comes before 报平安.
      const order = await phone.evaluate(() => {
        const c = document.querySelector('[data-testid=me-census]')
        const r = document.querySelector('[data-testid=me-report-in]')
        return !!c && !!r && !!(c.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING)
      })
      expect(order, 'the census card sits above 报平安')
      await card.scrollIntoViewIfNeeded()
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('me-census'))
      // 现所在地 is the one thing asked for.
      await card.locator('[data-testid=me-census-submit]').click()
      await card.locator('.van-field__error-message', { hasText: '请填写现所在地' }).waitFor()
      await card.locator('input[name=current_place]').fill('广东省广州市天河区')
      await card.locator('.van-field__error-message').waitFor({ state: 'hidden' }) // typing clears it
      await card.locator('input[name=current_employer]').fill('广州某物流有限公司')
      await card.locator('textarea[name=needs]').fill('想把组织关系的证明开到广州')
      await card.locator('textarea[name=note]').fill('工作稳定，家里都好')
      await card.locator('[data-testid=me-census-form]').scrollIntoViewIfNeeded()
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('me-census-form'))
      await card.locator('[data-testid=me-census-submit]').click()
      await card.locator('[data-testid=me-census-answered]', { hasText: '已回复' }).waitFor()
      expect((await card.getAttribute('data-state')) === 'mine', 'answered by the member')
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
      const answered = await card.innerText()
      expect(answered.includes(`已回复 · ${today}`) && answered.includes('广东省广州市天河区') && answered.includes('想把组织关系的证明开到广州'), answered)
      await phone.locator('[data-testid=me-last-contact]', { hasText: today }).waitFor()
      await card.locator('[data-testid=me-census-thanks]', { hasText: '已告诉党支部，谢谢！' }).waitFor()
      await card.scrollIntoViewIfNeeded()
      await shot(phone, SHOT('me-census-answered'))
      // 修改: the answer comes back into the form.
      await card.locator('[data-testid=me-census-edit]').click()
      expect((await card.locator('input[name=current_place]').inputValue()) === '广东省广州市天河区', 'prefilled')
      await card.locator('input[name=current_place]').fill('广东省广州市白云区')
      await card.locator('[data-testid=me-census-submit]').click()
      await card.locator('[data-testid=me-census-answered]', { hasText: '已回复' }).waitFor()
      expect((await card.innerText()).includes('广东省广州市白云区'), await card.innerText())
      // The branch sees the answer in the campaign.
      const c = await apiLogin(base, 'wuchuan_admin')
      const entries = (await c.get(`/censuses/${entry.campaign_id}/entries?org=${home.org_id}&verified=true&per_page=100`)).items
      const row = entries.find((x) => x.id === entry.entry_id)
      expect(
        row?.reached === true && row?.current_place === '广东省广州市白云区' && (row?.verified_by_name ?? '').includes('本人'),
        `entry: ${JSON.stringify(row)}`,
      )
      await c.logout()
    })

    await ok('once the branch records the entry the answer is read-only (党支部已登记, a 409 meanwhile)', async () => {
      const card = phone.locator(`[data-testid=me-census][data-entry="${census.entry_id}"]`)
      await card.locator('[data-testid=me-census-edit]').click()
      const c = await apiLogin(base, 'wuchuan_admin')
      await c.put(`/censuses/${census.campaign_id}/entries/${census.entry_id}`, { reached: true, current_place: '广东省广州市白云区', thoughts: '思想稳定' })
      await c.logout()
      await card.locator('input[name=current_place]').fill('广东省深圳市南山区')
      await card.locator('[data-testid=me-census-submit]').click()
      await card.locator('[data-testid=me-census-message]', { hasText: '党支部已登记了这次摸排' }).waitFor()
      await card.locator('[data-testid=me-census-answered]', { hasText: '党支部已登记' }).waitFor()
      expect((await card.getAttribute('data-state')) === 'branch', 'recorded by the branch')
      expect((await card.locator('input[name=current_place]').count()) === 0, 'no form')
      expect((await card.innerText()).includes('广东省广州市白云区'), 'what the branch recorded')
      expect((await card.locator('[data-testid=me-census-edit]').count()) === 0, 'no 修改')
      await card.scrollIntoViewIfNeeded()
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('me-census-recorded'))
    })

    await ok('member_demo finds 我的个人信息副本 under 我的, and it is a PDF of their own data', async () => {
      const cell = phone.locator('[data-testid=me-data-copy]')
      await cell.scrollIntoViewIfNeeded()
      expect((await cell.innerText()).includes('我的个人信息副本'), 'the cell is there')
      // The cell opens this address (Vant's cell navigates on click); the download with the phone's own session:
      const href = '/api/v1/me/data.pdf'

      const got = await phone.evaluate(async (url) => {
        const r = await fetch(url, { credentials: 'same-origin' })
        const b = new Uint8Array(await r.arrayBuffer())
        return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 5)) }
      }, href)
      expect(got.status === 200 && got.type === 'application/pdf' && got.head === '%PDF-', JSON.stringify(got))
      await shot(phone, SHOT('me-data-copy'))
    })

    await ok('member_demo reports in (报平安) and the contact log has it', async () => {
      const box = phone.locator('[data-testid=me-report-in]')
      await box.scrollIntoViewIfNeeded()
      await box.locator('textarea[name=note]').fill('在广州天河，工作顺利，一切安好')
      await box.locator('[data-testid=me-report-in-submit]').click()
      await box.locator('[data-testid=me-report-in-done]').waitFor()
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
      await box.locator('[data-testid=me-last-contact]', { hasText: today }).waitFor()
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('me-report-in'))
      // The home branch sees it in the member's contact log.
      const c = await apiLogin(base, 'wuchuan_admin')
      const log = (await c.get(`/members/${home.id}/contacts`)).items
      expect(log[0]?.kind === 'self_report' && log[0]?.note === '在广州天河，工作顺利，一切安好', `contact log: ${JSON.stringify(log[0])}`)
      await c.logout()
    })

    await ok('member_demo opens 学习 from 我的 and marks a VR hall visited, a note only they see', async () => {
      await phone.goto(`${base}/m/me`)
      await phone.locator('[data-testid=me-learning]').click()
      await phone.waitForURL((u) => u.pathname === '/m/learning')
      const venues = phone.locator('[data-testid=learning-venue]')
      await venues.first().waitFor()
      expect((await venues.count()) === 10, `Wuchuan's ten halls: ${await venues.count()}`)
      const before = await phone.locator('[data-testid=learning-mine]').innerText()
      const second = venues.nth(1)
      expect((await second.locator('[data-testid=learning-open]').getAttribute('href'))?.startsWith('https://'), 'a link to the hall')
      await second.locator('[data-testid=learning-mark]').click()
      await second.locator('[data-testid=learning-visited]').waitFor()
      const after = await phone.locator('[data-testid=learning-mine]').innerText()
      expect(before.includes('3 / 10') && after.includes('4 / 10'), `${before} → ${after}`)
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('learning'))
    })

    await ok('member_demo opens 回乡工程 from 我的: the 广州 chamber\'s drives, the one they attended marked', async () => {
      await phone.goto(`${base}/m/me`)
      await phone.locator('[data-testid=me-hometown]').click()
      await phone.waitForURL((u) => u.pathname === '/m/hometown')
      const drives = phone.locator('[data-testid=hometown-drive]')
      await drives.first().waitFor()
      expect((await drives.count()) === 2, `the 广州 chamber's two drives: ${await drives.count()}`)
      const first = await drives.first().innerText()
      expect(first.includes('广州吴川商会党支部') && first.includes('推介会'), first)
      expect((await drives.first().locator('[data-testid=hometown-took-part]').count()) === 1, 'attended the latest')
      expect((await drives.nth(1).locator('[data-testid=hometown-took-part]').count()) === 0, 'not the 2021 one')
      await noHorizontalOverflow(phone)
      await shot(phone, SHOT('hometown'))
    })

    await ok('the county admin keeps the list of learning venues', async () => {
      await logout(desk)
      await loginOk(desk, base, 'wuchuan_admin')
      await desk.goto(`${base}/portal/learning`)
      await idle(desk)
      const names = desk.locator('[data-testid=venues-table] input[data-testid=venue-name]')
      await names.first().waitFor()
      expect((await names.count()) === 10, 'ten rows')
      await desk.locator('[data-testid=venue-add]').click()
      await names.nth(10).fill('吴川侨乡文化馆')
      await desk.locator('input[data-testid=venue-url]').nth(10).fill('ftp://wrong')
      await desk.locator('[data-testid=venues-save]').click()
      await desk.locator('.field-error', { hasText: 'http' }).waitFor()
      await desk.locator('input[data-testid=venue-url]').nth(10).fill('https://vr.wuchuan.example/qiaoxiang')
      await desk.locator('[data-testid=venues-save]').click()
      await desk.locator('.el-message--success', { hasText: '已保存' }).waitFor()
      await shot(desk, SHOT('learning-venues'))
    }, desk)

    await ok('a member landing in the console is offered the portal', async () => {
      await logout(desk)
      await loginOk(desk, base, 'member_demo')
      await desk.goto(`${base}/workbench`)
      const offer = desk.locator('[data-testid=portal-offer]')
      await offer.waitFor()
      expect((await offer.locator('a[href="/m/"]').count()) === 1, 'a link to /m/')
      await shot(desk, SHOT('console-offer'))
    }, desk)

    await ok('with group robots switched on, invitations go to a group chat (a robot of another organisation is refused on the picker)', async () => {
      // A second server whose configuration lets robots post; the robot's address goes nowhere (the
      // worker gives its messages up later), the answer and the page are what is checked here.
      const dir2 = mkdtempSync(join(tmpdir(), 'honglian-e2e-portal-robots-'))
      writeFileSync(
        join(dir2, 'honglian.toml'),
        '[notify]\nwebhooks = true\nwebhook_hosts = ["127.0.0.1"]\npublic_url = "https://dj.example.invalid"\n',
      )
      const server2 = await startServer(dir2)
      try {
        const b2 = server2.base
        const admin = await apiLogin(b2, 'wuchuan_admin')
        const branch = await admin.get(`/orgs/${home.org_id}`)
        const siblings = (await admin.get(`/orgs?parent=${branch.parent_id}`)).items
        const other = siblings.find((o) => o.id !== home.org_id)
        expect(other, 'another branch beside 新华社区第一党支部')
        const hook = (k) => `http://127.0.0.1:9/cgi-bin/webhook/send?key=${k}`
        await admin.post('/notify/robots', { org_id: home.org_id, kind: 'wecom', name: '新华一支部党员群', webhook_url: hook('e2e-a'), secret: null })
        await admin.post('/notify/robots', { org_id: other.id, kind: 'wecom', name: '邻支部党员群', webhook_url: hook('e2e-b'), secret: null })
        await admin.logout()

        await logout(desk)
        await desk.goto(`${b2}/login`)
        await loginOk(desk, b2, 'wuchuan_admin')
        await desk.goto(`${b2}/portal/invitations`)
        await desk.locator('[data-testid=invite-figures]').waitFor()
        await desk.locator('.invite-card .org-picker').first().click()
        const popper = desk.locator('.org-picker-popper:visible')
        await popper.locator('input[data-testid=org-picker-search]').fill(branch.name)
        await popper.locator('.org-picker-result', { hasText: branch.name }).first().click()
        const robotRadio = desk.locator('[data-testid=invite-delivery-robot]')
        expect(!(await robotRadio.locator('input').isDisabled()), 'the group option is enabled')
        await robotRadio.click()
        const picker = desk.locator('[data-testid=invite-robot]')
        await picker.waitFor()
        const pick = async (name) => {
          await picker.click()
          await desk.locator('.el-select-dropdown__item:visible', { hasText: name }).click()
        }
        // A robot of the neighbouring branch cannot carry 新华's invitations: the refusal shows on the picker.
        await pick('邻支部党员群')
        await desk.locator('[data-testid=invite-org-all]').click()
        const robotItem = desk.locator('.robot-item')
        await robotItem.locator('.el-form-item__error', { hasText: '只能发送' }).waitFor()
        expect((await robotItem.locator('.el-form-item__error').innerText()).includes('邻支部党员群'), await robotItem.innerText())
        expect((await desk.locator('[data-testid=sheet-dialog]:visible').count()) === 0, 'no sheet')
        await idle(desk)
        await shot(desk, SHOT('invitation-robot-refused'))
        await pick('新华一支部党员群')
        await desk.locator('[data-testid=invite-org-all]').click()
        const sent = desk.locator('[data-testid=invite-robot-sent]')
        await sent.waitFor()
        const text = await sent.innerText()
        expect(/已排队发往“新华一支部党员群”，共 \d+ 条消息，每位党员在群里找到自己的链接/.test(text), text)
        expect((await desk.locator('[data-testid=sheet-dialog]:visible').count()) === 0, 'no sheet to print')
        await desk.locator('[data-testid=invitations-table] .el-table__row').first().waitFor()
        await idle(desk)
        await shot(desk, SHOT('invitation-robot-sent'))
        // The delivery log names them 开通邀请.
        await desk.goto(`${b2}/delivery?tab=outbox`)
        const rows = desk.locator('[data-testid=outbox-table] .el-table__row', { hasText: '新华一支部党员群' })
        await rows.first().waitFor()
        const kinds = await rows.locator('[data-testid=outbox-kind]').allInnerTexts()
        expect(kinds.length > 0 && kinds.every((k) => k === '开通邀请'), `kinds: ${kinds}`)
        await idle(desk)
        await shot(desk, SHOT('delivery-invitations'))
      } finally {
        await server2.stop()
        rmSync(dir2, { recursive: true, force: true })
      }
    }, desk)

    await step('no uncaught errors, CSP violations or deprecation warnings', async () => {
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
