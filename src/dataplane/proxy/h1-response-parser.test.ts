import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { ResponseParser, type ResponseHead } from './h1-response-parser.ts'

interface Parsed {
  heads: ResponseHead[]
  body: Buffer
  ended: boolean
  error: string | null
  extra: number
}

/** Feeds `wire` split at `cuts`, then the end of the connection when `eof`. */
function parse(wire: Buffer | string, opts: { method?: string; cuts?: number[]; eof?: boolean; maxHead?: number } = {}): Parsed {
  const buf = typeof wire === 'string' ? Buffer.from(wire, 'latin1') : wire
  const p = new ResponseParser(opts.maxHead)
  const out: Parsed = { heads: [], body: Buffer.alloc(0), ended: false, error: null, extra: 0 }
  const parts: Buffer[] = []
  p.expect(opts.method ?? 'GET', { onHead: (h) => out.heads.push(h), onBody: (c) => parts.push(Buffer.from(c)), onEnd: () => (out.ended = true) })
  let at = 0
  for (const cut of [...(opts.cuts ?? []).filter((c) => c > 0 && c < buf.length).sort((a, b) => a - b), buf.length]) {
    const e = p.execute(buf.subarray(at, cut))
    at = cut
    if (e) {
      out.error = e.message
      break
    }
  }
  if (!out.error && opts.eof) out.error = p.eof()?.message ?? null
  out.body = Buffer.concat(parts)
  out.extra = p.extra
  return out
}

test('Content-Length frames the body; hop-by-hop fields and the fields Connection lists are left out', () => {
  const r = parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: x-private\r\nX-Private: 1\r\nKeep-Alive: timeout=5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-A: 1\r\nX-A: 2\r\n\r\nhello')
  assert.equal(r.error, null)
  assert.equal(r.ended, true)
  assert.equal(r.body.toString(), 'hello')
  assert.deepEqual(r.heads[0], { status: 200, headers: { 'content-length': '5', 'set-cookie': ['a=1', 'b=2'], 'x-a': '1, 2' }, keepAlive: true, raw: null })
})

test('chunked bodies decode across every split point, trailers dropped', () => {
  const wire = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n'
  for (let cut = 1; cut < wire.length; cut++)
    for (const cut2 of [cut + 1, cut + 7]) {
      const r = parse(wire, { cuts: [cut, cut2] })
      assert.equal(r.error, null, `cut at ${cut},${cut2}`)
      assert.equal(r.body.toString(), 'hello 0123456789')
      assert.equal(r.ended, true)
      assert.equal(r.heads[0]!.headers['transfer-encoding'], undefined)
    }
})

test('interim 1xx responses are skipped; HEAD, 204 and 304 have no body', () => {
  const r = parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok')
  assert.equal(r.heads.length, 1)
  assert.equal(r.heads[0]!.status, 201)
  assert.equal(r.body.toString(), 'ok')
  for (const [wire, method] of [['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', 'HEAD'], ['HTTP/1.1 204 No Content\r\n\r\n', 'GET'], ['HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', 'GET']] as const) {
    const h = parse(wire, { method })
    assert.equal(h.ended, true, wire)
    assert.equal(h.body.length, 0)
    assert.equal(h.heads[0]!.keepAlive, true)
  }
})

test('without framing the body runs until the connection closes and the connection is not reused', () => {
  const r = parse('HTTP/1.1 200 OK\r\n\r\nuntil close', { eof: true })
  assert.equal(r.body.toString(), 'until close')
  assert.equal(r.ended, true)
  assert.equal(r.heads[0]!.keepAlive, false)
  assert.equal(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').heads[0]!.keepAlive, false)
  assert.equal(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').heads[0]!.keepAlive, false)
  assert.match(parse('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort', { eof: true }).error!, /middle of the response body/)
})

test('malformed and smuggling-shaped responses are errors', () => {
  const bad: [string, RegExp][] = [
    ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /Content-Length/],
    ['HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\n', /Content-Length/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', /both/],
    ['HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n', /malformed header line/],
    ['HTTP/1.1 200 OK\r\nX-A: 1\nX-B: 2\r\n\r\n', /invalid characters/],
    ['HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n', /invalid header name/],
    ['HTTP/1.1 200 OK\r\nX-A: a\x00b\r\n\r\n', /invalid characters/],
    // OWS is SP / HTAB only (RFC 9110 §5.6.3): a trailing VT is a control character, not whitespace.
    ['HTTP/1.1 200 OK\r\nX-A: a\x0b\r\n\r\n', /invalid characters/],
    ['HTTP/1.1 20 OK\r\n\r\n', /status line/],
    ['HTTP/2 200 OK\r\n\r\n', /status line/],
    ['HTTP/1.1 101 Switching Protocols\r\n\r\n', /101/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', /transfer coding/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /chunk size/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX', /CRLF/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n', /bare LF/],
  ]
  for (const [wire, why] of bad) assert.match(parse(wire).error ?? 'no error', why, JSON.stringify(wire))
  assert.match(parse(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(2000)}\r\n\r\n`, { maxHead: 1024 }).error!, /larger than 1024/)
  assert.match(parse(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(2000)}`, { maxHead: 1024, cuts: [100, 600] }).error!, /larger than 1024/)
  assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab').extra, 1)
  assert.deepEqual(parse('HTTP/1.1 200 OK\r\nX-A: \t a b \t\r\nX-B:\r\nContent-Length: 0\r\n\r\n').heads[0]!.headers, { 'x-a': 'a b', 'x-b': '', 'content-length': '0' })
})

// Property: any response this parser should accept — random status, fields, body and framing,
// delivered in random pieces — comes out with exactly the fields and body that went in.
const token = fc.stringMatching(/^x-[a-z0-9-]{1,12}$/)
const value = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/)
test('round trip: generated responses split anywhere parse to what was sent', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304),
      fc.uniqueArray(fc.tuple(token, value), { selector: (t) => t[0], maxLength: 8 }),
      fc.uint8Array({ maxLength: 3000 }),
      fc.constantFrom('length', 'chunked', 'close'),
      fc.array(fc.integer({ min: 1, max: 4000 }), { maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 5 }),
      (status, fields, bytes, framing, cuts, chunkSizes) => {
        const body = Buffer.from(bytes)
        let head = `HTTP/1.1 ${status} Whatever\r\n${fields.map(([k, v]) => `${k}: ${v}\r\n`).join('')}`
        let payload = body
        if (framing === 'length') head += `Content-Length: ${body.length}\r\n`
        if (framing === 'chunked') {
          head += 'Transfer-Encoding: chunked\r\n'
          const parts: Buffer[] = []
          for (let at = 0, k = 0; at < body.length; k++) {
            const n = Math.min(chunkSizes[k % chunkSizes.length]!, body.length - at)
            parts.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(at, at + n), Buffer.from('\r\n'))
            at += n
          }
          parts.push(Buffer.from('0\r\n\r\n'))
          payload = Buffer.concat(parts)
        }
        const r = parse(Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), payload]), { cuts, eof: framing === 'close' })
        assert.equal(r.error, null)
        assert.equal(r.ended, true)
        assert.equal(r.heads[0]!.status, status)
        assert.deepEqual(r.body, body)
        for (const [k, v] of fields) assert.equal(r.heads[0]!.headers[k], v)
        assert.equal(r.heads[0]!.keepAlive, framing !== 'close')
      },
    ),
    { numRuns: 300 },
  )
})

test('arbitrary bytes never throw: an error, a partial message or a complete one', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom('HTTP/1.1 200 OK\r\n', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', ''), (bytes, prefix) => {
      parse(Buffer.concat([Buffer.from(prefix), Buffer.from(bytes)]), { eof: true, cuts: [3, 17, 40] })
    }),
    { numRuns: 500 },
  )
})

test('raw: the end-to-end lines as the backend wrote them, hop-by-hop lines cut out wherever they are', () => {
  const nginx = parse('HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Sun, 22 Nov 2026 01:20:22 GMT\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok')
  assert.equal(nginx.heads[0]!.raw, 'Server: nginx\r\nDate: Sun, 22 Nov 2026 01:20:22 GMT\r\nContent-Length: 2\r\n')
  const middle = parse('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nX-A: 1\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Last: z\r\n\r\n0\r\n\r\n')
  assert.equal(middle.error, null)
  assert.equal(middle.heads[0]!.raw, 'X-A: 1\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Last: z\r\n')
  // A repeated, equal Content-Length is sent once.
  assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok').heads[0]!.raw, 'Content-Length: 2\r\n')
  // Nothing end-to-end at all.
  assert.equal(parse('HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n').heads[0]!.raw, '')
  // Connection naming another field makes that field hop-by-hop too: no raw block then.
  assert.equal(parse('HTTP/1.1 200 OK\r\nConnection: x-private\r\nX-Private: 1\r\nContent-Length: 0\r\n\r\n').heads[0]!.raw, null)
  assert.equal(parse('HTTP/1.1 200 OK\r\nConnection: close, keep-alive\r\nContent-Length: 0\r\n\r\n').heads[0]!.raw, 'Content-Length: 0\r\n')
})

test('raw: parsed again, it gives the same headers (property)', () => {
  const hop = fc.constantFrom('Connection: keep-alive', 'Keep-Alive: timeout=5', 'Proxy-Connection: keep-alive', 'Upgrade: h2c', 'Trailer: x')
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.tuple(token, value).map(([k, v]) => `${k}: ${v}`), fc.tuple(token, value).map(([k, v]) => `Set-Cookie: ${k}=${v}`), hop), { maxLength: 10 }), (lines) => {
      const r = parse(`HTTP/1.1 200 OK\r\n${lines.map((l) => `${l}\r\n`).join('')}Content-Length: 0\r\n\r\n`)
      assert.equal(r.error, null)
      const head = r.heads[0]!
      assert.notEqual(head.raw, null)
      const again = parse(`HTTP/1.1 200 OK\r\n${head.raw}\r\n`)
      assert.equal(again.error, null)
      assert.deepEqual(again.heads[0]!.headers, head.headers)
      assert.doesNotMatch(head.raw!, /^(connection|keep-alive|proxy-connection|upgrade|trailer):/im)
    }),
    { numRuns: 300 },
  )
})
