import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { FieldNameMemo, fieldName } from './field-name.ts'
import { isFieldValue } from './field-value.ts'

test('field names are lower-cased tokens, the same on a cache hit and past the cache bound', () => {
  for (let round = 0; round < 2; round++) {
    assert.equal(fieldName('Content-Length'), 'content-length')
    assert.equal(fieldName("X-A!#$%&'*+.^_`|~09"), "x-a!#$%&'*+.^_`|~09")
    for (const bad of ['', 'X A', 'X-A ', 'a:b', 'x\r', 'x\n', 'é', '(x)']) assert.equal(fieldName(bad), null, JSON.stringify(bad))
  }
  // Far more distinct names than the cache holds: each still checked and lower-cased.
  for (let i = 0; i < 5000; i++) assert.equal(fieldName(`X-Name-${i}`), `x-name-${i}`)
  assert.equal(fieldName('X Name'), null)
  assert.equal(fieldName('X-NEW-AFTER-FULL'), 'x-new-after-full')
})

test('cached names are the internalized lower-case strings', () => {
  const name = fieldName('X-Internal-Check')!
  assert.equal(name, 'x-internal-check')
  assert.equal(Object.keys({ [name]: 1 })[0], name)
})

test('FieldNameMemo: a line whose name changed is read afresh, even at the same length and offset', () => {
  const memo = new FieldNameMemo()
  const line = (raw: string) => `${raw}: v`
  assert.equal(memo.get(line('Content-Length'), 0, 14, 0), 'content-length')
  // Same length, same line, one character different: never the remembered name.
  assert.equal(memo.get(line('Content-Lengtx'), 0, 14, 0), 'content-lengtx')
  assert.equal(memo.get(line('Content-Length'), 0, 14, 0), 'content-length')
  // A shorter name that is a prefix of the remembered one.
  assert.equal(memo.get(line('Content'), 0, 7, 0), 'content')
  // Another line number has its own memory; offsets inside a longer text are honoured.
  const text = `GET / HTTP/1.1\r\nHost: a\r\n`
  assert.equal(memo.get(text, 16, 20, 1), 'host')
  assert.equal(memo.get(text, 16, 20, 1), 'host')
  // Not a token: null, and nothing remembered that a later valid name could be confused with.
  assert.equal(memo.get(line('Bad Name'), 0, 8, 2), null)
  assert.equal(memo.get(line('Bad-Name'), 0, 8, 2), 'bad-name')
})

test('isFieldValue: visible ASCII, obs-text, SP and HTAB; no controls', () => {
  const ok = (v: string) => isFieldValue(`x${v}y`, 1, 1 + v.length)
  for (const v of ['', 'text/plain; charset=utf-8', 'a\tb c', '\x80\xff', '~!"#']) assert.equal(ok(v), true, JSON.stringify(v))
  for (const v of ['a\rb', 'a\nb', 'a\0b', '\x7f', '\x1f', 'tail\r']) assert.equal(ok(v), false, JSON.stringify(v))
  // Only the range given is checked.
  assert.equal(isFieldValue('\r\nok\r\n', 2, 4), true)
})

test('neither cache keeps the head a name was read from alive', () => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  const before = process.memoryUsage().heapUsed
  const memos: FieldNameMemo[] = []
  for (let i = 0; i < 100; i++) {
    // A 1 MiB head whose first name (over 13 characters, so a slice would share the head's memory) is cached.
    const text = `X-Retention-Check-${i % 5}: v\r\n${'y'.repeat(1 << 20)}${i}`
    const memo = new FieldNameMemo()
    assert.equal(memo.get(text, 0, text.indexOf(':'), 0), `x-retention-check-${i % 5}`)
    assert.equal(fieldName(text.slice(0, text.indexOf(':'))), `x-retention-check-${i % 5}`)
    memos.push(memo)
  }
  gc()
  const retained = (process.memoryUsage().heapUsed - before) / 2 ** 20
  // 100 MiB of heads went through; keeping any of them alive would show here.
  assert.ok(retained < 20, `${retained.toFixed(1)} MiB still reachable with ${memos.length} memos alive`)
})
