import assert from 'node:assert/strict'
import { posix } from 'node:path'
import { test } from 'node:test'
import fc from 'fast-check'
import { propertyOptions } from '../../test/property.ts'
import { normalizePath } from './index.ts'
import { normalizeFully } from './normalize-path.ts'

const refused = (raw: string) => {
  const r = normalizePath(raw)
  assert.ok(!r.ok, `${raw} was accepted as ${r.ok ? r.path : ''}`)
  return r.reason
}

// Sentence → [request path, normalized path] rows.
const TABLES: Record<string, readonly (readonly [string, string])[]> = {
  'a clean path is left as it is': ['/', '/a', '/a/', '/a/b', '/A/B', '/a;b=c', "/a:b@c!$&'()*+,=", '/~user/-_.x', '/%20', '/caf%C3%A9'].map((p) => [p, p] as const),
  'dot segments resolve (RFC 3986 §5.2.4), never above the root': [
    ['/a/./b', '/a/b'], ['/a/../b', '/b'], ['/a/b/..', '/a/'], ['/a/b/.', '/a/b/'], ['/a/..', '/'], ['/..', '/'],
    ['/../../etc/passwd', '/etc/passwd'], ['/public/../admin', '/admin'], ['/a/.../b', '/a/.../b'], ['/a/..b/c', '/a/..b/c'],
  ],
  'encoded dots are dots: %2E is unreserved, so it is decoded before dot segments resolve': [['/public/%2e%2e/admin', '/admin'], ['/public/.%2E/admin', '/admin'], ['/%2E/a', '/a']],
  'double slashes merge': [['//a//b///c', '/a/b/c'], ['/a//', '/a/'], ['//', '/'], ['/a//../b', '/b']],
  'escapes of unreserved characters are decoded; the others keep upper-case hex': [
    ['/%61%62%7E%2d', '/ab~-'], ['/a%3bb', '/a%3Bb'], ['/a%2cb%3F', '/a%2Cb%3F'], ['/%c3%a9', '/%C3%A9'], ['/%25', '/%25'], ['/%252e%252e/x', '/%252e%252e/x'],
  ],
  'characters a client should have escaped are escaped, bytes too': [['/a|b^c[d]`{e}"<>', '/a%7Cb%5Ec%5Bd%5D%60%7Be%7D%22%3C%3E'], ['/caf\u00e9', '/caf%E9']],
}

for (const [sentence, rows] of Object.entries(TABLES)) {
  test(sentence, () => {
    for (const [raw, want] of rows) assert.deepEqual(normalizePath(raw), { ok: true, path: want }, raw)
  })
}

test('what no path may hold, or what some server would read as a separator or a dot segment, is refused (400)', () => {
  for (const raw of ['', 'a', '*', 'http://x/a', '/a b', '/a\tb', '/a\u0000', '/a\u007f', '/a#b', '/a\\b', '/a/%2F../b', '/a%2fb', '/a%5Cb', '/a%00', '/a%', '/a%4', '/a%zz', '/a/..;/b', '/a/.;x/b', '/a/..%3B/b', '/a/..%3bjsessionid/b', '/\u0100'])
    assert.match(refused(raw), /request path/, raw)
})

// A path the gateway matched under a prefix must stay under that prefix as the backend reads it.
// The backends below read a path the ways real servers do (decode then resolve; drop `;`
// parameters like a servlet container; treat `\` as `/` like IIS; merge slashes like nginx).
const backends: Record<string, (p: string) => string> = {
  'decode, then resolve': (p) => posix.normalize(latin1Decode(p)),
  'drop ;parameters, decode, resolve': (p) => posix.normalize(latin1Decode(p.split('/').map((s) => s.split(';')[0]).join('/'))),
  'decode, drop ;parameters, resolve': (p) => posix.normalize(latin1Decode(p).split('/').map((s) => s.split(';')[0]).join('/')),
  'decode, \\ is /, resolve': (p) => posix.normalize(latin1Decode(p).replaceAll('\\', '/')),
}

function latin1Decode(p: string): string {
  return p.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
}

/** Element-wise PathPrefix (gateway-api.md §2.3), the data plane's rule. */
function underPrefix(prefix: string, path: string): boolean {
  const pre = prefix.split('/').filter((s, i, a) => i > 0 && !(i === a.length - 1 && s === ''))
  const got = path.split('/').filter((s, i, a) => i > 0 && !(i === a.length - 1 && s === ''))
  return pre.every((s, i) => got[i] === s)
}

const piece = fc.constantFrom('public', 'admin', 'a', '.', '..', '', '%2e', '%2E%2e', '.%2e', '%2f', '%2F', '%5c', '\\', ';', '..;', ';x', '%3b', '%3B', '%25', '%252e', '%00', '%', '%zz', '%41', '%c3%a9', '\u00e9', '|', ' ', '#', '?', '~', '@', ':')
const rawPath = fc.array(fc.array(piece, { minLength: 1, maxLength: 3 }).map((xs) => xs.join('')), { maxLength: 6 }).map((segs) => `/${segs.join('/')}`)

test('normalizing is idempotent, and its output has no dot segment, empty segment, encoded slash or lower-case escape', () => {
  fc.assert(
    fc.property(rawPath, (raw) => {
      const r = normalizePath(raw)
      if (!r.ok) return
      assert.deepEqual(normalizePath(r.path), r)
      assert.doesNotMatch(r.path, /\/\/|\/\.\.?(\/|$)|%2F|%5C|%[0-9A-F]?[a-f]|[\\#\s]/)
    }),
    propertyOptions(2000),
  )
})

test('a path matched under a prefix stays under it as every model backend reads it', () => {
  const stats = { accepted: 0, refused: 0, underPrefix: 0 }
  fc.assert(
    fc.property(rawPath, fc.constantFrom('/public', '/public/', '/a/public', '/'), (raw, prefix) => {
      const r = normalizePath(raw)
      if (!r.ok) return void stats.refused++
      stats.accepted++
      if (!underPrefix(prefix, r.path)) return
      stats.underPrefix++
      for (const [name, read] of Object.entries(backends)) assert.ok(underPrefix(prefix, read(r.path)), `${raw} → ${r.path} matches ${prefix}, but a backend that does "${name}" reads ${read(r.path)}`)
    }),
    propertyOptions(3000),
  )
  assert.ok(stats.underPrefix > 100 && stats.refused > 100, JSON.stringify(stats))
})

test('the shortcut for plain paths gives the same answer as the full normalisation', () => {
  const plain = fc.constantFrom('api', 'v1', 'users', '123', 'a-b_c~d', "x!$&'()*+,;=:@", 'A', '')
  const mixed = fc.array(fc.array(fc.oneof(plain, piece), { minLength: 1, maxLength: 3 }).map((xs) => xs.join('')), { maxLength: 6 }).map((segs) => `/${segs.join('/')}`)
  fc.assert(
    fc.property(mixed, (raw) => assert.deepEqual(normalizePath(raw), normalizeFully(raw))),
    propertyOptions(3000),
  )
  for (const raw of ['/', '/api/v1/users/123', '/a/', '//', '/./a', '/a/..', '/.well-known/x', '/%41']) assert.deepEqual(normalizePath(raw), normalizeFully(raw), raw)
})
