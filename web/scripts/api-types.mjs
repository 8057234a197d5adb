// Generates src/api/schema.d.ts from ../docs/openapi.json with openapi-typescript.
//   node scripts/api-types.mjs          write the file   (npm run gen:api)
//   node scripts/api-types.mjs --check  fail if stale   (npm run check:api)
//
// openapi-typescript keys operations by operationId, so two operations sharing
// an id would silently get each other's types. Until every id in the document is
// unique, a clashing id is qualified with its tag (`list` → `orgs_list`) here;
// this is a deterministic rename, not a hand edit of the types.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript'

const web = join(dirname(fileURLToPath(import.meta.url)), '..')
const specPath = join(web, '..', 'docs', 'openapi.json')
const outPath = join(web, 'src', 'api', 'schema.d.ts')
const check = process.argv.includes('--check')

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

function uniqueOperationIds(doc) {
  const seen = new Map()
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const m of METHODS) {
      const op = item[m]
      if (op?.operationId) seen.set(op.operationId, [...(seen.get(op.operationId) ?? []), { path, m, op }])
    }
  }
  const renamed = []
  for (const [id, uses] of seen) {
    if (uses.length < 2) continue
    for (const { path, m, op } of uses) {
      const prefix = op.tags?.[0] ?? path.split('/').filter(Boolean)[0] ?? m
      op.operationId = `${prefix}_${id}`.replace(/[^\w]/g, '_')
      renamed.push(`${m.toUpperCase()} ${path}: ${id} → ${op.operationId}`)
    }
  }
  return renamed
}

async function generate() {
  const doc = JSON.parse(readFileSync(specPath, 'utf8'))
  const renamed = uniqueOperationIds(doc)
  if (renamed.length) {
    console.error(`api-types: ${renamed.length} operations share an operationId in docs/openapi.json; qualified them:`)
    for (const r of renamed) console.error(`  ${r}`)
  }
  return COMMENT_HEADER + astToString(await openapiTS(doc, { silent: true }))
}

const fresh = await generate()
if (!check) {
  writeFileSync(outPath, fresh, 'utf8')
  console.log('gen:api: wrote src/api/schema.d.ts from ../docs/openapi.json')
} else {
  let current = ''
  try {
    current = readFileSync(outPath, 'utf8')
  } catch {
    console.error('check:api: src/api/schema.d.ts is missing; run `npm run gen:api` in web/.')
    process.exit(1)
  }
  if (current !== fresh) {
    // Leave the fresh file next to the old one for a quick diff.
    const dir = mkdtempSync(join(tmpdir(), 'honglian-api-'))
    writeFileSync(join(dir, 'schema.d.ts'), fresh)
    console.error('check:api: src/api/schema.d.ts is stale: it does not match ../docs/openapi.json.')
    console.error(`Run \`npm run gen:api\` in web/ and commit the result (fresh copy: ${join(dir, 'schema.d.ts')}).`)
    process.exit(1)
  }
  console.log('check:api: src/api/schema.d.ts is up to date with ../docs/openapi.json')
}
