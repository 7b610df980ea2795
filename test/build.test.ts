import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { buildTo, RUNTIME_ASSETS } from '../scripts/build.ts'

// `npm run build` output must behave as the sources do: bin/switchyard.js runs dist/ once it
// exists, and a build that left out a file read at run time (the CRDs) broke every configuration.
const ROOT = fileURLToPath(new URL('..', import.meta.url))

test('the built CLI translates and validates as the sources do', { timeout: 180_000 }, () => {
  // In the repository's root, as dist/ is (compiled modules reach schemas/ by a relative path);
  // not dist/ itself, which other tests' processes would pick up half-written.
  const out = join(ROOT, `.build-test-${process.pid}`)
  try {
    buildTo(out)
    for (const a of RUNTIME_ASSETS) assert.ok(existsSync(join(out, a)), `${a} copied`)
    const run = (main: string, args: string[]) => execFileSync(process.execPath, [main, ...args], { cwd: ROOT, encoding: 'utf8' })
    for (const args of [['translate', '-f', 'examples/serve/gateway.yaml'], ['validate', 'examples/shop/app.yaml']]) {
      assert.equal(run(join(out, 'cli/main.js'), args), run(join(ROOT, 'src/cli/main.ts'), args), args.join(' '))
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})
