import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatDiagnostic, formatPath, redactKeyMaterial, sortDiagnostics, summarize, type Diagnostic } from './index.ts'

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

test('key material is redacted from messages and excerpts; the caret follows', () => {
  const key = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMbW+2p+RgJ4vvlaP'
  assert.equal(redactKeyMaterial(`token: "${key}"`), 'token: "[redacted]"')
  // A line of a real key with no digit in it (about one PEM line in 50,000): it showed in full.
  assert.equal(redactKeyMaterial('"\\nRiUym/+trrBaHlHDjHRobvOS/NqhRANCAARKnudRSBnwuNZe/vRplvmmBcbrVZwc\\n"'), '"\\n[redacted]\\n"')
  // Not key-like: hex digests, long names, words, paths and camelCase names.
  for (const s of ['sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'a-very-long-kubernetes-service-name-with-many-parts', 'Antidisestablishmentarianismsupercalifragilistic', '/Users/JohnSmith/Documents/ProjectFiles/Switchyard', 'registry.example.com/platformTeam/paymentsGatewayFrontendService'])
    assert.equal(redactKeyMaterial(s), s)
  assert.equal(redactKeyMaterial(`"\\n${key}\\n"`), '"\\n[redacted]\\n"')
  const text = `data:\n  tls.key: ${key} # and then\n`
  const d: Diagnostic = { code: 'K8S_INVALID_CORE_OBJECT', severity: 'error', message: 'bad', path: 'data', source: { file: 'f.yaml', line: 2, col: 12, length: key.length } }
  assert.equal(formatDiagnostic(d, { sources: new Map([['f.yaml', text]]) }).split('\n').slice(-2).join('\n'), `  2 |   tls.key: [redacted] # and then\n    |            ^^^^^^^^^^`)
  const after: Diagnostic = { ...d, source: { file: 'f.yaml', line: 2, col: 12 + key.length + 3, length: 3 } }
  assert.equal(formatDiagnostic(after, { sources: new Map([['f.yaml', text]]) }).split('\n').at(-1), `    | ${' '.repeat('  tls.key: [redacted] # '.length)}^^^`)
})
