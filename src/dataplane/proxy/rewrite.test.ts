import assert from 'node:assert/strict'
import { test } from 'node:test'
import { redirectLocation, rewritePath } from './rewrite.ts'

// gateway-api.md §7, the ReplacePrefixMatch table.
const table: [string, string, string, string][] = [
  ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
  ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'],
  ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
  ['/foo', '/foo', '/xyz', '/xyz'],
  ['/foo/', '/foo', '/xyz', '/xyz/'],
  ['/foo/bar', '/foo', '', '/bar'],
  ['/foo/', '/foo', '', '/'],
  ['/foo', '/foo', '', '/'],
  ['/foo', '/foo', '/', '/'],
  ['/foo/', '/foo', '/', '/'],
]
for (const [path, prefix, replacement, want] of table)
  test(`ReplacePrefixMatch of ${prefix} by "${replacement}" turns ${path} into ${want}`, () => {
    assert.equal(rewritePath(path, { kind: 'prefix', value: prefix }, { kind: 'prefix', replacement }), want)
  })

test('a redirect keeps the query and omits a null port', () => {
  const r = { scheme: 'https', hostname: null, port: null, path: null, statusCode: 302 } as const
  assert.equal(redirectLocation(r, 'example.org', '/a', 'x=1', { kind: 'prefix', value: '/' }), 'https://example.org/a?x=1')
  assert.equal(redirectLocation({ ...r, scheme: 'http', port: 8080, hostname: 'h' }, 'example.org', '/a', '', { kind: 'prefix', value: '/' }), 'http://h:8080/a')
})
