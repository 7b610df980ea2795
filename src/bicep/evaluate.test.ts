import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Diagnostic } from '../diag/index.ts'
import { DEFAULT_ENVIRONMENT_ID, evaluateBicep, type ParameterValue } from './index.ts'

type Options = { before?: string; parameters?: Record<string, ParameterValue>; files?: Record<string, string> }

/** Evaluates `expr` as a property of a resource and returns its value, or the diagnostics. */
function evaluate(expr: string, options: Options = {}): { value?: unknown; diagnostics: readonly Diagnostic[] } {
  const text = `${options.before ?? ''}\nresource r 'Test.Ns/things@1' = {\n  name: 'r'\n  properties: {\n    v: ${expr}\n  }\n}\n`
  const files = options.files ?? {}
  const result = evaluateBicep(text, 't.bicep', {
    parameters: new Map(Object.entries(options.parameters ?? {})),
    readFile: (p) => (p in files ? new TextEncoder().encode(files[p]) : undefined),
  })
  const resources = result.docs[0]?.value as { properties: { v: unknown } }[] | undefined
  return { ...(resources ? { value: resources.at(-1)!.properties.v } : {}), diagnostics: result.diagnostics }
}

function value(expr: string, options?: Options): unknown {
  const r = evaluate(expr, options)
  assert.deepEqual(r.diagnostics, [], `${expr}: ${r.diagnostics.map((d) => d.message).join('; ')}`)
  return r.value
}

function problem(expr: string, options?: Options): Diagnostic {
  const r = evaluate(expr, options)
  assert.equal(r.value, undefined, `${expr} should not evaluate`)
  assert.ok(r.diagnostics[0], `${expr} should report a problem`)
  return r.diagnostics[0]
}

const cli = (text: string): ParameterValue => ({ value: text, text: true, origin: `-p x=${text}` })
const json = (v: unknown): ParameterValue => ({ value: v, text: false, origin: 'params.json' })

test('operators follow Bicep precedence and associativity', () => {
  const cases: [string, unknown][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 2 - 3', 5],
    ['-2 * 3', -6],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['-7 % 3', -1],
    ['1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4 == false', true],
    ['true || false && false', true],
    ['!true', false],
    ["null ?? 'x'", 'x'],
    ["'a' ?? 'b'", 'a'],
    ['true ? 1 : false ? 2 : 3', 1],
    ['false ? 1 : false ? 2 : 3', 3],
    ["'a' == 'a'", true],
    ["1 == '1'", false],
    ['[1, { a: 2 }] == [1, { a: 2 }]', true],
    ["'ABC' =~ 'abc'", true],
    ["'a' !~ 'A'", false],
    ['1 != 2', true],
  ]
  for (const [expr, want] of cases) assert.deepEqual(value(expr), want, expr)
})

test('strings: interpolation, escapes, multi-line strings', () => {
  const cases: [string, unknown][] = [
    ["'a${1}b${true}c'", 'a1bTruec'],
    ["'it\\'s \\$5 \\\\ \\u{41}\\u{1F680}'", "it's $5 \\ A🚀"],
    ["'${ { a: 'x' }.a }'", 'x'],
    ["'${'}'}'", '}'],
    ["'${'${'nested'}'}'", 'nested'],
    ["'''\nline one\nline 'two'\n'''", "line one\nline 'two'\n"],
    ["'''no ${interpolation} \\n here'''", 'no ${interpolation} \\n here'],
  ]
  for (const [expr, want] of cases) assert.deepEqual(value(expr), want, expr)
})

test('functions compute what ARM computes', () => {
  const cases: [string, unknown][] = [
    ['string(8080)', '8080'],
    ['string(true)', 'True'],
    ["string({ a: 1, b: [true, 'x'] })", '{"a":1,"b":[true,"x"]}'],
    ["concat('a', 'b', 'c')", 'abc'],
    ['concat([1], [2, 3])', [1, 2, 3]],
    ["format('{0}-{1}-{{literal}}', 'a', 1)", 'a-1-{literal}'],
    ["base64('shop')", 'c2hvcA=='],
    ["base64ToString(base64('añb'))", 'añb'],
    ["toLower('ABC')", 'abc'],
    ["toUpper('abc')", 'ABC'],
    ["trim('  x  ')", 'x'],
    ["replace('a.b.c', '.', '/')", 'a/b/c'],
    ["split('a,b;c', [',', ';'])", ['a', 'b', 'c']],
    ["join(['a', 1, true], '-')", 'a-1-True'],
    ["substring('hello', 1, 3)", 'ell'],
    ["substring('hello', 2)", 'llo'],
    ["startsWith('Hello', 'he')", true],
    ["endsWith('Hello', 'LO')", true],
    ["indexOf('Hello', 'L')", 2],
    ["lastIndexOf('Hello', 'l')", 3],
    ["contains({ Key: 1 }, 'key')", true],
    ["contains('abc', 'B')", false],
    ['contains([1, [2]], [2])', true],
    ["empty('')", true],
    ['empty({ a: 1 })', false],
    ['empty(null)', true],
    ['length({ a: 1, b: 2 })', 2],
    ["length('abc')", 3],
    ['first([])', null],
    ["last('abc')", 'c'],
    ['take([1, 2, 3], 2)', [1, 2]],
    ['skip([1, 2, 3], 2)', [3]],
    ['coalesce(null, null, 3)', 3],
    ['min(3, 1, 2)', 1],
    ['max([4, 9])', 9],
    ['range(2, 3)', [2, 3, 4]],
    ["int('42')", 42],
    ["bool('True')", true],
    ['json(\'{"a": [1, null]}\')', { a: [1, null] }],
    ['array(1)', [1]],
    ["sys.toUpper('a')", 'A'],
    ["any('x')", 'x'],
    ["loadTextContent('cert.pem')", 'PEM\n'],
    ["loadFileAsBase64('cert.pem')", 'UEVNCg=='],
    ["loadJsonContent('ports.json').web", 8080],
  ]
  const files = { 'cert.pem': 'PEM\n', 'ports.json': '{"web": 8080}' }
  for (const [expr, want] of cases) assert.deepEqual(value(expr, { files }), want, expr)
})

test('property and index access, with the safe forms', () => {
  assert.equal(value('{ a: { b: [1, 2] } }.a.b[1]'), 2)
  assert.equal(value("{ a: 1 }['a']"), 1)
  assert.equal(value('{ a: 1 }.?b'), null)
  assert.equal(value('{ A: 1 }.a'), 1)
  assert.equal(value('[1][?3]'), null)
  assert.equal(value('{ a: null }.a.?b'), null)
  assert.equal(value('{ a: 1 }!.a'), 1)
  assert.deepEqual(value('{ ...{ a: 1, b: 2 }, b: 3 }'), { a: 1, b: 3 })
  assert.deepEqual(value('[0, ...[1, 2], 3]'), [0, 1, 2, 3])
})

test('what cannot be evaluated is reported with its code', () => {
  const cases: [string, string][] = [
    ["'a' + 'b'", 'BICEP_TYPE'],
    ['missing', 'BICEP_UNDEFINED'],
    ["toLowr('A')", 'BICEP_UNDEFINED'],
    ["uniqueString('x')", 'BICEP_NOT_SUPPORTED'],
    ['resourceGroup().name', 'BICEP_NOT_SUPPORTED'],
    ['[1, 2][2]', 'BICEP_EVAL'],
    ['1 / 0', 'BICEP_EVAL'],
    ['1 % 0', 'BICEP_EVAL'],
    ["'${[1]}'", 'BICEP_NOT_SUPPORTED'],
    ["format('{0:N2}', 1)", 'BICEP_NOT_SUPPORTED'],
    ['string(null)', 'BICEP_NOT_SUPPORTED'],
    ["loadTextContent('nope.txt')", 'BICEP_LOAD_FAILED'],
    ["json('{bad')", 'BICEP_EVAL'],
    ["json('1.5')", 'BICEP_NOT_SUPPORTED'],
    ['9007199254740991 + 1', 'BICEP_NOT_SUPPORTED'],
    ['null.a', 'BICEP_EVAL'],
    ["'a'.b", 'BICEP_TYPE'],
    ['{ a: 1, A: 2 }', 'BICEP_DUPLICATE'],
    ['{ ... }', 'BICEP_PLACEHOLDER'],
    ['r.properties.v', 'BICEP_CYCLE'],
    ['r', 'BICEP_TYPE'],
    ['sys', 'BICEP_TYPE'],
    ['r.listKeys()', 'BICEP_NOT_SUPPORTED'],
    ["replace('x', '', 'y')", 'BICEP_EVAL'],
    ['range(0, 10001)', 'BICEP_EVAL'],
    ['1 ? 2 : 3', 'BICEP_TYPE'],
    ['1.5', 'BICEP_NOT_SUPPORTED'],
  ]
  for (const [expr, code] of cases) assert.equal(problem(expr).code, code, expr)
})

test('a problem is reported at the expression that has it', () => {
  const d = problem("concat('a', 1)")
  assert.deepEqual([d.source?.line, d.source?.col], [5, 8])
  const typo = problem("toLowr('A')")
  assert.equal(typo.source?.length, 'toLowr'.length)
})

test('every broken part of a literal is reported in one run', () => {
  const r = evaluate("{ a: missing, b: 1 / 0, c: [1][4] }")
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ['BICEP_UNDEFINED', 'BICEP_EVAL', 'BICEP_EVAL'],
  )
})

test('declarations may refer ahead; cycles are refused', () => {
  assert.equal(value('a', { before: "var a = '${b}!'\nvar b = c\nvar c = 'x'" }), 'x!')
  assert.equal(problem('a', { before: 'var a = b\nvar b = c\nvar c = a' }).code, 'BICEP_CYCLE')
})

test('resources: id, name, type and apiVersion; properties as written; existing resources by name', () => {
  const before = [
    "resource app 'Applications.Core/applications@2023-10-01-preview' = {\n  name: appName\n}",
    "param appName string = 'shop'",
    "resource env 'Applications.Core/environments@2023-10-01-preview' existing = {\n  name: 'prod'\n}",
    "resource a 'Test.Ns/things@1' = {\n  name: 'a'\n  properties: {\n    port: 80\n    peer: b.properties.port\n  }\n}",
    "resource b 'Test.Ns/things@1' = {\n  name: 'b'\n  properties: {\n    port: 81\n    peer: a.properties.port\n  }\n}",
  ].join('\n')
  assert.equal(value('app.id', { before }), '/planes/radius/local/resourceGroups/default/providers/Applications.Core/applications/shop')
  assert.equal(value('app.name', { before }), 'shop')
  assert.equal(value('app.type', { before }), 'Applications.Core/applications')
  assert.equal(value('app.apiVersion', { before }), '2023-10-01-preview')
  assert.equal(value('env.id', { before }), '/planes/radius/local/resourceGroups/default/providers/Applications.Core/environments/prod')
  // Two resources reading each other's properties are not a cycle: only the path read is evaluated.
  assert.deepEqual(value('[a.properties.peer, b.properties.peer]', { before }), [81, 80])
  assert.equal(problem('env.properties', { before }).code, 'BICEP_DEPLOY_TIME_VALUE')
  assert.equal(problem('a.properties.url', { before }).code, 'BICEP_DEPLOY_TIME_VALUE')
  assert.equal(value('a.properties.?url', { before }), null)
})

test('a resource becomes a model resource: type from the declaration, deployment-only fields dropped', () => {
  const text = "resource app 'Applications.Core/applications@2023-10-01-preview' = {\n  name: 'shop'\n  location: 'global'\n  dependsOn: [\n    env\n  ]\n}\nresource env 'A.B/c@1' existing = {\n  name: 'e'\n}\n"
  const r = evaluateBicep(text, 'a.bicep')
  assert.deepEqual(r.docs[0]?.value, [{ type: 'Applications.Core/applications@2023-10-01-preview', name: 'shop' }])
  assert.deepEqual(r.docs[0]?.locate([0, 'type']), { file: 'a.bicep', line: 1, col: 14, length: 51 })
  assert.deepEqual(r.docs[0]?.locate([0, 'name'], 'key'), { file: 'a.bicep', line: 2, col: 3, length: 4 })
  const typed = evaluateBicep("resource app 'Applications.Core/applications@2023-10-01-preview' = {\n  name: 'shop'\n  type: 'x'\n}\n", 'b.bicep')
  assert.equal(typed.diagnostics[0]?.code, 'BICEP_DUPLICATE')
  const parented = evaluateBicep("resource app 'A.B/c@1' = {\n  name: 'a'\n  parent: other\n}\n", 'p.bicep')
  assert.equal(parented.diagnostics[0]?.code, 'BICEP_NOT_SUPPORTED')
  const nameless = evaluateBicep("resource app 'A.B/c@1' existing = {\n}\nvar x = app.id\n", 'c.bicep')
  assert.equal(nameless.diagnostics[0]?.code, 'BICEP_EVAL')
  assert.equal(nameless.docs.length, 0)
})

test('parameters: defaults, -p values read as the declared type, parameters files, decorators', () => {
  assert.equal(value('port', { before: 'param port int = 80' }), 80)
  assert.equal(value('port', { before: 'param port int = 80', parameters: { port: cli('8080') } }), 8080)
  assert.equal(value('on', { before: 'param on bool', parameters: { on: cli('true') } }), true)
  assert.deepEqual(value('o', { before: 'param o object', parameters: { o: cli('{"a": [1]}') } }), { a: [1] })
  assert.equal(value('s', { before: 'param s string', parameters: { s: cli('8080') } }), '8080')
  assert.deepEqual(value('xs', { before: 'param xs string[]', parameters: { xs: json(['a']) } }), ['a'])
  assert.equal(value('n', { before: 'param n string?' }), null)
  assert.equal(value("k ?? 'none'", { before: "param k ('a' | 'b')?" }), 'none')
  assert.equal(value('environment', { before: 'param environment string' }), DEFAULT_ENVIRONMENT_ID)
  assert.equal(value('k', { before: "param k 'a' | 'b'", parameters: { k: cli('b') } }), 'b')

  const missing = problem('application', { before: 'param application string' })
  assert.equal(missing.code, 'BICEP_PARAMETER')
  assert.match(missing.message, /-p application=<value>/)
  assert.equal(problem('port', { before: 'param port int', parameters: { port: cli('eighty') } }).code, 'BICEP_PARAMETER')
  assert.equal(problem('port', { before: "param port int = '80'" }).code, 'BICEP_TYPE')
  assert.equal(problem('k', { before: "param k 'a' | 'b'", parameters: { k: cli('c') } }).code, 'BICEP_PARAMETER')
  assert.match(problem('s', { before: "@allowed(['dev', 'prod'])\nparam s string = 'test'" }).message, /@allowed does not list/)
  assert.deepEqual(value('xs', { before: "@allowed(['a', 'b'])\nparam xs array = ['b', 'a']" }), ['b', 'a'])
  assert.equal(problem('p', { before: '@minValue(1)\n@maxValue(65535)\nparam p int', parameters: { p: json(70000) } }).code, 'BICEP_PARAMETER')
  assert.equal(problem('s', { before: "@maxLength(3)\nparam s string = 'long'" }).code, 'BICEP_PARAMETER')
  assert.equal(problem('s', { before: "@export()\nparam s string = 'x'" }).code, 'BICEP_NOT_SUPPORTED')
  assert.equal(problem('s', { before: "param s myType = 'x'" }).code, 'BICEP_NOT_SUPPORTED')
})

test('a file that doubles a value again and again is refused, quickly, not expanded', () => {
  const doubling = Array.from({ length: 40 }, (_, i) => `var v${i + 1} = [v${i}, v${i}]`).join('\n')
  const started = Date.now()
  const d = problem('v40', { before: `var v0 = 'xxxxxxxx'\n${doubling}` })
  assert.equal(d.code, 'BICEP_EVAL')
  assert.ok(Date.now() - started < 5000)
  assert.equal(problem("replace(s, 'a', s)", { before: `var s = '${'a'.repeat(5000)}'` }).code, 'BICEP_EVAL')
})

test('deep nesting is a diagnostic, not a stack overflow', () => {
  const chain = Array.from({ length: 3000 }, (_, i) => `var v${i} = v${i + 1}`).join('\n')
  assert.equal(problem('v0', { before: `${chain}\nvar v3000 = 1` }).code, 'BICEP_EVAL')
  assert.equal(value('v0', { before: `${chain.split('\n').slice(2900).join('\n')}\nvar v3000 = 1`.replace('v2900 =', 'v0 =') }), 1)
  const r = evaluateBicep(`var x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`, 'd.bicep')
  assert.equal(r.diagnostics[0]?.code, 'BICEP_SYNTAX')
  const arrays = evaluateBicep(`var x = ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 'd.bicep')
  assert.equal(arrays.diagnostics[0]?.code, 'BICEP_SYNTAX')
  for (const long of [Array(20000).fill('1').join(' + '), `1${'!'.repeat(20000)}`]) assert.equal(evaluateBicep(`var x = ${long}\n`, 'd.bicep').diagnostics[0]?.code, 'BICEP_SYNTAX')
  assert.equal(value(Array(900).fill('1').join(' + ')), 900)
  // Runs of operators inside parentheses inside runs: the evaluator bounds its own depth.
  let nested = '1'
  for (let i = 0; i < 45; i++) nested = `(${nested}) + ${Array(999).fill('1').join(' + ')}`
  assert.equal(problem(nested).code, 'BICEP_EVAL')
})

test('the legacy import form and the extension form both read; outputs, metadata and targetScope are ignored', () => {
  for (const head of ['extension radius', 'import radius as radius', "import 'radius@latest'", "extension kubernetes with {\n  namespace: 'default'\n} as k8s"]) {
    const r = evaluateBicep(`${head}\ntargetScope = 'resourceGroup'\nmetadata owner = 'web'\n#disable-next-line BCP081\n@sys.description('the app')\nresource app 'Applications.Core/applications@2023-10-01-preview' = {\n  name: 'shop'\n}\noutput id string = app.id\n`, 'x.bicep')
    assert.deepEqual(r.diagnostics, [], head)
    assert.equal((r.docs[0]?.value as unknown[]).length, 1)
  }
})

test('objects and arrays: new lines, commas, or both', () => {
  assert.deepEqual(value('{ a: 1, b: 2 }'), { a: 1, b: 2 })
  assert.deepEqual(value('{\n      a: 1\n      b: 2,\n    }'), { a: 1, b: 2 })
  assert.deepEqual(value("[\n      'a'\n      'b', 'c'\n    ]"), ['a', 'b', 'c'])
  assert.deepEqual(value("{ 'tls.crt': {}, '${'k'}': 1 }"), { 'tls.crt': {}, k: 1 })
  assert.deepEqual(value("concat(\n      ['a'],\n      ['b']\n    )"), ['a', 'b'])
})

test('values nest at most 100 deep, however they are built', () => {
  const wrapping = Array.from({ length: 150 }, (_, i) => `var a${i + 1} = [a${i}]`).join('\n')
  assert.equal(problem('a150', { before: `var a0 = 1\n${wrapping}` }).code, 'BICEP_EVAL')
  assert.equal(problem(`json('${'['.repeat(5000)}${']'.repeat(5000)}')`).code, 'BICEP_EVAL')
  const fifty = wrapping.split('\n').slice(0, 50).join('\n')
  assert.equal((value('a50', { before: `var a0 = 1\n${fifty}` }) as unknown[]).length, 1)
})
