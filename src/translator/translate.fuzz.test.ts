import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseAllDocuments } from 'yaml'
import { assertDiagnosticsPointIntoFiles } from '../../test/diagnostic-checks.ts'
import { mutatedDocument } from '../../test/mutate.ts'
import { propertyOptions } from '../../test/property.ts'
import type { Diagnostic } from '../diag/index.ts'
import * as ir from '../ir/index.ts'
import { translateTexts } from './index.ts'

// Valid Gateway API object sets (the golden inputs and the serve example), mutated: fields
// deleted or renamed, values of the wrong type, empty or huge, nodes duplicated or wrapped. The
// translator never throws, the loader's diagnostics point into the file, and the IR it produces
// always passes ir.validate — the pipeline would refuse to publish one that did not.
const NOW = '2026-01-01T00:00:00Z'
const DIR = join(import.meta.dirname, 'testdata')
const ROOT = join(import.meta.dirname, '../..')
const BASE = readdirSync(join(DIR, 'base'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: `base/${f}`, text: readFileSync(join(DIR, 'base', f), 'utf8') }))

/** Each case file as one list of its documents' values. */
const bases: unknown[] = [...readdirSync(DIR).filter((f) => f.endsWith('.in.yaml')).map((f) => join(DIR, f)), join(ROOT, 'examples/serve/gateway.yaml')].map((path) =>
  parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as unknown),
)

/**
 * The translator speaks of object graphs (a missing GatewayClass, an unmanaged one): those name
 * the object in `resource`, not a position. Loader diagnostics always have one.
 */
const positionless = (d: Diagnostic) => d.code.startsWith('TRANSLATE_') && d.resource !== undefined

test('translate never throws on mutated object sets, and its IR always passes ir.validate', () => {
  const stats = { runs: 0, routes: 0, ports: 0, rejected: 0 }
  fc.assert(
    fc.property(mutatedDocument(bases), (text) => {
      const inputs = [...BASE, { file: 'case.yaml', text }]
      const result = translateTexts(inputs, { now: NOW })
      assertDiagnosticsPointIntoFiles(inputs, result.diagnostics, positionless)
      assert.deepEqual(ir.validate(result.ir), [])
      // A printable copy (keys redacted) exists for every IR /config may show.
      ir.printable(result.ir)
      stats.runs++
      stats.routes += result.statuses.filter((s) => s.kind.endsWith('Route')).length
      stats.ports += result.ir.ports.length
      if (result.diagnostics.some((d) => d.severity === 'error')) stats.rejected++
    }),
    propertyOptions(100),
  )
  // Guard: the mutations must leave objects for the translator to work on, and break some too.
  assert.ok(stats.routes > stats.runs / 10 && stats.ports > stats.runs / 10 && stats.rejected > 0 && stats.rejected < stats.runs, `the corpus should reach the translator: ${JSON.stringify(stats)}`)
  process.stdout.write(`# translator fuzz: ${stats.runs} object sets, ${stats.routes} route statuses, ${stats.ports} ports, ${stats.rejected} with admission errors\n`)
})
