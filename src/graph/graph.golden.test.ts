import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { expectGolden } from '../../test/golden.ts'
import { validateApp } from '../model/index.ts'
import { graphFromApp, renderMermaid, renderText } from './index.ts'

// Golden cases: every app under examples/ → testdata/<example>.txt (the text `switchyard graph`
// prints) and <example>.mmd (Mermaid). A new example gets its goldens with UPDATE_GOLDEN=1.
const EXAMPLES = join(import.meta.dirname, '../../examples')
const DIR = join(import.meta.dirname, 'testdata')
const apps = readdirSync(EXAMPLES).filter((d) => readdirSync(join(EXAMPLES, d)).includes('app.yaml'))

for (const name of apps) {
  test(`graph golden: examples/${name}`, async () => {
    const files = readdirSync(join(EXAMPLES, name)).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: join(name, f), text: readFileSync(join(EXAMPLES, name, f), 'utf8') }))
    const { app, diagnostics } = validateApp(files)
    assert.ok(app, JSON.stringify(diagnostics))
    const graph = graphFromApp(app)
    await expectGolden(join(DIR, `${name}.txt`), renderText(graph))
    await expectGolden(join(DIR, `${name}.mmd`), renderMermaid(graph))
  })
}

test('graph goldens have no orphaned outputs', () => {
  const stale = readdirSync(DIR).filter((f) => !apps.includes(f.replace(/\.(txt|mmd)$/, '')))
  assert.deepEqual(stale, [])
})

test('a connection to a container by URL points at that container; an unknown host is outside the app', () => {
  const { app } = validateApp([{ file: 'app.yaml', text: `
- type: Applications.Core/applications@2023-10-01-preview
  name: a
- type: Radius.Compute/containers@2025-08-01-preview
  name: web
  properties:
    application: a
    container: { image: web:1, ports: { http: { containerPort: 80 } } }
    connections:
      self: { source: http://web:80 }
      payments: { source: "https://pay.example.com:443" }
` }])
  assert.ok(app)
  const edges = graphFromApp(app).edges.map((e) => `${e.from} -${e.label}-> ${e.to}`)
  assert.deepEqual(edges, ['container:web -self-> container:web', 'container:web -payments-> external:https://pay.example.com:443'])
})
