import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { Ajv } from 'ajv'
import { parseAllDocuments } from 'yaml'
import { appExamples } from '../../test/examples.ts'

// The schemas under schemas/ are what editors load through the yaml-language-server modeline.
// These tests hold the combined app.schema.json to the same verdicts as `switchyard validate`.
const ROOT = resolve(import.meta.dirname, '../..')
const SCHEMAS = join(ROOT, 'schemas')

function appSchema() {
  const ajv = new Ajv({ allErrors: true, strict: false })
  for (const f of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')), f)
  return ajv.getSchema('app.schema.json')!
}

function documents(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS())
}

test('every example file passes the published app schema', () => {
  const validate = appSchema()
  for (const name of appExamples()) {
    for (const f of readdirSync(join(ROOT, 'examples', name)).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of documents(join(ROOT, 'examples', name, f))) assert.ok(validate(doc), `examples/${name}/${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`)
    }
  }
})

test('the published app schema rejects the bad enum and the unknown field of the six-mistakes file', () => {
  const validate = appSchema()
  const [doc] = documents(join(ROOT, 'src/model/testdata/six-mistakes.in.yaml'))
  assert.equal(validate(doc), false)
  const found = (validate.errors ?? []).map((e) => `${e.keyword} ${e.instancePath}`)
  assert.ok(found.includes('enum /2/properties/kind'), found.join('\n'))
  assert.ok(found.includes('additionalProperties /1/properties/container'), found.join('\n'))
})

test('every example starts with the yaml-language-server modeline', () => {
  for (const name of appExamples()) {
    for (const f of readdirSync(join(ROOT, 'examples', name)).filter((f) => f.endsWith('.yaml'))) {
      assert.match(readFileSync(join(ROOT, 'examples', name, f), 'utf8'), /^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/app\.schema\.json\n/, `examples/${name}/${f}`)
    }
  }
})
