// 党建共同体与目标 pages in Chromium against a running server with demo data:
//   BASE=http://localhost:5199 node e2e/goals.mjs
// (the Vite dev server proxying to `honglian serve --demo`, or the server itself serving web/dist).
// Reports progress on a task and checks that its light changes; screenshots land in
// e2e/screenshots/goals-*.png. The demo data is changed by the run (one progress report).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SHOTS = join(WEB, 'e2e', 'screenshots')
const BASE = process.env.BASE ?? 'http://localhost:5199'
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const PASSWORD = process.env.PASSWORD ?? 'Demo@2026!'
const ONLY = process.env.ONLY ?? ''
const TIMEOUT = 15_000
mkdirSync(SHOTS, { recursive: true })

function check(cond, msg) {
  if (!cond) throw new Error(`检查失败：${msg}`)
  console.log(`ok  ${msg}`)
}

async function login(page, username) {
  await page.goto(`${BASE}/login`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(PASSWORD)
  await page.locator('[data-testid=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: TIMEOUT })
  await page.locator('[data-testid=user-menu]').waitFor({ timeout: TIMEOUT })
}

async function shot(page, name) {
  await page.waitForTimeout(700)
  await page.screenshot({ path: join(SHOTS, `goals-${name}.png`), fullPage: true })
  console.log(`shot goals-${name}.png`)
}

const errors = []
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--lang=zh-CN'] })
try {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(`console: ${m.text()}`))
  await login(page, 'jinxiang_admin')

  if (!ONLY || ONLY.includes('tasks')) {
    await page.goto(`${BASE}/goals/tasks`)
    await page.locator('[data-testid=task-table] .task-row').first().waitFor({ timeout: TIMEOUT })
    const rows = await page.locator('[data-testid=task-table] .task-row').count()
    check(rows > 0, `重点任务：${rows} 项`)
    for (const l of ['red', 'yellow', 'blue']) {
      const n = await page.locator(`[data-testid=task-table] .light-dot[data-light=${l}]`).count()
      check(n > 0, `有 ${l} 灯任务 ${n} 项`)
    }
    await shot(page, 'tasks')

    // Open a yellow task that may be reported on and report it done: its light turns blue.
    const yellow = page.locator('[data-testid=task-table] .task-row', { has: page.locator('.light-dot[data-light=yellow]') }).first()
    const title = (await yellow.locator('.task-title').innerText()).trim()
    await yellow.click()
    const drawer = page.locator('[data-testid=task-drawer]')
    await drawer.locator('[data-testid=drawer-light]').waitFor({ timeout: TIMEOUT })
    await shot(page, 'task-drawer')
    const form = drawer.locator('[data-testid=report-form]')
    if (await form.count()) {
      await form.locator('textarea[name=report-note]').fill('已按计划完成全部节点，材料已归档。')
      const boxes = form.locator('.el-checkbox')
      for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).click()
      await form.locator('[data-testid=report-done]').click()
      const file = join(tmpdir(), 'goals-evidence.png')
      // A 1×1 PNG.
      writeFileSync(file, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'))
      await form.locator('[data-testid=report-file]').setInputFiles(file)
      await form.locator('[data-testid=report-submit]').click()
      await drawer.locator('[data-testid=drawer-light][data-light=blue]').waitFor({ timeout: TIMEOUT })
      check(true, `“${title}”报告完成后抽屉中为蓝灯`)
      await drawer.locator('[data-testid=evidence-link]').first().waitFor({ timeout: TIMEOUT })
      check(true, '佐证材料已上传并可下载')
      await shot(page, 'task-reported')
      await page.keyboard.press('Escape')
      const row = page.locator('[data-testid=task-table] .task-row', { hasText: title }).first()
      await row.locator('.light-dot[data-light=blue]').waitFor({ timeout: TIMEOUT })
      check(true, `表格中“${title}”已变为蓝灯`)
    }

    // New task with milestones whose weights do not sum to 100: the server's words appear on the field.
    await page.locator('[data-testid=task-new]').click()
    const dlg = page.locator('[data-testid=task-form]')
    await dlg.locator('input[name=task-title]').fill('测试任务：节点权重')
    await page.locator('[data-testid=task-form] [data-testid=org-picker]').first().click()
    const popper = page.locator('.org-picker-popper:visible')
    await popper.locator('input[data-testid=org-picker-search]').fill('凯盛')
    await popper.locator('.org-picker-result').first().click()
    await dlg.locator('[data-testid=milestone-add]').click()
    await dlg.locator('[data-testid=milestone-add]').click()
    await dlg.locator('input[name=ms-title-0]').fill('方案制定')
    await dlg.locator('input[name=ms-title-1]').fill('全面推开')
    await dlg.locator('input[name=ms-weight-1]').fill('30')
    await dlg.locator('input[name=ms-weight-1]').blur()
    await dlg.locator('[data-testid=task-form-submit]').click()
    await dlg.locator('.el-form-item__error', { hasText: '权重之和须为 100' }).waitFor({ timeout: TIMEOUT })
    check(true, '权重合计不为 100 时在“任务节点”上提示')
    await shot(page, 'task-form')
    await page.keyboard.press('Escape')

    // Phone width.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', storageState: await ctx.storageState() })
    const p2 = await phone.newPage()
    await p2.goto(`${BASE}/goals/tasks`)
    await p2.locator('[data-testid=task-cards] .task-card').first().waitFor({ timeout: TIMEOUT })
    const overflow = await p2.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    check(overflow <= 1, `390 px 宽无横向溢出（${overflow}px）`)
    await shot(p2, 'tasks-390')
    await p2.locator('[data-testid=task-cards] .task-card').first().click()
    await p2.locator('[data-testid=drawer-light]').waitFor({ timeout: TIMEOUT })
    await shot(p2, 'task-drawer-390')
    await phone.close()
  }

  if (!ONLY || ONLY.includes('board')) {
    await page.goto(`${BASE}/goals/board`)
    await page.locator('[data-testid=goals-donut] canvas').waitFor({ timeout: TIMEOUT })
    await page.locator('[data-testid=gauge-org] canvas').waitFor({ timeout: TIMEOUT })
    check(true, '目标看板：灯色环图与覆盖率仪表')
    await shot(page, 'board')
  }

  if (!ONLY || ONLY.includes('communities')) {
    await page.goto(`${BASE}/communities`)
    await page.locator('[data-testid=community-card]').first().waitFor({ timeout: TIMEOUT })
    await shot(page, 'communities')
    await page.locator('[data-testid=community-card]', { hasText: '大蒜' }).first().click()
    await page.locator('[data-testid=rota-timeline]').waitFor({ timeout: TIMEOUT })
    const current = await page.locator('[data-testid=rota-timeline] .is-current').count()
    check(current === 1, '轮值时间轴标出当前任期')
    await shot(page, 'community')
    await page.locator('[data-testid=swap-open]').click()
    await page.locator('[data-testid=swap-dialog]').waitFor({ timeout: TIMEOUT })
    await page.locator('[data-testid=swap-submit]').click()
    await page.locator('[data-testid=swap-dialog] .el-form-item__error').first().waitFor({ timeout: TIMEOUT })
    check(true, '调换轮值须填写原因')
    await shot(page, 'community-swap')
    await page.keyboard.press('Escape')
  }

  if (!ONLY || ONLY.includes('coverage')) {
    await page.goto(`${BASE}/coverage`)
    await page.locator('[data-testid=host-table] .el-table__row').first().waitFor({ timeout: TIMEOUT })
    await shot(page, 'coverage')
    await page.locator('[data-testid=tab-censuses]').click()
    await page.locator('[data-testid=census-card]').first().waitFor({ timeout: TIMEOUT })
    await shot(page, 'coverage-censuses')
  }

  if (!ONLY || ONLY.includes('instructors')) {
    await page.goto(`${BASE}/instructors`)
    await page.locator('[data-testid=group-card]').first().waitFor({ timeout: TIMEOUT })
    await shot(page, 'instructors')
  }

  check(errors.length === 0, `浏览器无脚本错误${errors.length ? `：\n${errors.join('\n')}` : ''}`)
} finally {
  await browser.close()
}
