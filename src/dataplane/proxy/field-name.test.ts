import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fieldName } from './field-name.ts'

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
