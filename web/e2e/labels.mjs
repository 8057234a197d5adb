#!/usr/bin/env node
// End-to-end test of 安全标记 (security labels) against a real `honglian serve --demo` in Debian's Chromium.
// The demo's classified member (黄坡镇那邓村第八党支部) shows 敏感 on their page; the county administrator, whose
// scope holds them, asks to see the ID number and is refused in Chinese (in the dialog, naming the label); the security administrator grants the
// county administrator 敏感 on the user page; the county administrator then sees the number in clear. A member
// of another branch is labelled 敏感 from their page and the label is lowered again by the cleared administrator.
//
//   npm run e2e:labels
//
// Screenshots land in e2e/screenshots/labels-*.png. The last line is "N passed, M failed".
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  DESKTOP,
  SHOTS,
  TIMEOUT,
  apiLogin,
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

async function unmaskId(page) {
  await page.locator('[data-testid=unmask-button]').first().click()
  await page.locator('[data-testid=unmask-reason]').fill('核对身份信息')
  await page.locator('[data-testid=unmask-confirm]').click()
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-labels-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const base = server.base
    const admin = await apiLogin(base, 'wuchuan_admin')
    const orgs = await admin.get(`/orgs?q=${encodeURIComponent('那邓村第八党支部')}&per_page=5`)
    const org = orgs.items[0]
    const list = await admin.get(`/members?org=${org.id}&per_page=100`)
    const classified = list.items.find((m) => m.security_label === 'sensitive')
    const plain = list.items.find((m) => m.security_label === 'general' && m.status === 'normal')
    expect(classified && plain, 'the demo labels one member of the branch 敏感')
    const wcUser = (await (await apiLogin(base, 'secadmin')).get('/users?q=wuchuan_admin')).items[0]
    await admin.logout()

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const errors = []
    watchConsole(page, errors)

    await step('the classified member shows 敏感, and the uncleared county administrator is refused the number', async () => {
      await loginOk(page, base, 'wuchuan_admin')
      await page.goto(`${base}/members/${classified.id}`)
      await idle(page)
      expect((await page.locator('[data-testid=member-label]').innerText()).includes('敏感'), 'the label is shown')
      await unmaskId(page)
      await page.locator('.unmask-dialog .el-form-item__error', { hasText: '敏感' }).waitFor()
      await shot(page, 'labels-refused')
      await page.locator('.unmask-dialog .el-button', { hasText: '取消' }).click()
      await page.locator('.unmask-dialog').waitFor({ state: 'hidden' })
    })

    await step('the security administrator grants the county administrator 敏感', async () => {
      await logout(page)
      await loginOk(page, base, 'secadmin')
      await page.goto(`${base}/users/${wcUser.id}`)
      await idle(page)
      await page.locator('[data-testid=user-clearance]').click()
      await page.locator('.el-select-dropdown__item', { hasText: '敏感' }).click()
      await page.locator('.el-message--success', { hasText: '敏感级' }).waitFor()
      await shot(page, 'labels-clearance')
    })

    await step('cleared, the county administrator sees the number; labels another member and lowers it again', async () => {
      await logout(page)
      await loginOk(page, base, 'wuchuan_admin')
      await page.goto(`${base}/members/${classified.id}`)
      await idle(page)
      await unmaskId(page)
      await page.waitForFunction(() => /\d{17}[\dX]/.test(document.body.innerText))
      await shot(page, 'labels-cleared')
      await page.goto(`${base}/members/${plain.id}`)
      await idle(page)
      await page.locator('[data-testid=member-label-raise]').click()
      await page.locator('[data-testid=member-label]', { hasText: '敏感' }).waitFor()
      await shot(page, 'labels-raised')
      await page.locator('[data-testid=member-label-lower]').click()
      await page.locator('[data-testid=member-label]', { hasText: '一般' }).waitFor()
    })
    expect(errors.length === 0, `no console errors: ${errors.join('\n')}`)
  } catch (e) {
    console.error(e)
    state.failed++
  } finally {
    await browser?.close()
    await server?.stop?.()
    rmSync(dataDir, { recursive: true, force: true })
  }
  console.log(`${state.passed} passed, ${state.failed} failed`)
  process.exit(state.failed ? 1 : 0)
}

main()
