#!/usr/bin/env node
// End-to-end test of 党建共同体与目标 against a real `honglian serve --demo` on a fresh
// data dir, in Debian's Chromium through playwright-core: a progress report turns a
// yellow key task blue, an instructor is refused an organisation outside the subtrees
// assigned to them, the goals board draws its charts, and the communities, coverage,
// instructors, brand, evaluation and grant pages work with the demo data.
//
//   npm run e2e:goals                         (target/debug/honglian with its embedded UI)
//   E2E_SERVE_DIST=1 npm run e2e:goals        (this web/dist in front of the binary)
//
// Screenshots land in e2e/screenshots/goals-*.png. The last line is
// "N passed, M failed"; the exit code is non-zero when anything failed.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
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
  loginOk,
  logout,
  noHorizontalOverflow,
  shot,
  startServer,
  watchConsole,
} from './lib-activities.mjs'

const { state, step } = createRunner()
const SHOT = (name) => `goals-${name}`
const KAISHENG_TASK = '凯盛商圈“1336”工作法覆盖商户'

/** The light of the task row whose title is `title` ("red" | "yellow" | "blue"). */
async function rowLight(page, title) {
  const row = page.locator('[data-testid=task-table] .task-row', { has: page.locator('.task-title', { hasText: title }) }).first()
  await row.waitFor()
  return row.locator('.light-dot').first().getAttribute('data-light')
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-goals-'))
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
        await p.screenshot({ path: join(SHOTS, `goals-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    /** A step whose failure does not stop the run (the pages after it do not depend on it). */
    const soft = async (name, fn, p = page) => {
      if (!(await step(name, fn))) await p.screenshot({ path: join(SHOTS, `goals-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
    }

    // What the demo holds, read over the API so that ids are not hard-coded.
    const today = beijing(new Date()).slice(0, 10)
    const year = Number(today.slice(0, 4))
    const jx = await apiLogin(base, 'jinxiang_admin')
    const orgByName = async (name) => {
      const res = await jx.get(`/orgs?q=${encodeURIComponent(name)}&per_page=5`)
      const org = res.items.find((o) => o.name === name)
      expect(org, `the demo has no organisation named ${name}`)
      return org
    }
    const chemPark = await orgByName('金乡化工产业园综合党委')
    const lute = await orgByName('鲁特电工党支部')
    const kaisheng = (await jx.get(`/tasks?year=${year}`)).items.find((t) => t.title === KAISHENG_TASK)
    await jx.logout()
    expect(kaisheng, `the demo has no task “${KAISHENG_TASK}” in ${year}`)
    const lateMilestone = kaisheng.milestones.findIndex((m) => !m.done_on && m.planned_on < today)
    expect(kaisheng.light === 'yellow' && lateMilestone >= 0, `“${KAISHENG_TASK}” is not yellow with a late milestone: ${JSON.stringify(kaisheng)}`)

    // ------------------------------------------------------------ key tasks
    await ok('jinxiang_admin sees the key tasks with red, yellow and blue lights', async () => {
      await loginOk(page, base, 'jinxiang_admin')
      const menu = await page.locator('.side-menu').innerText()
      for (const t of ['党建共同体与目标', '重点任务', '目标看板']) expect(menu.includes(t), `menu lacks ${t}: ${menu}`)
      await page.goto(`${base}/goals/tasks?year=${year}`)
      await page.locator('[data-testid=task-table] .task-row').first().waitFor()
      await idle(page)
      for (const l of ['red', 'yellow', 'blue']) {
        const n = await page.locator(`[data-testid=task-table] .light-dot[data-light=${l}]`).count()
        expect(n > 0, `no ${l} task in the table`)
      }
      expect((await rowLight(page, KAISHENG_TASK)) === 'yellow', `“${KAISHENG_TASK}” is not yellow in the table`)
      await shot(page, SHOT('tasks'))
    })

    await ok('reporting the late milestone turns the yellow task blue', async () => {
      const row = page.locator('[data-testid=task-table] .task-row', { has: page.locator('.task-title', { hasText: KAISHENG_TASK }) }).first()
      await row.click()
      const drawer = page.locator('[data-testid=task-drawer]')
      await drawer.locator('[data-testid=drawer-light][data-light=yellow]').waitFor()
      const form = drawer.locator('[data-testid=report-form]')
      await form.waitFor()
      await shot(page, SHOT('task-drawer'))
      await form.locator(`.el-checkbox[data-milestone="${lateMilestone}"]`).click()
      await form.locator('textarea[name=report-note]').fill('商圈党群驿站已建成并投入使用，商户党员轮值服务。')
      await form.locator('[data-testid=report-file]').setInputFiles({ name: '驿站照片.png', mimeType: 'image/png', buffer: TINY_PNG })
      await form.locator('[data-testid=report-submit]').click()
      await drawer.locator('[data-testid=drawer-light][data-light=blue]').waitFor()
      await drawer.locator('[data-testid=milestones] [data-done=yes]').nth(1).waitFor()
      await drawer.locator('[data-testid=evidence-link]').first().waitFor()
      await shot(page, SHOT('task-reported'))
      await page.keyboard.press('Escape')
      await drawer.locator('.el-drawer').waitFor({ state: 'hidden' }).catch(() => {})
      const row2 = page.locator('[data-testid=task-table] .task-row', { has: page.locator('.task-title', { hasText: KAISHENG_TASK }) }).first()
      await row2.locator('.light-dot[data-light=blue]').waitFor()
      // And after a reload: the light is the server's, not only the page's.
      await page.reload()
      await page.locator('[data-testid=task-table] .task-row').first().waitFor()
      await idle(page)
      expect((await rowLight(page, KAISHENG_TASK)) === 'blue', `“${KAISHENG_TASK}” is not blue after a reload`)
    })

    await soft('milestone weights that do not sum to 100 are refused on the field', async () => {
      await page.locator('[data-testid=task-new]').click()
      const dlg = page.locator('[data-testid=task-form]')
      await dlg.locator('input[name=task-title]').fill('测试任务：节点权重')
      await dlg.locator('[data-testid=org-picker]').first().click()
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
      await dlg.locator('.el-form-item__error', { hasText: '权重之和须为 100' }).waitFor()
      await shot(page, SHOT('task-form'))
      await page.keyboard.press('Escape')
      await dlg.waitFor({ state: 'hidden' })
    })

    // ------------------------------------------------------------ goals board
    await ok('the goals board draws its charts', async () => {
      await page.goto(`${base}/goals/board?year=${year}`)
      for (const id of ['goals-donut', 'goals-owners', 'goals-rhythm', 'gauge-org', 'gauge-work']) await page.locator(`[data-testid=${id}] canvas`).waitFor()
      await idle(page)
      const counts = await page.locator('[data-testid=goals-counts]').innerText()
      expect(/蓝灯\s*\d+/.test(counts), `board counts: ${counts}`)
      // A drawn chart has coloured pixels, not only its size; its animation may still be running, so wait for them.
      const painted = await page
        .waitForFunction(
          () => {
            const c = document.querySelector('[data-testid=goals-donut] canvas')
            if (!c) return false
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
            let n = 0
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++
            return n > 500
          },
          null,
          { timeout: 15_000 },
        )
        .then(() => true, () => false)
      expect(painted, 'the donut canvas stays blank')
      await shot(page, SHOT('board'))
    })

    // ------------------------------------------------------------ communities, coverage, instructors
    await soft('communities: the rota timeline marks the current term; a swap needs a reason', async () => {
      await page.goto(`${base}/communities`)
      await page.locator('[data-testid=community-card]').first().waitFor()
      const lights = await page.locator('[data-testid=community-card] [data-testid=rhythm] .light-dot').count()
      expect(lights === 3 * (await page.locator('[data-testid=community-card]').count()), `rhythm lights on the community cards: ${lights}`)
      await shot(page, SHOT('communities'))
      await page.locator('[data-testid=community-card]', { hasText: '大蒜' }).first().click()
      await page.locator('[data-testid=rota-timeline]').waitFor()
      expect((await page.locator('[data-testid=rota-timeline] .is-current').count()) === 1, 'the rota timeline does not mark one current term')
      await shot(page, SHOT('community'))
      await page.locator('[data-testid=swap-open]').click()
      await page.locator('[data-testid=swap-dialog]').waitFor()
      await page.locator('[data-testid=swap-submit]').click()
      await page.locator('[data-testid=swap-dialog] .el-form-item__error').first().waitFor()
      await shot(page, SHOT('community-swap'))
      await page.keyboard.press('Escape')
    })

    await soft('coverage ledger, censuses and instructor groups render', async () => {
      await page.goto(`${base}/coverage`)
      await page.locator('[data-testid=host-table] .el-table__row').first().waitFor()
      await idle(page)
      await shot(page, SHOT('coverage'))
      await page.locator('[data-testid=tab-censuses]').click()
      await page.locator('[data-testid=census-card]').first().waitFor()
      await shot(page, SHOT('coverage-censuses'))
      await page.goto(`${base}/instructors`)
      await page.locator('[data-testid=group-card]').first().waitFor()
      await shot(page, SHOT('instructors'))
    })

    await soft('a new instructor group needs 3–5 instructors; the first picked is the leader', async () => {
      const dlg = page.locator('[data-testid=group-dialog]')
      const users = dlg.locator('[data-testid=group-users]')
      const pick = async (name) => {
        await users.click()
        await users.locator('input').fill(name)
        await page.locator('.el-select-dropdown__item:visible', { hasText: name }).click()
      }
      await page.locator('[data-testid=group-new]').click()
      await dlg.locator('input[name=group-name]').fill('E2E党建指导组')
      await pick('张敏')
      await pick('李强')
      await dlg.locator('.el-dialog__title').click()
      await dlg.locator('[data-testid=group-submit]').click()
      await dlg.locator('.el-form-item__error', { hasText: '现为 2 名' }).waitFor()
      await pick('王芳')
      await dlg.locator('.el-dialog__title').click()
      await dlg.locator('[data-testid=group-leader]', { hasText: '张敏' }).waitFor()
      await dlg.locator('[data-testid=group-submit]').click()
      await dlg.waitFor({ state: 'hidden' })
      const card = page.locator('[data-testid=group-card]', { hasText: 'E2E党建指导组' })
      await card.locator('.el-tag', { hasText: '张敏（组长）' }).waitFor()
      await shot(page, SHOT('instructor-group-created'))
    })

    await soft('phone-sized task list has no page-wide overflow', async () => {
      await page.setViewportSize(PHONE)
      await page.goto(`${base}/goals/tasks?year=${year}`)
      await page.locator('[data-testid=task-cards] .task-card').first().waitFor()
      await idle(page)
      await noHorizontalOverflow(page)
      await shot(page, SHOT('tasks-390'))
      await page.setViewportSize(DESKTOP)
    })

    // ------------------------------------------------------------ 党建品牌
    const jx2 = await apiLogin(base, 'jinxiang_admin')
    const gallery = await jx2.get(`/brand-projects?year=${year}`)
    const perOrg = new Map()
    for (const b of gallery.items) perOrg.set(b.org.id, [...(perOrg.get(b.org.id) ?? []), b])
    const fullOrg = [...perOrg.values()].find((l) => l.length >= 2)?.[0].org
    const inProgress = gallery.items.find((b) => b.status === 'in_progress' && b.can_edit)
    const grants = (await jx2.get(`/incentive-grants?year=${year}`)).items
    const approvedGrant = grants.find((x) => x.status === 'approved')
    const proposedGrant = grants.find((x) => x.status === 'proposed' && x.amount_fen > 0)
    await jx2.logout()
    expect(fullOrg && inProgress, 'the demo has no organisation with two brand projects or no project in progress')
    expect(approvedGrant && proposedGrant, 'the demo has no approved or proposable grant')

    await ok('the brand gallery counts projects and filters cultivation targets', async () => {
      await page.goto(`${base}/brands?year=${year}`)
      await page.locator('[data-testid=brand-card]').first().waitFor()
      await idle(page)
      const count = async (k) => Number(await page.locator(`[data-testid=brand-counts] [data-count=${k}]`).innerText())
      expect((await count('total')) === gallery.total, `total ${await count('total')} ≠ ${gallery.total}`)
      expect((await count('cultivation')) === gallery.cultivation, `cultivation ${await count('cultivation')} ≠ ${gallery.cultivation}`)
      expect((await count('done')) === gallery.done, `done ${await count('done')} ≠ ${gallery.done}`)
      expect(gallery.cultivation === 71, `the demo has ${gallery.cultivation} cultivation targets, not 71`)
      await shot(page, SHOT('brands'))
      await page.locator('[data-testid=brand-filter] .el-radio-button', { hasText: '培育对象' }).click()
      const cards = page.locator('[data-testid=brand-card]')
      await cards.first().waitFor()
      const n = await cards.count()
      const badges = await page.locator('[data-testid=brand-card] [data-testid=cultivation-badge]').count()
      expect(n > 0 && n === badges, `${n} cards but ${badges} 培育对象 badges`)
      await page.locator('[data-testid=brand-filter] .el-radio-button', { hasText: '全部' }).click()
    })

    await ok('a third brand project for one organisation is refused on the form', async () => {
      await page.locator('[data-testid=brand-new]').click()
      const dlg = page.locator('[data-testid=brand-form]')
      await dlg.locator('[data-testid=brand-cultivation]').waitFor()
      await dlg.locator('[data-testid=org-picker]').first().click()
      const popper = page.locator('.org-picker-popper:visible')
      await popper.locator('input[data-testid=org-picker-search]').fill(fullOrg.name)
      await popper.locator('.org-picker-result', { hasText: fullOrg.name }).first().click()
      await dlg.locator('input[name=brand-name]').fill('E2E第三个品牌')
      await dlg.locator('textarea[name=brand-goal]').fill('检查每年至多两个品牌')
      await dlg.locator('[data-testid=brand-submit]').click()
      await dlg.locator('.el-form-item__error', { hasText: '已满' }).waitFor()
      await shot(page, SHOT('brand-refused'))
      await page.keyboard.press('Escape')
      await dlg.waitFor({ state: 'hidden' })
    })

    await ok('ticking every deliverable of a project marks it 已建成', async () => {
      const card = page.locator(`[data-testid=brand-card][data-id="${inProgress.id}"]`)
      await page.locator('[data-testid=brand-filter] .el-radio-button', { hasText: '全部' }).click()
      await page.locator('input[placeholder="按品牌或组织名称筛选"]').fill(inProgress.name)
      await card.click()
      const dlg = page.locator('[data-testid=brand-form]')
      await dlg.waitFor()
      for (let i = 0; i < inProgress.checklist.length; i++) {
        const box = dlg.locator(`[data-testid=deliverable-${i}]`)
        if (!(await box.locator('input').isChecked())) await box.click()
      }
      await shot(page, SHOT('brand-edit'))
      await dlg.locator('[data-testid=brand-submit]').click()
      await dlg.waitFor({ state: 'hidden' })
      await card.locator('[data-testid=brand-status]', { hasText: '已建成' }).waitFor()
      await page.locator('input[placeholder="按品牌或组织名称筛选"]').fill('')
      await page.setViewportSize(PHONE)
      await page.locator('[data-testid=brand-card]').nth(1).waitFor()
      await noHorizontalOverflow(page)
      await shot(page, SHOT('brands-390'))
      await page.setViewportSize(DESKTOP)
      expect(Number(await page.locator('[data-testid=brand-counts] [data-count=done]').innerText()) === gallery.done + 1, 'the 已建成 count did not grow')
    })

    // ------------------------------------------------------------ 评比与述职
    await ok('an evaluation shows its sheet, ranking chart and my scores; saving a score re-ranks', async () => {
      await page.goto(`${base}/evaluations`)
      await page.locator('[data-testid=evaluation-table] .el-table__row').first().waitFor()
      await idle(page)
      await shot(page, SHOT('evaluations'))
      await page.locator('[data-testid=evaluation-table] .el-table__row', { has: page.locator('[data-status=open]') }).first().click()
      await page.locator('[data-testid=ranking-chart] canvas').waitFor()
      await page.locator('[data-testid=score-table] .el-table__row').first().waitFor()
      await idle(page)
      const totals = await page.locator('[data-testid=ranking-table] [data-testid=ranking-total]').allInnerTexts()
      expect(totals.length > 1 && totals.every((t) => /^\d+\.\d\d$/.test(t)), `totals: ${totals}`)
      await shot(page, SHOT('evaluation'))
      // Lower the leader's scores to 0 on one item: the ranking changes.
      const first = page.locator('[data-testid=score-table] .el-table__body-wrapper .el-table__row').first()
      const input = first.locator('input').first()
      await input.fill('0')
      await input.blur()
      await first.locator('[data-testid^=score-save-]').click()
      await page.locator('.el-message--success', { hasText: '已保存' }).waitFor()
      const after = await page.locator('[data-testid=ranking-table] [data-testid=ranking-total]').allInnerTexts()
      expect(after.join() !== totals.join(), 'the ranking did not change after scoring')
    })

    await ok('a new evaluation is created with its sheet and targets, scored and closed', async () => {
      await page.goto(`${base}/evaluations`)
      await page.locator('[data-testid=evaluation-new]').click()
      const dlg = page.locator('[data-testid=evaluation-form]')
      await dlg.waitFor()
      await dlg.locator('[data-testid=evaluation-kind] .el-radio-button', { hasText: '观摩评比' }).click()
      await dlg.locator('input[name=evaluation-title]').fill('E2E观摩评比')
      await dlg.locator('input[name=evaluation-period]').fill('2026-5')
      await dlg.locator('[data-testid=evaluation-submit]').click()
      await dlg.locator('.el-form-item__error', { hasText: '2026-Q3' }).waitFor()
      await dlg.locator('input[name=evaluation-period]').fill(`${year}-Q4`)
      for (const name of [lute.name, '金乡经济开发区综合党委']) {
        await dlg.locator('[data-testid=org-picker]').last().click()
        const popper = page.locator('.org-picker-popper:visible')
        await popper.locator('input[data-testid=org-picker-search]').fill(name)
        await popper.locator('.org-picker-result', { hasText: name }).first().click()
      }
      await shot(page, SHOT('evaluation-form'))
      await dlg.locator('[data-testid=evaluation-submit]').click()
      await page.waitForURL(/\/evaluations\/\d+$/)
      await page.locator('[data-testid=evaluation-title]', { hasText: 'E2E观摩评比' }).waitFor()
      const row = page.locator('[data-testid=score-table] .el-table__body-wrapper .el-table__row').first()
      await row.waitFor()
      const inputs = row.locator('input')
      for (let i = 0; i < (await inputs.count()); i++) {
        await inputs.nth(i).fill(String(80 + i))
        await inputs.nth(i).blur()
      }
      await row.locator('[data-testid^=score-save-]').click()
      await page.locator('[data-testid=ranking-table] [data-testid=ranking-total]').first().waitFor()
      await page.locator('[data-testid=ranking-chart] canvas').waitFor()
      await page.locator('[data-testid=evaluation-close]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator('[data-testid=evaluation-status][data-status=closed]').waitFor()
      await shot(page, SHOT('evaluation-closed'))
    })

    await ok('述职评议: the year’s ratings are listed and one is changed', async () => {
      await page.goto(`${base}/evaluations?tab=reviews`)
      await page.locator('[data-testid=review-year]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: `${year - 1} 年度` }).click()
      await page.locator('[data-testid=review-table] .el-table__row').first().waitFor()
      await idle(page)
      await shot(page, SHOT('reviews'))
      const row = page.locator('[data-testid=review-table] .el-table__row').first()
      await row.locator('button', { hasText: '修改' }).click()
      const dlg = page.locator('[data-testid=review-form]')
      await dlg.locator('[data-testid=review-rating] .el-radio-button', { hasText: '一般' }).click()
      await dlg.locator('textarea[name=review-comment]').fill('E2E：阵地建设有待加强')
      await dlg.locator('[data-testid=review-submit]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.locator('[data-testid=review-table] .el-table__row', { hasText: 'E2E：阵地建设有待加强' }).locator('[data-rating=fair]').waitFor()
    })

    // ------------------------------------------------------------ 以奖代补
    await ok('以奖代补: criteria in yuan, the grants table, approve, and a disbursement over the approved amount refused', async () => {
      await page.goto(`${base}/grants`)
      await page.locator('[data-testid=grant-table] .grant-row').first().waitFor()
      await page.locator('[data-testid=grant-chart] canvas').waitFor()
      await idle(page)
      const tiers = await page.locator('[data-testid=grant-tiers]').innerText()
      expect(/10,000\.00 元/.test(tiers), `tiers: ${tiers}`)
      const totals = await page.locator('[data-testid=grant-table] .el-table__body-wrapper [data-testid=grant-total]').allInnerTexts()
      expect(totals.length === grants.length && totals.every((t) => /^\d+\.\d\d$/.test(t)), `totals: ${totals.slice(0, 5)}`)
      expect((await page.locator('[data-testid=grant-table] .scaled').count()) > 0, 'no 按适用项折算 hint')
      await shot(page, SHOT('grants'))
      await page.locator('[data-testid=grant-table]').scrollIntoViewIfNeeded()
      await page.mouse.wheel(0, 300)
      await shot(page, SHOT('grants-table'))

      const rowOf = (name) => page.locator('[data-testid=grant-table] .el-table__fixed-right .grant-row, [data-testid=grant-table] .el-table__body-wrapper .grant-row', { hasText: name }).first()
      // Approve a proposal.
      await rowOf(proposedGrant.org.name).locator('[data-testid=grant-approve]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await rowOf(proposedGrant.org.name).locator('[data-testid=grant-status][data-status=approved]').waitFor()
      // Disburse more than approved: the server's words appear on the amount.
      await rowOf(approvedGrant.org.name).locator('[data-testid=grant-disburse]').click()
      const dlg = page.locator('[data-testid=disburse-form]')
      await dlg.locator('input[name=disburse-amount]').fill(`${(approvedGrant.amount_fen + 100) / 100}`)
      await dlg.locator('input[name=disburse-voucher]').fill('E2E-0001')
      await dlg.locator('[data-testid=disburse-submit]').click()
      await dlg.locator('.el-form-item__error', { hasText: '不超过审批金额' }).waitFor()
      await shot(page, SHOT('grant-disburse-refused'))
      await dlg.locator('input[name=disburse-amount]').fill(approvedGrant.amount_yuan)
      await dlg.locator('[data-testid=disburse-submit]').click()
      await dlg.waitFor({ state: 'hidden' })
      await rowOf(approvedGrant.org.name).locator('[data-testid=grant-status][data-status=disbursed]').waitFor()
    })

    await ok('以奖代补: manual score and 重新评分', async () => {
      const rows = page.locator('[data-testid=grant-table] .el-table__body-wrapper .grant-row')
      const target = rows.filter({ has: page.locator('[data-testid=grant-status][data-status=proposed]') }).last()
      const name = (await target.locator('.org-name').innerText()).trim()
      const before = (await target.locator('[data-testid=grant-total]').innerText()).trim()
      await target.locator('[data-testid=grant-manual]').click()
      const dlg = page.locator('[data-testid=manual-form]')
      await dlg.locator('input[name=manual-percent]').fill('100')
      await dlg.locator('input[name=manual-percent]').blur()
      await shot(page, SHOT('grant-manual'))
      await dlg.locator('[data-testid=manual-submit]').click()
      await dlg.waitFor({ state: 'hidden' })
      const after = (await rows.filter({ hasText: name }).first().locator('[data-testid=grant-total]').innerText()).trim()
      expect(after !== before || before === '100.00', `the total of ${name} stayed ${before}`)
      await page.locator('[data-testid=grant-assess]').click()
      await page.locator('.el-message--success', { hasText: '重新评分' }).waitFor()
      await page.locator('[data-testid=criteria-edit]').click()
      const cdlg = page.locator('[data-testid=criteria-form]')
      await cdlg.locator('input[name=weight-manual]').fill('30')
      await cdlg.locator('input[name=weight-manual]').blur()
      await cdlg.locator('[data-testid=criteria-submit]').click()
      await cdlg.locator('.el-form-item__error', { hasText: '权重之和须为 100' }).waitFor()
      await shot(page, SHOT('grant-criteria'))
      await page.keyboard.press('Escape')
    })

    // ------------------------------------------------------------ an instructor's scope
    await ok('instructor opens 鲁特电工党支部 (assigned) but is refused 金乡化工产业园综合党委', async () => {
      await logout(page)
      await loginOk(page, base, 'instructor')
      await page.goto(`${base}/orgs?id=${lute.id}`)
      await page.locator('[data-testid=org-detail-name]', { hasText: lute.name }).waitFor()
      await shot(page, SHOT('instructor-assigned'))
      await page.goto(`${base}/orgs?id=${chemPark.id}`)
      const refusal = page.locator('[data-testid=org-detail-error]')
      await refusal.waitFor()
      const text = await refusal.innerText()
      expect(/无权访问|不存在/.test(text), `refusal text: ${text}`)
      expect((await page.locator('[data-testid=org-detail-name]', { hasText: chemPark.name }).count()) === 0, 'the unassigned organisation is shown')
      await shot(page, SHOT('instructor-refused'))
      const menu = await page.locator('.side-menu').innerText()
      for (const t of ['评比与述职', '以奖代补']) expect(!menu.includes(t), `an instructor must not see ${t}`)
      await logout(page)
    })

    await ok('gz_branch may register a brand but not mark cultivation targets', async () => {
      await loginOk(page, base, 'gz_branch')
      const menu = await page.locator('.side-menu').innerText()
      expect(menu.includes('党建品牌') && !menu.includes('以奖代补'), `menu: ${menu}`)
      await page.goto(`${base}/brands`)
      await page.locator('[data-testid=brand-new]').click()
      await page.locator('[data-testid=brand-form] input[name=brand-name]').waitFor()
      expect((await page.locator('[data-testid=brand-form] [data-testid=brand-cultivation]').count()) === 0, 'gz_branch sees the cultivation switch')
      await page.keyboard.press('Escape')
      await page.goto(`${base}/grants`)
      await page.waitForURL((u) => u.pathname === '/forbidden')
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
