import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SwitchyardError } from '../diag/index.ts'
import { parseParameterArgs, undeclaredParameters } from './index.ts'

/** An in-memory file system for the @file arguments. */
function reader(files: Record<string, string>) {
  return (path: string) => {
    if (!(path in files)) throw new SwitchyardError('INPUT_FILE_NOT_FOUND', `${path}: no such file or directory`)
    return files[path]!
  }
}

test('-p name=value is text for the declaration to read; name=@file is a JSON value', () => {
  const { values, files } = parseParameterArgs(['port=8080', 'tags=@tags.json', 'empty='], reader({ 'tags.json': '{"team": "web"}' }))
  assert.deepEqual(values.get('port'), { value: '8080', text: true, origin: '-p port=8080' })
  assert.deepEqual(values.get('tags'), { value: { team: 'web' }, text: false, origin: '-p tags=@tags.json' })
  assert.equal(values.get('empty')?.value, '')
  assert.equal(files.length, 1)
})

test('@file.json reads an ARM deployment parameters file, with positions for its values', () => {
  const arm = ['{', '  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",', '  "contentVersion": "1.0.0.0",', '  "parameters": {', '    "port": { "value": 9090 }', '  }', '}'].join('\n')
  const { values, files } = parseParameterArgs(['@params.json'], reader({ 'params.json': arm }))
  assert.equal(values.get('port')?.value, 9090)
  assert.equal(values.get('port')?.text, false)
  assert.deepEqual(values.get('port')?.source, { file: 'params.json', line: 5, col: 5, length: 6 })
  assert.deepEqual(files[0]?.diagnostics, [])
})

test('@file.json also reads a plain object of names and values; later arguments win', () => {
  const { values } = parseParameterArgs(['@p.json', 'port=1'], reader({ 'p.json': '{"port": 80, "name": "shop"}' }))
  assert.equal(values.get('name')?.value, 'shop')
  assert.equal(values.get('port')?.value, '1')
})

test('problems inside a parameters file are diagnostics where they are', () => {
  const text = '{\n  "parameters": {\n    "ratio": { "value": 1.5 },\n    "secret": { "reference": { "keyVault": {} } }\n  }\n}'
  const { values, files } = parseParameterArgs(['@p.json'], reader({ 'p.json': text }))
  assert.equal(values.size, 0)
  const diagnostics = files[0]!.diagnostics
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.source?.line]),
    [
      ['BICEP_PARAMETERS_FILE', 3],
      ['BICEP_PARAMETERS_FILE', 4],
    ],
  )
  assert.match(diagnostics[1]!.message, /Key Vault references are not supported yet/)
  const broken = parseParameterArgs(['@b.json'], reader({ 'b.json': '{"a": ' }))
  assert.equal(broken.files[0]!.diagnostics[0]?.code, 'INPUT_YAML_SYNTAX')
  const list = parseParameterArgs(['@l.json'], reader({ 'l.json': '[1, 2]' }))
  assert.equal(list.files[0]!.diagnostics[0]?.code, 'BICEP_PARAMETERS_FILE')
})

test('a malformed -p is a usage error; a missing file is the operational error', () => {
  for (const arg of ['port', '=1', '1port=2', 'a-b=1']) {
    assert.throws(() => parseParameterArgs([arg], reader({})), (e: unknown) => e instanceof SwitchyardError && e.code === 'CLI_USAGE', arg)
  }
  assert.throws(() => parseParameterArgs(['@nope.json'], reader({})), (e: unknown) => e instanceof SwitchyardError && e.code === 'INPUT_FILE_NOT_FOUND')
})

test('a -p no file declares is refused, with the closest declared name', () => {
  const { values } = parseParameterArgs(['portt=80', 'other=1'], reader({}))
  const [typo, other] = undeclaredParameters(values, new Set(['port', 'image']))
  assert.equal(typo?.code, 'BICEP_PARAMETER')
  assert.match(typo!.message, /^-p portt=80: no \.bicep file declares a parameter "portt"; did you mean "port"\?$/)
  assert.match(other!.message, /the files declare: port, image/)
  assert.deepEqual(undeclaredParameters(values, new Set(['portt', 'other'])), [])
})
