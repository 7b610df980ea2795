import assert from 'node:assert/strict'
import { test } from 'node:test'
import { canonicalYaml, didYouMean, isGatewayHostname, parseGatewayDuration, parseGoDuration, parseYamlDocuments } from './index.ts'

test('a Go duration parses to milliseconds, term by term', () => {
  const cases: [string, number | undefined][] = [
    ['15s', 15_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['2us', 0.002],
    ['0', 0],
    ['', undefined],
    ['15', undefined],
    ['-5s', undefined],
    ['5 s', undefined],
    ['1d', undefined],
  ]
  for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, JSON.stringify(text))
})

test('a Gateway API duration allows at most four terms of h, m, s or ms with up to five digits', () => {
  assert.equal(parseGatewayDuration('1h2m3s4ms'), 3_723_004)
  assert.equal(parseGatewayDuration('1h2m3s4ms5ms'), undefined)
  assert.equal(parseGatewayDuration('1.5s'), undefined)
  assert.equal(parseGatewayDuration('123456s'), undefined)
})

test('a Gateway API hostname is lower-case RFC 1123 with at most one leading wildcard label', () => {
  const cases: [string, boolean][] = [
    ['example.com', true],
    ['*.example.com', true],
    ['a-b.c', true],
    ['Example.com', false],
    ['*', false],
    ['foo.*.com', false],
    ['**.example.com', false],
    ['-a.com', false],
    ['10.1.2.3', false],
    ['a'.repeat(64) + '.com', false],
    ['', false],
  ]
  for (const [h, ok] of cases) assert.equal(isGatewayHostname(h), ok, h)
  assert.equal(isGatewayHostname('*.example.com', false), false)
})

test('did-you-mean suggests the nearest name only when it is a plausible typo', () => {
  assert.equal(didYouMean('destinaton', ['destination', 'path']), 'destination')
  assert.equal(didYouMean('HttpPath', ['httpPath', 'path']), 'httpPath')
  assert.equal(didYouMean('colour', ['image', 'ports']), undefined)
})

test('canonical YAML sorts keys at every depth, keeps list order and drops undefined', () => {
  assert.equal(canonicalYaml({ b: 1, a: { d: [3, 1], c: undefined } }), 'a:\n  d:\n    - 3\n    - 1\nb: 1\n')
})

test('a field path leads back to its key or value in the source', () => {
  const text = '- type: x\n  properties:\n    kind: HTTPS\n'
  const { docs, diagnostics } = parseYamlDocuments(text, 'f.yaml')
  assert.deepEqual(diagnostics, [])
  assert.deepEqual(docs[0]!.locate([0, 'properties', 'kind']), { file: 'f.yaml', line: 3, col: 11, length: 5 })
  assert.deepEqual(docs[0]!.locate([0, 'properties', 'kind'], 'key'), { file: 'f.yaml', line: 3, col: 5, length: 4 })
  // A missing field points at the object that lacks it.
  assert.equal(docs[0]!.locate([0, 'properties', 'rules']).line, 3)
})

test('aliases that expand without bound are refused, not expanded', () => {
  const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n'
  const { docs, diagnostics } = parseYamlDocuments(bomb, 'bomb.yaml')
  assert.equal(docs.length, 0)
  assert.equal(diagnostics[0]?.code, 'INPUT_YAML_SYNTAX')
})

test('a key that is a collection becomes a warning at the key, and nothing is printed to stderr', () => {
  const { docs, diagnostics } = parseYamlDocuments('a: 1\n? [x, y]\n: 2\n', 'k.yaml')
  assert.equal(docs.length, 1)
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.source?.line, d.source?.col]),
    [['INPUT_YAML_WARNING', 2, 3]],
  )
})
