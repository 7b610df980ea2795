import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { expectGolden } from '../../test/golden.ts'
import { graphFromConfig, renderText } from '../graph/index.ts'
import { readInputs } from '../pipeline/index.ts'
import { translateTexts } from '../translator/index.ts'

const MAIN = join(import.meta.dirname, 'main.ts')
const EXPLAIN = join(import.meta.dirname, 'testdata/explain')

test('switchyard graph prints the app as text, and as Mermaid or JSON on request', { timeout: 30_000 }, () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, 'graph', ...args], { encoding: 'utf8' })
  const shop = join(import.meta.dirname, '../../examples/shop')
  const text = run(join(shop, 'app.yaml'), '--env', join(shop, 'env.yaml'))
  assert.equal(text.status, 0, text.stderr)
  assert.match(text.stdout, /^Gateway default\/shop-gateway$/m)
  assert.match(text.stdout, /^ {4}GET \/accounts x-tenant: a \?v=2 \(port 8081\) → accounts$/m)
  assert.match(run(shop, '-o', 'mermaid').stdout, /^flowchart LR$/m)
  const json = JSON.parse(run(shop, '-o', 'json').stdout) as { nodes: { id: string }[] }
  assert.ok(json.nodes.some((n) => n.id === 'container:frontend'))
  assert.equal(run(join(import.meta.dirname, '../model/testdata/six-mistakes.in.yaml')).status, 1)
})

// The graph `serve` shows on the dashboard, for configurations of the explain goldens: routes not
// accepted and backends that do not resolve are drawn with their reason.
for (const name of ['route-not-attached', 'answers']) {
  test(`served graph golden: ${name}`, async () => {
    const inputs = readInputs([join(EXPLAIN, 'base'), join(EXPLAIN, `${name}.in.yaml`)])
    const result = translateTexts(inputs, { now: '2026-01-01T00:00:00Z' })
    await expectGolden(join(import.meta.dirname, 'testdata/graph', `${name}.txt`), renderText(graphFromConfig(result.ir, result.statuses)))
  })
}
