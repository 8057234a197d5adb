#!/usr/bin/env node
// End-to-end test of 服务 against a real `honglian serve --demo` on a fresh data dir, in Debian's
// Chromium through playwright-core: the map and list of Jinxiang's service places, an inspection that
// brings a station up to the 六有 standard (and a photo of it), the policy library searched in Chinese with
// the matches marked, 红链直通车 from a branch and from an enterprise's contact on the phone (with a photo),
// answered by the department and rated.
//
//   npm run e2e:services        (target/debug/honglian with its embedded UI)
//
// Screenshots land in e2e/screenshots/services-*.png. The last line is "N passed, M failed"; the exit
// code is non-zero when anything failed.
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
const SHOT = (name) => `services-${name}`

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-services-'))
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
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await page.screenshot({ path: join(SHOTS, `services-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }

    await ok('jinxiang_admin sees the places on the map with counts by kind', async () => {
      await loginOk(page, base, 'jinxiang_admin')
      const menu = await page.locator('.side-menu').innerText()
      for (const t of ['服务阵地', '惠企政策']) expect(menu.includes(t), `menu lacks ${t}: ${menu}`)
      await page.goto(`${base}/services/places`)
      await page.locator('[data-testid=place-table] .el-table__row').first().waitFor()
      await page.locator('[data-testid=place-map] canvas').first().waitFor()
      await idle(page)
      const count = async (k) => (await page.locator(`[data-count=${k}]`).innerText()).trim()
      expect((await count('center')) === '7', `centres: ${await count('center')}`)
      expect((await count('workshop_station')) === '16', 'workshop stations')
      expect((await count('courier_station')) === '29', 'courier stations')
      await page.waitForTimeout(600)
      await shot(page, SHOT('places'))
    })

    await ok('an inspection brings a station up to the standard', async () => {
      await page.locator('[data-testid=place-kind] .el-radio-button', { hasText: '爱心驿站' }).click()
      await idle(page)
      const short = page.locator('[data-testid=place-table] .el-table__row', { has: page.locator('[data-testid=place-standard]', { hasText: '/' }) }).first()
      await short.click()
      const drawer = page.locator('[data-testid=place-drawer]')
      await drawer.locator('[data-testid=standard-items]').waitFor()
      await shot(page, SHOT('place-drawer'))
      await drawer.locator('[data-testid=place-inspect]').click()
      const form = page.locator('[data-testid=inspection-form]')
      await form.locator('[data-testid=inspector]').fill('县委组织部 王建华')
      const unchecked = form.locator('.el-checkbox:not(.is-checked)')
      while ((await unchecked.count()) > 0) await unchecked.first().click()
      await form.locator('[data-testid=inspection-save]').click()
      await drawer.locator('[data-testid=inspections] .el-timeline-item', { hasText: '县委组织部 王建华：达标' }).first().waitFor()
      expect((await drawer.locator('[data-testid=standard-items] .el-tag--info').count()) === 0, 'an item is still missing')
      await shot(page, SHOT('inspected'))
      // A photo of the station (any real PNG: a capture of the map) shows in its drawer and on the phone.
      const photo = await page.locator('[data-testid=place-map]').screenshot()
      await drawer.locator('[data-testid=place-photo-input]').setInputFiles({ name: '驿站门头.png', mimeType: 'image/png', buffer: photo })
      await drawer.locator('[data-testid=place-photos] img').first().waitFor()
      await shot(page, SHOT('place-photo'))
      await page.keyboard.press('Escape')
    })

    await ok('the policy library finds 税收 and marks it', async () => {
      await page.goto(`${base}/services/policies`)
      await page.locator('[data-testid=policy-card]').first().waitFor()
      await page.locator('[data-testid=policy-q]').fill('税收')
      await page.waitForFunction(() => document.querySelector('[data-testid=policy-card] mark')?.textContent === '税收')
      const total = await page.locator('[data-testid=policy-total]').innerText()
      expect(/共 \d+ 条政策/.test(total), total)
      const marks = await page.locator('[data-testid=policy-card] mark').allInnerTexts()
      expect(marks.length > 0 && marks.every((m) => m === '税收'), `marks: ${marks}`)
      await shot(page, SHOT('policies-search'))
      await page.locator('[data-testid=policy-card]').first().click()
      await page.locator('[data-testid=policy-body]').waitFor()
      expect((await page.locator('[data-testid=policy-body]').innerText()).includes('第一条'), 'the full text is shown')
      await shot(page, SHOT('policy-detail'))
      await page.keyboard.press('Escape')
    })

    await ok('the county admin adds a policy and finds it by a word of its text', async () => {
      await page.locator('[data-testid=policy-q]').fill('')
      await page.locator('[data-testid=policy-new]').click()
      const form = page.locator('[data-testid=policy-form]')
      await form.locator('[data-testid=policy-form-dept]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '县科学技术局' }).first().click()
      await form.locator('input').nth(1).fill('金科发〔2026〕21号')
      await form.locator('[data-testid=policy-form-title]').fill('金乡县科技型企业入库奖励办法')
      await form.locator('[data-testid=policy-form-summary]').fill('对首次入库的科技型中小企业给予一次性奖励。')
      await form.locator('[data-testid=policy-form-body]').fill('第一条 为鼓励科技型中小企业入库评价，对首次入库的企业给予 2 万元奖励。')
      await form.locator('[data-testid=policy-save]').click()
      await page.locator('[data-testid=policy-drawer] [data-testid=policy-body]', { hasText: '首次入库的企业' }).waitFor()
      await page.keyboard.press('Escape')
      await page.locator('[data-testid=policy-q]').fill('入库')
      await page.locator('[data-testid=policy-card] mark', { hasText: '入库' }).first().waitFor()
      await shot(page, SHOT('policy-added'))
      await logout(page)
    })

    const REQUEST_TITLE = '新产品质量认证现场核查'
    await ok('a branch submits an enterprise request on its behalf, routed by category', async () => {
      await loginOk(page, base, 'jinxiang_admin')
      await page.goto(`${base}/services/requests`)
      await page.locator('[data-testid=request-table] .el-table__row').first().waitFor()
      await page.locator('[data-testid=request-new]').click()
      const form = page.locator('[data-testid=submit-form]')
      await form.locator('[data-testid=org-picker]').first().click()
      const popper = page.locator('.org-picker-popper:visible')
      await popper.locator('input[data-testid=org-picker-search]').fill('鲁特电工')
      await popper.locator('.org-picker-result', { hasText: '鲁特电工党支部' }).first().click()
      await form.locator('[data-testid=submit-host]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '鲁特电工' }).first().click()
      await form.locator('[data-testid=submit-category]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '市场监管与质量' }).first().click()
      await form.locator('[data-testid=submit-title]').fill(REQUEST_TITLE)
      await form.locator('[data-testid=submit-description]').fill('新产品需做质量认证，希望市场监管部门尽快安排现场核查。')
      await shot(page, SHOT('request-submit'))
      await form.locator('[data-testid=submit-save]').click()
      const drawer = page.locator('[data-testid=request-drawer]')
      await drawer.locator('[data-testid=drawer-status]', { hasText: '待受理' }).waitFor()
      expect((await drawer.innerText()).includes('县市场监督管理局'), 'routed to market regulation')
      await shot(page, SHOT('request-submitted'))
      await page.keyboard.press('Escape')
      await logout(page)
    })

    await ok('the market-regulation handler accepts and replies; other departments are not shown', async () => {
      await loginOk(page, base, 'jx_d05')
      await page.goto(`${base}/services/requests`)
      const row = page.locator('[data-testid=request-table] .el-table__row', { hasText: REQUEST_TITLE }).first()
      await row.waitFor()
      const depts = await page.locator('[data-testid=request-table] .el-table__row td:nth-child(3)').allInnerTexts()
      expect(depts.every((x) => x.trim() === '县市场监督管理局'), `other departments shown: ${[...new Set(depts)]}`)
      await shot(page, SHOT('handler-list'))
      await row.click()
      const drawer = page.locator('[data-testid=request-drawer]')
      await drawer.locator('[data-action=accept]').click()
      await drawer.locator('[data-testid=drawer-status]', { hasText: '办理中' }).waitFor()
      await drawer.locator('[data-action=reply]').click()
      const form = page.locator('[data-testid=action-form]')
      await form.locator('[data-testid=action-note]').fill('已安排 12 月 10 日现场核查，认证材料清单已发企业联系人。')
      await form.locator('[data-testid=action-submit]').click()
      await drawer.locator('[data-testid=drawer-status]', { hasText: '已答复' }).waitFor()
      await shot(page, SHOT('handler-replied'))
      await page.keyboard.press('Escape')
      await logout(page)
    })

    await ok('the requester rates the answer and the county sees the figures as charts', async () => {
      await loginOk(page, base, 'jinxiang_admin')
      await page.goto(`${base}/services/requests`)
      await page.locator('[data-testid=request-status] .el-radio-button', { hasText: '已答复' }).click()
      await page.locator('[data-testid=request-table] .el-table__row', { hasText: REQUEST_TITLE }).first().click()
      const drawer = page.locator('[data-testid=request-drawer]')
      await drawer.locator('[data-action=rate]').click()
      const form = page.locator('[data-testid=action-form]')
      await form.locator('[data-testid=action-rating] .el-radio', { hasText: '满意' }).first().click()
      await form.locator('[data-testid=action-submit]').click()
      await drawer.locator('[data-testid=drawer-status]', { hasText: '已办结' }).waitFor()
      const events = await drawer.locator('[data-testid=request-events]').innerText()
      for (const step of ['提交诉求', '受理', '答复', '评价']) expect(events.includes(step), `history lacks ${step}: ${events}`)
      await shot(page, SHOT('request-closed'))
      await page.keyboard.press('Escape')
      await page.locator('.el-tabs__item', { hasText: '统计分析' }).click()
      await page.locator('[data-testid=department-chart] canvas').first().waitFor()
      await page.waitForTimeout(600)
      const received = Number(await page.locator('[data-count=received]').innerText())
      // This year's figures: the request just rated is among them (the demo's year of requests spans this
      // year and last, so how many fall in this one depends on the day).
      expect(received >= 1, `received ${received}`)
      await shot(page, SHOT('request-figures'))
      await logout(page)
    })

    await ok('a member in Guangzhou finds the places near them and the policies on the phone', async () => {
      const phoneCtx = await browser.newContext({
        viewport: PHONE,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        geolocation: { latitude: 23.131, longitude: 113.268 },
        permissions: ['geolocation'],
      })
      phoneCtx.setDefaultTimeout(TIMEOUT)
      const phone = await phoneCtx.newPage()
      watchConsole(phone, consoleErrors)
      try {
        await phone.goto(`${base}/m/login`)
        await phone.locator('[data-testid=portal-login] input[name=username]').fill('member_demo')
        await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
        await phone.locator('[data-testid=portal-login] button[type=submit]').click()
        await phone.waitForURL((u) => u.pathname === '/m/life')
        await phone.locator('[data-testid=portal-tabs] .van-tabbar-item', { hasText: '服务' }).click()
        await phone.locator('[data-testid=near-place]').first().waitFor()
        const first = await phone.locator('[data-testid=near-place]').first().innerText()
        expect(first.includes('广州') && first.includes('距您'), `nearest: ${first}`)
        await noHorizontalOverflow(phone)
        await shot(phone, SHOT('portal-near'))
        await phone.locator('.van-tab', { hasText: '惠企政策' }).click()
        await phone.locator('[data-testid=portal-policy]').first().waitFor()
        await phone.locator('[data-testid=portal-policy]').first().click()
        await phone.locator('[data-testid=portal-policy-detail]').waitFor()
        await shot(phone, SHOT('portal-policy'))
      } catch (e) {
        await phone.screenshot({ path: join(SHOTS, 'services-failure-portal.png') }).catch(() => {})
        throw e
      } finally {
        await phoneCtx.close()
      }
    })

    const QY_TITLE = '冷库扩建后的食品经营许可变更'
    await ok('an enterprise contact asks on the phone with a photo; the department answers; the contact rates', async () => {
      const phoneCtx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      phoneCtx.setDefaultTimeout(TIMEOUT)
      const phone = await phoneCtx.newPage()
      watchConsole(phone, consoleErrors)
      try {
        await phone.goto(`${base}/m/login`)
        await phone.locator('[data-testid=portal-login] input[name=username]').fill('jx_qy01')
        await phone.locator('[data-testid=portal-login] input[name=password]').fill(PASSWORD)
        await phone.locator('[data-testid=portal-login] button[type=submit]').click()
        // No organisational life for an enterprise: the portal opens at its requests.
        await phone.waitForURL((u) => u.pathname === '/m/services')
        const tabs = await phone.locator('[data-testid=portal-tabs]').innerText()
        expect(!tabs.includes('组织生活') && tabs.includes('服务') && tabs.includes('我的'), `tabs: ${tabs}`)
        await phone.locator('[data-testid=portal-request]').first().waitFor()
        await noHorizontalOverflow(phone)
        await shot(phone, SHOT('qy-requests'))
        await phone.locator('[data-testid=portal-request-new]').click()
        const form = phone.locator('[data-testid=portal-request-form]')
        await form.locator('[data-testid=portal-request-category]').click()
        const picker = phone.locator('.van-picker')
        await picker.locator('.van-picker-column__item', { hasText: '市场监管与质量' }).click()
        await picker.locator('.van-picker__confirm').click()
        await form.locator('[data-testid=portal-request-title] input').fill(QY_TITLE)
        await form.locator('[data-testid=portal-request-description] textarea').fill('新建冷库 2 座，需要变更食品经营许可的仓储地址，请告知需要哪些材料。')
        const snap = await phone.screenshot({ clip: { x: 0, y: 0, width: 300, height: 200 } })
        await form.locator('input[type=file]').setInputFiles({ name: '冷库现场.png', mimeType: 'image/png', buffer: snap })
        await form.locator('.van-uploader__preview').first().waitFor()
        await shot(phone, SHOT('qy-form'))
        await form.locator('[data-testid=portal-request-submit]').click()
        const detail = phone.locator('[data-testid=portal-request-detail]')
        await detail.waitFor()
        expect((await detail.innerText()).includes('县市场监督管理局'), 'routed to market regulation')
        await detail.locator('.van-image img').first().waitFor()
        await shot(phone, SHOT('qy-submitted'))

        await loginOk(page, base, 'jx_d05')
        await page.goto(`${base}/services/requests`)
        await page.locator('[data-testid=request-table] .el-table__row', { hasText: QY_TITLE }).first().click()
        const drawer = page.locator('[data-testid=request-drawer]')
        await drawer.locator('[data-testid=attachment-thumb] img').first().waitFor()
        expect((await drawer.innerText()).includes('（企业）'), 'asked by the enterprise itself')
        await drawer.locator('[data-action=accept]').click()
        await drawer.locator('[data-testid=drawer-status]', { hasText: '办理中' }).waitFor()
        await drawer.locator('[data-action=reply]').click()
        const reply = page.locator('[data-testid=action-form]')
        await reply.locator('[data-testid=action-note]').fill('可在政务服务网办理仓储地址变更，材料清单已上传，3 个工作日内办结。')
        await reply.locator('[data-testid=action-submit]').click()
        await drawer.locator('[data-testid=drawer-status]', { hasText: '已答复' }).waitFor()
        await shot(page, SHOT('qy-handled'))
        await page.keyboard.press('Escape')
        await logout(page)

        await phone.reload()
        const item = phone.locator('[data-testid=portal-request]', { hasText: QY_TITLE }).first()
        await item.locator('.ask', { hasText: '请评价' }).waitFor()
        await item.click()
        const rate = phone.locator('[data-testid=portal-rate]')
        await rate.locator('[data-rating=satisfied]').click()
        await rate.locator('textarea').fill('答复及时，材料清楚。')
        await rate.locator('[data-testid=portal-rate-submit]').click()
        await phone.locator('[data-testid=portal-request-status]', { hasText: '已办结' }).waitFor()
        expect((await phone.locator('[data-testid=portal-request-reply]').innerText()).includes('政务服务网'), 'the answer is shown')
        await shot(phone, SHOT('qy-rated'))
      } catch (e) {
        await phone.screenshot({ path: join(SHOTS, 'services-failure-qy.png') }).catch(() => {})
        throw e
      } finally {
        await phoneCtx.close()
      }
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
