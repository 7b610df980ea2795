import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatDiagnostic, formatPath, sortDiagnostics, summarize, type Diagnostic } from './index.ts'

const d: Diagnostic = {
  code: 'MODEL_INVALID_ENUM',
  severity: 'error',
  message: '"HTTPS" is not one of HTTP, TLS, TCP, UDP',
  path: 'properties.kind',
  resource: 'Radius.Compute/routes/web',
  source: { file: 'app.yaml', line: 2, col: 8, length: 5 },
}

test('a diagnostic prints its position, code, field path, and a caret under the offending text', () => {
  const out = formatDiagnostic(d, { sources: new Map([['app.yaml', 'kind: x\n\tkind: HTTPS\n']]) })
  assert.equal(out, ['app.yaml:2:8 error MODEL_INVALID_ENUM properties.kind: "HTTPS" is not one of HTTP, TLS, TCP, UDP', '  in Radius.Compute/routes/web', '  2 | \tkind: HTTPS', '    | \t      ^^^^^'].join('\n'))
})

test('a diagnostic without its source text still prints its position', () => {
  assert.equal(formatDiagnostic({ ...d, resource: undefined }), 'app.yaml:2:8 error MODEL_INVALID_ENUM properties.kind: "HTTPS" is not one of HTTP, TLS, TCP, UDP')
})

test('field paths quote keys that are not identifiers', () => {
  assert.equal(formatPath(['properties', 'data', 'tls.crt', 'value']), 'properties.data["tls.crt"].value')
  assert.equal(formatPath(['rules', 0, 'matches', 1]), 'rules[0].matches[1]')
})

test('diagnostics sort by file, line and column, and summarize by severity', () => {
  const later = { ...d, source: { file: 'app.yaml', line: 10, col: 1 } }
  const warn = { ...d, severity: 'warning' as const, source: { file: 'a.yaml', line: 99, col: 1 } }
  assert.deepEqual(sortDiagnostics([later, d, warn]), [warn, d, later])
  assert.equal(summarize([later, d, warn]), '2 errors, 1 warning')
})
