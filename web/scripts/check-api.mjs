// Fails when src/api/schema.d.ts is not what openapi-typescript generates from
// ../docs/openapi.json today (i.e. someone changed the API and forgot `npm run gen:api`).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const web = join(dirname(fileURLToPath(import.meta.url)), '..')
const spec = join(web, '..', 'docs', 'openapi.json')
const committed = join(web, 'src', 'api', 'schema.d.ts')
const dir = mkdtempSync(join(tmpdir(), 'honglian-api-'))
const fresh = join(dir, 'schema.d.ts')
try {
  const cli = join(web, 'node_modules', 'openapi-typescript', 'bin', 'cli.js')
  execFileSync(process.execPath, [cli, spec, '-o', fresh], { cwd: web, stdio: ['ignore', 'ignore', 'inherit'] })
  let current = ''
  try {
    current = readFileSync(committed, 'utf8')
  } catch {
    console.error(`check:api: ${committed} is missing; run \`npm run gen:api\`.`)
    process.exit(1)
  }
  if (readFileSync(fresh, 'utf8') !== current) {
    console.error('check:api: src/api/schema.d.ts is stale: it does not match ../docs/openapi.json.')
    console.error('Run `npm run gen:api` in web/ and commit the result.')
    process.exit(1)
  }
  console.log('check:api: src/api/schema.d.ts is up to date with ../docs/openapi.json')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
