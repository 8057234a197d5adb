#!/usr/bin/env node
// End-to-end test of importing a roster whose headers the importer does not know, against a real
// `honglian serve --demo` on a fresh data dir, in Debian's Chromium through playwright-core: the
// check shows the sheet's first rows, the clerk says by hand which column is which (and saves the
// mapping under a name), the roster is imported, its mobile member appears in the outflow ledger,
// and the ledger is printed as PDF. The example rosters of the import page are downloaded too.
//
//   npm run e2e:import                        (target/debug/honglian with its embedded UI)
//   E2E_SERVE_DIST=1 npm run e2e:import       (this web/dist in front of the binary)
//
// Screenshots land in e2e/screenshots/import-*.png. The last line is "N passed, M failed"; the exit
// code is non-zero when anything failed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { BIN, CHROMIUM, CHROMIUM_ARGS, DESKTOP, SHOTS, TIMEOUT, createRunner, expect, idle, loginOk, shot, startServer, watchConsole } from './lib-activities.mjs'
import { readSheet, writeSheet } from './xlsx.mjs'

const { state, step } = createRunner()
const ORG = '梅菉街道梅岭村第一党支部'
const MAPPING_NAME = '梅岭村名单格式'

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
/** GB 11643 check digit of the first 17 digits. */
function idWithCheckDigit(first17) {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0)
  return first17 + '10X98765432'[sum % 11]
}

/** A village's own list: a title, then headers no template has (名字, 证件号码, 外出否 …). */
function villageList(stamp) {
  const seq = 860 + (stamp % 30)
  const people = [
    ['1', `冼文辉${stamp}`, idWithCheckDigit(`44088319800506${seq}`), '2010.07', ORG, '是', '海南省海口市龙华区'],
    ['2', `苏巧玲${stamp}`, idWithCheckDigit(`44088319860912${seq + 30}`), '2012年7月1日', ORG, '否', ''],
  ]
  return {
    names: people.map((p) => p[1]),
    bytes: writeSheet([['梅岭村党员名单（2026年）'], ['编号', '名字', '证件号码', '入党年月', '支部名称', '外出否', '去向地'], ...people], '名单'),
  }
}

/** Picks `option` (its label starts with it) in the Element Plus select `testid`. */
async function pick(page, testid, option) {
  await page.locator(`[data-testid=${testid}]`).click()
  const item = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: option }).first()
  await item.click()
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' }).catch(() => {})
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'honglian-e2e-import-'))
  let server
  let browser
  try {
    server = await startServer(dataDir)
    const { base } = server
    console.log(`honglian: ${BIN}\nlistening: ${base}${server.serveDist ? ' (web/dist served by the test)' : ''}\ndata dir: ${dataDir}`)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
    ctx.setDefaultTimeout(TIMEOUT)
    const page = await ctx.newPage()
    const consoleErrors = []
    watchConsole(page, consoleErrors)
    const ok = async (name, fn) => {
      if (!(await step(name, fn))) {
        await page.screenshot({ path: join(SHOTS, `import-failure-${name.replace(/[^\w一-龥]+/g, '_')}.png`) }).catch(() => {})
        throw new Error(`stopped after failed step: ${name}`)
      }
    }
    const stamp = Date.now() % 100000
    const list = villageList(stamp)
    const file = join(dataDir, '梅岭村名单.xlsx')

    await ok('wuchuan_admin signs in and opens the import page', async () => {
      await loginOk(page, base, 'wuchuan_admin')
      await page.goto(`${base}/mobility/import`)
      await page.locator('[data-testid=import-example-clean]').waitFor()
    })

    await ok('the example roster downloads in the real layout, naming the caller’s branches', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=import-example-clean]').click()])
      const path = join(dataDir, 'example.xlsx')
      await download.saveAs(path)
      const rows = readSheet(readFileSync(path))
      expect(rows[0][0].endsWith('党员花名册'), `title: ${rows[0][0]}`)
      expect(rows[2].includes('公民身份号码') && rows[2].includes('是否流动党员'), `header: ${rows[2]}`)
    })

    await ok('the messy example’s check reports each mistake at its row', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=import-example-messy]').click()])
      const path = join(dataDir, '有问题的示例.xlsx')
      await download.saveAs(path)
      await page.locator('[data-testid=import-file]').setInputFiles(path)
      await page.locator('[data-testid=import-check]').click()
      await page.locator('[data-testid=import-report]').waitFor()
      expect((await page.locator('[data-testid=import-error-count]').textContent()).trim() === '7', 'seven rows have mistakes')
      const errors = page.locator('[data-testid=import-errors]')
      await errors.locator('.el-table__body tr', { hasText: '存成了数字' }).waitFor()
      await errors.locator('.el-table__body tr', { hasText: '与第 4 行的身份证号重复' }).waitFor()
      expect(await page.locator('[data-testid=import-confirm]').isDisabled(), 'no import while rows have mistakes')
      await page.locator('[data-testid=import-report]').scrollIntoViewIfNeeded()
      await shot(page, 'import-messy')
    })

    await ok('unknown headers: the check shows the sheet and asks which column is which', async () => {
      writeFileSync(file, list.bytes)
      await page.locator('[data-testid=import-file]').setInputFiles(file)
      await page.locator('[data-testid=import-check]').click()
      const card = page.locator('[data-testid=import-mapping]')
      await card.waitFor()
      await card.locator('[data-testid=import-preview]', { hasText: '证件号码' }).waitFor()
      expect(await card.textContent().then((t) => t.includes('没有找到表头')), 'the reason is shown')
      expect(!(await card.textContent()).includes('4408831980'), 'ID numbers are masked in the preview')
    })

    await ok('the columns are mapped by hand and saved under a name', async () => {
      await pick(page, 'map-header-row', '第 2 行')
      for (const [field, letter] of [['name', 'B'], ['id_number', 'C'], ['joined_on', 'D'], ['org', 'E'], ['mobile', 'F'], ['destination', 'G']]) {
        await pick(page, `map-${field}`, `${letter} 列`)
      }
      await page.locator('[data-testid=map-save-name]').fill(MAPPING_NAME)
      await page.locator('[data-testid=import-mapping]').scrollIntoViewIfNeeded()
      await shot(page, 'import-mapping')
      await page.locator('[data-testid=import-preview]').scrollIntoViewIfNeeded()
      await shot(page, 'import-mapping-preview')
      await page.locator('[data-testid=map-apply]').click()
      await page.locator('[data-testid=import-report]').waitFor()
      const valid = await page.locator('[data-testid=import-valid]').textContent()
      expect(valid.trim() === '2', `valid rows: ${valid}`)
      expect((await page.locator('[data-testid=import-error-count]').textContent()).trim() === '0', 'no errors')
      const chosen = await page.locator('[data-testid=import-saved-mapping]').textContent()
      expect(chosen.includes(MAPPING_NAME), `the saved mapping is the one in use: ${chosen}`)
      await shot(page, 'import-mapped-check')
    })

    await ok('the roster imports with the mapping', async () => {
      await page.locator('[data-testid=import-confirm]').click()
      await page.locator('.el-result__title', { hasText: '已导入 2 名党员' }).waitFor()
      await shot(page, 'import-done')
    })

    await ok('the saved mapping is offered on the next import', async () => {
      await page.goto(`${base}/mobility/import`)
      await page.locator('[data-testid=import-saved-mapping]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: MAPPING_NAME }).waitFor()
      await page.keyboard.press('Escape')
    })

    await ok('the imported mobile member is in the outflow ledger, which prints as PDF', async () => {
      await page.goto(`${base}/mobility/ledgers/outflow`)
      await page.locator('input[name=ledger_q]').fill(list.names[0])
      await page.locator('[data-testid=filter-search]').click()
      await page.locator('.el-table__body tr', { hasText: list.names[0] }).first().waitFor()
      await idle(page)
      await shot(page, 'import-ledger')
      await page.locator('[data-testid=ledger-export-pdf]').click()
      const dlg = page.locator('.el-dialog:visible', { hasText: '导出' })
      await dlg.waitFor()
      const [download] = await Promise.all([page.waitForEvent('download'), dlg.locator('[data-testid=export-confirm]').click()])
      const name = download.suggestedFilename()
      expect(/\.pdf$/.test(name), `file name: ${name}`)
      const path = join(dataDir, 'ledger.pdf')
      await download.saveAs(path)
      const pdf = readFileSync(path)
      expect(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 2000, `a PDF of ${pdf.length} bytes`)
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
    await server?.stop?.()
    rmSync(dataDir, { recursive: true, force: true })
  }
  console.log(`${state.passed} passed, ${state.failed} failed`)
  process.exit(state.failed ? 1 : 0)
}

main()
