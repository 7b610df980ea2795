import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { test } from 'node:test'
import fc from 'fast-check'
import { RequestParser, type RequestHead, type RequestLimits } from './h1-request-parser.ts'

const LIMITS: RequestLimits = { maxHeaderBytes: 16 * 1024, maxBodyBytes: 1 << 20 }

interface Parsed {
  heads: RequestHead[]
  bodies: Buffer[]
  ended: number
  refusal: { status: number; reason: string } | null
  /** Where parsing stopped in the whole input (after an Upgrade head: where the new protocol starts). */
  stoppedAt: number
}

/** Feeds `wire` split at `cuts`, re-calling `execute` after each message as a server would. */
function parse(wire: Buffer | string, opts: { cuts?: number[]; limits?: Partial<RequestLimits> } = {}): Parsed {
  const buf = typeof wire === 'string' ? Buffer.from(wire, 'latin1') : wire
  const out: Parsed = { heads: [], bodies: [], ended: 0, refusal: null, stoppedAt: 0 }
  let body: Buffer[] = []
  const p = new RequestParser({ ...LIMITS, ...opts.limits }, {
    onHead: (h) => {
      out.heads.push(h)
      body = []
    },
    onBody: (c) => body.push(Buffer.from(c)),
    onEnd: () => {
      out.ended++
      out.bodies.push(Buffer.concat(body))
    },
  })
  let at = 0
  for (const cut of [...(opts.cuts ?? []).filter((c) => c > 0 && c < buf.length).sort((a, b) => a - b), buf.length]) {
    const piece = buf.subarray(at, cut)
    let i = 0
    while (i < piece.length) {
      const r = p.execute(piece, i)
      if (typeof r !== 'number') {
        out.refusal = r
        return out
      }
      i = r
      if (out.heads.at(-1)?.upgrade && out.heads.length > out.ended) {
        out.stoppedAt = at + i
        return out
      }
    }
    at = cut
  }
  out.stoppedAt = at
  return out
}

function refusedWith(wire: string, status: number, limits?: Partial<RequestLimits>): void {
  const r = parse(wire, { limits })
  assert.equal(r.refusal?.status, status, `${JSON.stringify(wire.slice(0, 120))} → ${JSON.stringify(r.refusal)} (heads ${r.heads.length})`)
}

test('a simple request: method, target, version, headers as node shows them, keep-alive', () => {
  const r = parse('GET /a?b=1 HTTP/1.1\r\nHost: a.test\r\nX-A: 1\r\nx-a: 2\r\nCookie: c=1\r\nCookie: d=2\r\nSet-Cookie: s=1\r\nSet-Cookie: s=2\r\nUser-Agent: one\r\nUser-Agent: two\r\nX-Pad:  \t padded\t \r\n\r\n')
  assert.equal(r.refusal, null)
  assert.equal(r.ended, 1)
  const h = r.heads[0]!
  assert.equal(h.method, 'GET')
  assert.equal(h.url, '/a?b=1')
  assert.equal(h.httpVersion, '1.1')
  assert.equal(h.keepAlive, true)
  assert.equal(h.hasBody, false)
  assert.deepEqual({ ...h.headers }, { host: 'a.test', 'x-a': '1, 2', cookie: 'c=1; d=2', 'set-cookie': ['s=1', 's=2'], 'user-agent': 'one', 'x-pad': 'padded' })
})

test('keep-alive follows RFC 9112 §9.3: HTTP/1.0 only when asked, close wins', () => {
  const ka = (w: string) => parse(w).heads[0]!.keepAlive
  assert.equal(ka('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'), false)
  assert.equal(ka('GET / HTTP/1.0\r\n\r\n'), false)
  assert.equal(ka('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n'), true)
  assert.equal(ka('GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n'), false)
  assert.equal(ka('GET / HTTP/1.1\r\nHost: a\r\nConnection: x-private, Close\r\n\r\n'), false)
})

test('Content-Length and chunked bodies arrive whole at every split point, and the next pipelined request after them', () => {
  const wires = [
    'POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello worldGET /next HTTP/1.1\r\nHost: a\r\n\r\n',
    'POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1;q="a b"\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n',
    '\r\nPOST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\nB\r\nhello world\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n',
  ]
  for (const wire of wires)
    for (let cut = 1; cut < wire.length; cut++)
      for (const cut2 of [cut + 1, cut + 9]) {
        const r = parse(wire, { cuts: [cut, cut2] })
        assert.equal(r.refusal, null, `cut at ${cut},${cut2}: ${JSON.stringify(r.refusal)}`)
        assert.equal(r.ended, 2, `cut at ${cut},${cut2}`)
        assert.equal(r.bodies[0]!.toString(), 'hello world')
        assert.equal(r.heads[1]!.url, '/next')
      }
})

test('a 12 KiB head delivered one byte at a time parses whole', () => {
  const wire = `GET /t HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(12 * 1024)}\r\n\r\n`
  const r = parse(wire, { cuts: Array.from({ length: wire.length }, (_, k) => k) })
  assert.equal(r.refusal, null)
  assert.equal(r.heads[0]!.headers['x-big']!.length, 12 * 1024)
})

test('an Upgrade or CONNECT head stops the parser where the new protocol begins', () => {
  const wire = 'GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x05hello'
  const r = parse(wire)
  assert.equal(r.heads[0]!.upgrade, true)
  assert.equal(r.stoppedAt, wire.indexOf('\x81'))
  assert.equal(parse('GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n').heads[0]!.upgrade, false, 'no Upgrade field: not an upgrade')
  assert.equal(parse('CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n').heads[0]!.upgrade, true)
})

test('Expect: 100-continue is met on HTTP/1.1; another expectation fails (417); HTTP/1.0 ignores Expect', () => {
  const h = (w: string) => parse(w).heads[0]!
  assert.equal(h('POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx').expectContinue, true)
  assert.equal(h('GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n').expectFailed, true)
  assert.equal(h('GET / HTTP/1.0\r\nExpect: teapot\r\n\r\n').expectFailed, false)
})

test('absolute-form, asterisk-form and authority-form targets are accepted only where RFC 9112 §3.2 allows them', () => {
  assert.equal(parse('GET http://a.test/x?y HTTP/1.1\r\nHost: a.test\r\n\r\n').heads[0]!.url, 'http://a.test/x?y')
  assert.equal(parse('OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n').heads[0]!.url, '*')
  refusedWith('GET * HTTP/1.1\r\nHost: a\r\n\r\n', 400)
  refusedWith('CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n', 400)
  refusedWith('GET a.test:80 HTTP/1.1\r\nHost: a\r\n\r\n', 400)
})

const refusals: [string, string, number][] = [
  ['Content-Length with Transfer-Encoding (RFC 9112 §6.1)', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  ['two Content-Lengths that differ (§6.3)', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', 400],
  ['two equal Content-Lengths (refused, as llhttp does)', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc', 400],
  ['a Content-Length list', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc', 400],
  ['a Content-Length that is not a number', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3x\r\n\r\nabc', 400],
  ['a signed Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc', 400],
  ['a final coding other than chunked (§6.1: 400)', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', 400],
  ['a Transfer-Encoding that is only gzip', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n', 400],
  ['an unsupported coding before chunked (§6.1: 501)', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n', 501],
  ['chunked twice', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  ['Transfer-Encoding in HTTP/1.0', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  ['obs-fold (§5.2)', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\r\n b\r\n\r\n', 400],
  ['a folded Transfer-Encoding', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n', 400],
  ['bare LF line endings (§2.2)', 'GET / HTTP/1.1\nHost: a\n\n', 400],
  ['a bare LF in one header line', 'GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n', 400],
  ['a bare CR in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\rb\r\n\r\n', 400],
  ['NUL in a value (RFC 9110 §5.5)', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\x00b\r\n\r\n', 400],
  ['a control character in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\x01b\r\n\r\n', 400],
  ['DEL in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\x7fb\r\n\r\n', 400],
  ['a space before the colon (§5.1)', 'GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n', 400],
  ['a space inside a header name', 'GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n', 400],
  ['an empty header name', 'GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n', 400],
  ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: a\r\nX-A\r\n\r\n', 400],
  ['HTTP/1.1 without Host (§3.2)', 'GET / HTTP/1.1\r\nX-A: b\r\n\r\n', 400],
  ['two Host fields', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400],
  ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n', 400],
  ['a control character in the target', 'GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n', 400],
  ['a non-ASCII byte in the target', 'GET /caf\xe9 HTTP/1.1\r\nHost: a\r\n\r\n', 400],
  ['two spaces after the method', 'GET  / HTTP/1.1\r\nHost: a\r\n\r\n', 400],
  ['a method that is not a token', 'G(T / HTTP/1.1\r\nHost: a\r\n\r\n', 400],
  ['a method node does not know (llhttp refuses it too)', 'BREW / HTTP/1.1\r\nHost: a\r\n\r\n', 400],
  ['a lower-case method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n', 400],
  ['whitespace before a chunk extension', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 ;a\r\nabc\r\n0\r\n\r\n', 400],
  ['a lower-case version', 'GET / http/1.1\r\nHost: a\r\n\r\n', 400],
  ['HTTP/0.9-style request line', 'GET /\r\n\r\n', 400],
  ['HTTP/2.0 in a request line (505)', 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', 505],
  ['HTTP/1.2 (505)', 'GET / HTTP/1.2\r\nHost: a\r\n\r\n', 505],
  ['a malformed chunk size', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
  ['a negative chunk size', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n', 400],
  ['a chunk size with 17 hex digits', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000001\r\n', 400],
  ['chunk data not followed by CRLF', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n', 400],
  ['a bare LF after a chunk size', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n', 400],
  ['a malformed chunk extension', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;=x\r\nabc\r\n0\r\n\r\n', 400],
  ['a malformed trailer', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n', 400],
]

for (const [name, wire, status] of refusals) test(`refused with ${status}: ${name}`, () => refusedWith(wire, status))

test('a request head past maxHeaderBytes answers 431, found as soon as the bytes arrive', () => {
  const head = `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(300)}\r\n\r\n`
  refusedWith(head, 431, { maxHeaderBytes: 256 })
  assert.equal(parse(head, { limits: { maxHeaderBytes: head.length } }).refusal, null, 'exactly the limit is served')
  refusedWith(head, 431, { maxHeaderBytes: head.length - 1 })
  refusedWith(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(300)}`, 431, { maxHeaderBytes: 256 })
})

test('a body past maxBodyBytes answers 413: a declared length at once, a chunked body as its chunks are announced', () => {
  refusedWith('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n', 413, { maxBodyBytes: 10 })
  assert.equal(parse('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789', { limits: { maxBodyBytes: 10 } }).ended, 1)
  const chunked = 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n67890\r\n0\r\n\r\n'
  const r = parse(chunked, { limits: { maxBodyBytes: 10 } })
  assert.equal(r.refusal?.status, 413)
  assert.equal(r.heads.length, 1, 'the head was delivered before the body grew past the limit')
  assert.equal(parse(chunked, { limits: { maxBodyBytes: 11 } }).ended, 1)
  refusedWith('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n', 413)
})

test('chunk extensions and trailers are bounded', () => {
  refusedWith(`POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a=${'b'.repeat(20_000)}\r\nx\r\n0\r\n\r\n`, 413)
  const many = Array.from({ length: 100 }, () => `1;a=${'b'.repeat(200)}\r\nx\r\n`).join('')
  refusedWith(`POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${many}0\r\n\r\n`, 413)
  refusedWith(`POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: ${'t'.repeat(300)}\r\n\r\n`, 431, { maxHeaderBytes: 256 })
})

test('arbitrary bytes never throw, and an answer does not depend on how the bytes are split', () => {
  const piece = fc.oneof(
    fc.constantFrom('GET / HTTP/1.1\r\n', 'POST /x HTTP/1.1\r\n', 'Host: a\r\n', 'Content-Length: 3\r\n', 'Transfer-Encoding: chunked\r\n', '\r\n', '\n', '\r', ' ', ':', '0\r\n', '3\r\nabc\r\n', 'HTTP/1.0', ';x=y', '\x00', '\xff'),
    fc.string({ maxLength: 12 }),
  )
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(400), { maxLength: 4 }), (pieces, cuts) => {
      const wire = Buffer.from(pieces.join(''), 'latin1')
      const whole = parse(wire)
      const split = parse(wire, { cuts })
      assert.deepEqual(summary(split), summary(whole))
    }),
    { seed: Number(process.env.FC_SEED ?? 11), numRuns: Number(process.env.FC_RUNS ?? 1500) },
  )
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      parse(Buffer.from(bytes))
    }),
    { seed: Number(process.env.FC_SEED ?? 12), numRuns: Number(process.env.FC_RUNS ?? 1500) },
  )
})

function summary(p: Parsed): unknown {
  return { heads: p.heads.map((h) => ({ ...h, headers: { ...h.headers } })), bodies: p.bodies.map((b) => b.toString('latin1')), refusal: p.refusal?.status ?? null }
}

/** Our answer for the first request of `wire`, in the reference's terms. */
function ours(wire: Buffer): Outcome {
  const r = parse(wire)
  const h = r.heads[0]
  if (h === undefined || (r.ended === 0 && !h.upgrade)) return { kind: 'refused' }
  return { kind: 'accepted', method: h.method, url: h.url, httpVersion: h.httpVersion, headers: { ...h.headers }, body: h.upgrade ? '' : r.bodies[0]!.toString('latin1'), upgrade: h.upgrade }
}

test('differential: on generated requests, node (llhttp) and this parser accept the same ones with the same fields and body, or both refuse', { timeout: 120_000 }, async () => {
  const ref = await llhttpReference(LIMITS.maxHeaderBytes)
  try {
    const disagreements: string[] = []
    await fc.assert(
      fc.asyncProperty(requestBytes(), async (wire) => {
        const theirs = await ref.parse(wire)
        const mine = ours(wire)
        if (stricterOnPurpose(wire) && theirs.kind === 'accepted' && mine.kind === 'refused') return
        try {
          assert.deepEqual(mine, theirs)
        } catch {
          disagreements.push(`${JSON.stringify(wire.toString('latin1'))}\n  node: ${JSON.stringify(theirs)}\n  ours: ${JSON.stringify(mine)}`)
        }
      }),
      { seed: Number(process.env.FC_SEED ?? 13), numRuns: Number(process.env.FC_RUNS ?? 400) },
    )
    assert.equal(disagreements.length, 0, disagreements.slice(0, 12).join('\n'))
  } finally {
    await ref.close()
  }
})

/**
 * Where this parser refuses on purpose what llhttp (as node runs it) accepts; each is listed in
 * docs/reliability.md (hostile HTTP) with its reason.
 */
function stricterOnPurpose(wire: Buffer): boolean {
  const text = wire.toString('latin1')
  const head = text.slice(0, Math.max(0, text.indexOf('\r\n\r\n')))
  const line = head.slice(0, head.indexOf('\r\n'))
  const target = line.split(' ')[1] ?? ''
  return (
    // obs-text (bytes 0x80–0xff) in the request target: RFC 3986 has no room for them.
    /[\x80-\xff]/.test(target) ||
    // Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1: the framing is faulty).
    (/ HTTP\/1\.0$/.test(line) && /\r\ntransfer-encoding:/i.test(head)) ||
    // More than one Host (RFC 9112 §3.2: a server must answer 400); node keeps the first.
    (head.match(/\r\nhost:/gi)?.length ?? 0) > 1 ||
    // A version other than HTTP/1.0 or HTTP/1.1 (llhttp reads `HTTP/2.0` as text HTTP; it is not): 505.
    !/ HTTP\/1\.[01]$/.test(line) ||
    // More than one SP between the parts of the request line (RFC 9112 §3: exactly one).
    line.includes('  ') ||
    // asterisk-form for a method other than OPTIONS (RFC 9112 §3.2.4).
    (target === '*' && !line.startsWith('OPTIONS '))
  )
}

/** Requests shaped like real ones, with the mutations smuggling and sloppy clients bring. */
function requestBytes(): fc.Arbitrary<Buffer> {
  const method = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH') }, { weight: 1, arbitrary: fc.constantFrom('get', 'G T', 'GE\x01T', '', 'PROPFIND', 'PURGE', 'QUERY', 'FOO', 'TRACE') })
  const targetChar = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...'abcxyz019/-._~%?=&;:@!$+,'.split('')) }, { weight: 1, arbitrary: fc.constantFrom(' ', '\t', '\x01', '\x7f', '\x80', '\xe9', '#', '|', '"', '{', '\\', '^') })
  const target = fc.oneof({ weight: 8, arbitrary: fc.array(targetChar, { maxLength: 16 }).map((c) => `/${c.join('')}`) }, { weight: 1, arbitrary: fc.constantFrom('*', 'http://a.test/x', 'a.test:80', '') })
  const version = fc.oneof({ weight: 10, arbitrary: fc.constant('HTTP/1.1') }, { weight: 2, arbitrary: fc.constant('HTTP/1.0') }, { weight: 1, arbitrary: fc.constantFrom('HTTP/2.0', 'HTTP/1.2', 'http/1.1', 'HTTP/1.1 ', 'HTTP/11') })
  const name = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('Host', 'host', 'X-A', 'x-a', 'Cookie', 'Set-Cookie', 'User-Agent', 'Accept', 'Content-Type', 'Connection', 'Upgrade', 'X-Forwarded-For', 'Authorization', 'TE') }, { weight: 1, arbitrary: fc.constantFrom('X A', 'X-A ', ' X-A', 'X\x01', '', 'X\xe9', 'X"A', 'X(A)') })
  const valueChar = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...'abcXYZ019 -,;=/"'.split('')) }, { weight: 1, arbitrary: fc.constantFrom('\t', '\x00', '\x01', '\x7f', '\x80', '\xff', '\r', '\n', '\x0b') })
  const value = fc.tuple(fc.constantFrom('', ' ', '  ', '\t'), fc.array(valueChar, { maxLength: 12 }), fc.constantFrom('', ' ', '\t ')).map(([a, v, b]) => a + v.join('') + b)
  const field = fc.tuple(name, value).map(([n, v]) => `${n}:${v}`)
  const eol = fc.oneof({ weight: 30, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\r\n ', '\r\n\t', ' \r\n') })
  const body = fc.string({ maxLength: 20 })
  const framing = fc.oneof(
    { weight: 4, arbitrary: fc.constant('none' as const) },
    { weight: 4, arbitrary: fc.constant('length' as const) },
    { weight: 3, arbitrary: fc.constant('chunked' as const) },
    { weight: 1, arbitrary: fc.constantFrom('both' as const, 'wrong-length' as const, 'two-lengths' as const, 'te-gzip' as const, 'bad-chunk' as const) },
  )
  return fc
    .record({ method, target, version, fields: fc.array(fc.tuple(field, eol), { maxLength: 6 }), host: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), framing, body, chunkSplit: fc.nat(20), ext: fc.constantFrom('', ';a=b', ' ;a', ';a="x y"', ';', ' ') })
    .map((r) => {
      const lines = [`${r.method} ${r.target} ${r.version}\r\n`]
      if (r.host) lines.push('Host: a.test\r\n')
      for (const [f, e] of r.fields) lines.push(f + e)
      const b = r.body
      let tail = ''
      switch (r.framing) {
        case 'length':
          lines.push(`Content-Length: ${Buffer.byteLength(b, 'latin1')}\r\n`)
          tail = b
          break
        case 'wrong-length':
          lines.push(`Content-Length: ${b.length + 3}\r\n`)
          tail = b
          break
        case 'two-lengths':
          lines.push(`Content-Length: ${b.length}\r\nContent-Length: ${b.length + 1}\r\n`)
          tail = b
          break
        case 'chunked':
        case 'bad-chunk': {
          lines.push('Transfer-Encoding: chunked\r\n')
          const k = Math.min(r.chunkSplit, b.length)
          const parts = [b.slice(0, k), b.slice(k)].filter((p) => p.length > 0)
          tail = parts.map((p) => `${p.length.toString(16)}${r.ext}\r\n${p}\r\n`).join('') + '0\r\n\r\n'
          if (r.framing === 'bad-chunk') tail = tail.replace('\r\n', '\n')
          break
        }
        case 'both':
          lines.push(`Content-Length: ${b.length}\r\nTransfer-Encoding: chunked\r\n`)
          tail = `${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`
          break
        case 'te-gzip':
          lines.push('Transfer-Encoding: gzip\r\n')
          tail = b
          break
        case 'none':
          break
      }
      return Buffer.from(`${lines.join('')}\r\n${tail}`, 'latin1')
    })
}

type Outcome = { kind: 'refused' } | { kind: 'accepted'; method: string; url: string; httpVersion: string; headers: Record<string, unknown>; body: string; upgrade: boolean }

/**
 * node's own HTTP/1.1 server (llhttp, strict mode, as node runs it by default) as the reference:
 * each input goes over a fresh loopback connection, then the client half-closes; the outcome is
 * the first request node delivered whole (head and body), or `refused` if it delivered none
 * (a parse error, or input that ended before a request did).
 */
async function llhttpReference(maxHeaderSize: number): Promise<{ parse(wire: Buffer): Promise<Outcome>; close(): Promise<void> }> {
  let current: { outcome: Outcome | null; done: () => void } | null = null
  const server = http.createServer({ maxHeaderSize, keepAliveTimeout: 1000 }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (current !== null && current.outcome === null) current.outcome = { kind: 'accepted', method: req.method!, url: req.url!, httpVersion: req.httpVersion, headers: { ...req.headers }, body: Buffer.concat(chunks).toString('latin1'), upgrade: false }
      res.end()
    })
  })
  const onUpgrade = (req: http.IncomingMessage, socket: net.Socket) => {
    if (current !== null && current.outcome === null) current.outcome = { kind: 'accepted', method: req.method!, url: req.url!, httpVersion: req.httpVersion, headers: { ...req.headers }, body: '', upgrade: true }
    socket.destroy()
  }
  server.on('upgrade', onUpgrade)
  server.on('connect', onUpgrade)
  server.on('clientError', (_e, socket: net.Socket) => socket.destroy())
  server.on('connection', (socket: net.Socket) => socket.once('close', () => current?.done()))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as net.AddressInfo).port
  return {
    parse: (wire) =>
      new Promise<Outcome>((resolve) => {
        const state: { outcome: Outcome | null; done: () => void } = {
          outcome: null,
          done: () => {
            current = null
            resolve(state.outcome ?? { kind: 'refused' })
          },
        }
        current = state
        const c = net.connect({ host: '127.0.0.1', port }, () => c.end(wire))
        c.on('data', () => {})
        c.on('error', () => {})
        c.on('end', () => c.destroy())
      }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

test('raw: the head through its last field line, only when it may be forwarded as it came', () => {
  const raw = (wire: string) => parse(wire).heads[0]!.raw
  // Leading empty lines are not part of it; the client's case and spacing are.
  assert.equal(raw('\r\nGET /a HTTP/1.1\r\nHost: h\r\nX-A:  1 \r\n\r\n'), 'GET /a HTTP/1.1\r\nHost: h\r\nX-A:  1 \r\n')
  // The same at every split point (a head grown over several reads).
  const wire = 'POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok'
  for (let cut = 1; cut < wire.length; cut++) assert.equal(parse(wire, { cuts: [cut] }).heads[0]!.raw, 'POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n', `cut at ${cut}`)
  for (const [why, w] of [
    ['HTTP/1.0', 'GET / HTTP/1.0\r\nHost: h\r\n\r\n'],
    ['Connection', 'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'],
    ['Keep-Alive', 'GET / HTTP/1.1\r\nHost: h\r\nKeep-Alive: 5\r\n\r\n'],
    ['TE', 'GET / HTTP/1.1\r\nHost: h\r\nTE: trailers\r\n\r\n'],
    ['chunked', 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['Proxy-Authorization', 'GET / HTTP/1.1\r\nHost: h\r\nProxy-Authorization: x\r\n\r\n'],
    ['X-Forwarded-For', 'GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n'],
    ['X-Forwarded-Host', 'GET / HTTP/1.1\r\nHost: h\r\nx-forwarded-host: o\r\n\r\n'],
    ['Forwarded', 'GET / HTTP/1.1\r\nHost: h\r\nForwarded: for=1.2.3.4\r\n\r\n'],
    ['a field twice', 'GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\naccept: b\r\n\r\n'],
    ['a first-wins field twice', 'GET / HTTP/1.1\r\nHost: h\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n'],
    ['a field named like an Object property', 'GET / HTTP/1.1\r\nHost: h\r\nconstructor: x\r\n\r\n'],
  ] as const) assert.equal(raw(w), null, why)
})
