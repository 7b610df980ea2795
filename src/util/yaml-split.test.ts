import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseAllDocuments } from 'yaml'
import { parseYamlDocuments } from './yaml-source.ts'
import { splitYamlDocuments } from './yaml-split.ts'

test('a stream is cut before each --- and after each ..., and each piece knows its first line', () => {
  const text = 'a: 1\n---\nb: 2\n--- {c: 3}\n...\n# tail\n---\nd: |\n  text\n'
  assert.deepEqual(splitYamlDocuments(text), [
    { text: 'a: 1\n', line: 1 },
    { text: '---\nb: 2\n', line: 2 },
    { text: '--- {c: 3}\n...\n', line: 4 },
    { text: '# tail\n', line: 6 },
    { text: '---\nd: |\n  text\n', line: 7 },
  ])
})

test('--- not at the start of a line, or followed by other text, does not cut', () => {
  const text = 'a: " ---"\nb: ---x\n ---\nc: ----\n'
  assert.deepEqual(splitYamlDocuments(text), [{ text, line: 1 }])
})

test('a stream with a directive comes back whole (a directive belongs to the document after it)', () => {
  const text = '%YAML 1.2\n---\na: 1\n---\nb: 2\n'
  assert.deepEqual(splitYamlDocuments(text), [{ text, line: 1 }])
})

test('an empty text is one empty piece', () => {
  assert.deepEqual(splitYamlDocuments(''), [{ text: '', line: 1 }])
})

test('diagnostics of a piece name the line of the whole file', () => {
  const text = 'a: 1\n---\nb: 2\n---\nc: [1,\n'
  const whole = parseYamlDocuments(text, 'f.yaml').diagnostics.map((d) => d.source)
  const pieces = splitYamlDocuments(text).flatMap((p) => parseYamlDocuments(p.text, 'f.yaml', p.line).diagnostics.map((d) => d.source))
  assert.ok(whole.length > 0)
  assert.deepEqual(pieces, whole)
})

test('the pieces parse to the same values as the whole stream', () => {
  const scalar = fc.oneof(fc.integer(), fc.constantFrom('---', '...', 'a b', '--- x', '', 'x\n---\ny'), fc.boolean())
  const doc = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })))
  const style = fc.constantFrom('block', 'flow', 'literal')
  fc.assert(
    fc.property(fc.array(fc.tuple(doc, style), { minLength: 1, maxLength: 5 }), fc.boolean(), (docs, ends) => {
      const text = docs
        .map(([d, s]) => {
          if (s === 'flow') return `--- ${JSON.stringify(d)}\n`
          if (s === 'literal') return `---\nv: |\n${Object.keys(d).map((k) => `  ${k} ---\n`).join('')}`
          return `---\n${Object.entries(d).map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`).join('')}`
        })
        .join(ends ? '...\n' : '')
      const whole = parseAllDocuments(text).map((d) => d.toJS())
      const pieces = splitYamlDocuments(text).flatMap((p) => parseAllDocuments(p.text).map((d) => d.toJS()))
      assert.deepEqual(pieces, whole)
      assert.equal(pieces.length, docs.length)
    }),
  )
})
