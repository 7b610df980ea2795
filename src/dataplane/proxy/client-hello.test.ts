import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { nodeClientHellos } from '../../../test/tls-client-hello.ts'
import { MAX_HANDSHAKE_BYTES, MAX_RECORDS, readClientHello } from './client-hello.ts'

// --- builders: the wire format, written independently of the parser (RFC 8446 §4.1.2, §5.1) ---
const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff]
const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]
const vec16 = (b: readonly number[]) => [...u16(b.length), ...b]
const ascii = (s: string) => [...Buffer.from(s, 'latin1')]
const ext = (type: number, data: readonly number[]) => [...u16(type), ...vec16(data)]
const sniExt = (...names: string[]) => ext(0, vec16(names.flatMap((n) => [0, ...vec16(ascii(n))])))
const alpnExt = (...protos: string[]) => ext(16, vec16(protos.flatMap((p) => [p.length, ...ascii(p)])))

interface HelloParts {
  readonly extensions?: readonly number[] | null
  readonly sessionId?: number
  readonly type?: number
}

/** A handshake message: type, 24-bit length, ClientHello body. `extensions: null` omits the block. */
function hello(p: HelloParts = {}): Buffer {
  const body = [
    ...u16(0x0303),
    ...new Array<number>(32).fill(7),
    p.sessionId ?? 32,
    ...new Array<number>(p.sessionId ?? 32).fill(1),
    ...vec16([0x13, 0x01, 0x13, 0x02]),
    1,
    0,
    ...(p.extensions === null ? [] : vec16(p.extensions ?? [...sniExt('Example.COM'), ...alpnExt('h2', 'http/1.1')])),
  ]
  return Buffer.from([p.type ?? 1, ...u24(body.length), ...body])
}

/** Splits a handshake message into TLS records whose fragments have the given sizes (cycled). */
function records(message: Buffer, sizes: readonly number[] = [message.length]): Buffer {
  const out: Buffer[] = []
  for (let at = 0, i = 0; at < message.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, message.length - at)
    out.push(Buffer.from([22, 3, 1, ...u16(n)]), message.subarray(at, at + n))
    at += n
  }
  return Buffer.concat(out)
}

const kind = (b: Uint8Array) => readClientHello(b).kind

// --- table tests ---
test('a ClientHello in one record yields its SNI, lower-cased, and its ALPN list in order', () => {
  assert.deepEqual(readClientHello(records(hello())), { kind: 'ok', sni: 'example.com', alpn: ['h2', 'http/1.1'] })
})

test('a ClientHello without server_name and ALPN yields a null SNI and no protocols', () => {
  assert.deepEqual(readClientHello(records(hello({ extensions: ext(43, [2, 3, 4]) }))), { kind: 'ok', sni: null, alpn: [] })
})

test('an old ClientHello without any extensions block is read, with no SNI', () => {
  assert.deepEqual(readClientHello(records(hello({ extensions: null }))), { kind: 'ok', sni: null, alpn: [] })
})

test('a ClientHello split across three records is reassembled', () => {
  const m = hello()
  assert.deepEqual(readClientHello(records(m, [3, 40, m.length])), { kind: 'ok', sni: 'example.com', alpn: ['h2', 'http/1.1'] })
})

test('every strict prefix of a valid, split ClientHello asks for more bytes', () => {
  const wire = records(hello(), [1, 2, 50])
  for (let n = 0; n < wire.length; n++) assert.equal(kind(wire.subarray(0, n)), 'need-more', `prefix of ${n} bytes`)
  assert.equal(kind(wire), 'ok')
})

test('bytes after a complete ClientHello do not change the answer', () => {
  const wire = Buffer.concat([records(hello()), Buffer.from([20, 3, 3, 0, 1, 1, 23, 3, 3])])
  assert.equal(readClientHello(wire).kind, 'ok')
})

test('plain-text protocols and SSLv2-style hellos are not TLS, from their first byte', () => {
  assert.equal(kind(Buffer.from('GET / HTTP/1.1\r\n')), 'not-tls')
  assert.equal(kind(Buffer.from('PRI * HTTP/2.0\r\n')), 'not-tls')
  assert.equal(kind(Buffer.from([0x80, 0x2e, 0x01])), 'not-tls')
})

test('a first byte of 22 followed by a version that is not 3.x is not TLS', () => {
  assert.equal(kind(Buffer.from([22, 9])), 'not-tls')
  assert.equal(kind(Buffer.from([22, 3, 9])), 'not-tls')
})

test('a handshake message other than ClientHello is malformed as soon as its type arrives', () => {
  assert.equal(kind(records(hello({ type: 2 })).subarray(0, 6)), 'malformed')
})

test('an alert record between two fragments of a ClientHello is malformed', () => {
  const m = hello()
  const wire = Buffer.concat([records(m.subarray(0, 10)), Buffer.from([21, 3, 3, 0, 2, 2, 40]), records(m.subarray(10))])
  assert.equal(kind(wire), 'malformed')
})

test('a zero-length handshake record is malformed (RFC 8446 §5.1)', () => {
  assert.equal(kind(Buffer.from([22, 3, 1, 0, 0])), 'malformed')
})

test('a record longer than 2^14 bytes is malformed from its header alone', () => {
  assert.equal(kind(Buffer.from([22, 3, 1, ...u16(16385)])), 'malformed')
})

test('a ClientHello larger than the 16 KiB limit is refused from its handshake header alone', () => {
  assert.equal(kind(Buffer.from([22, 3, 1, 0, 4, 1, ...u24(MAX_HANDSHAKE_BYTES)])), 'malformed')
  assert.equal(kind(Buffer.from([22, 3, 1, 0, 4, 1, ...u24(MAX_HANDSHAKE_BYTES - 4)])), 'need-more')
})

test('a ClientHello spread over more records than the limit is malformed', () => {
  const m = hello({ extensions: ext(21, new Array<number>(100).fill(0)) })
  assert.equal(kind(records(m, [1])), 'malformed')
  assert.equal(kind(records(m, [Math.ceil(m.length / MAX_RECORDS)])), 'ok')
})

test('two host_name entries in server_name are malformed (RFC 6066 §3)', () => {
  assert.equal(kind(records(hello({ extensions: sniExt('a.example', 'b.example') }))), 'malformed')
})

test('a host_name with a trailing dot, a space, an empty label or a non-ASCII byte is malformed', () => {
  for (const name of ['example.com.', 'exa mple.com', 'a..b', '\u00e9t\u00e9.fr']) assert.equal(kind(records(hello({ extensions: sniExt(name) }))), 'malformed', name)
})

test('a server_name entry of a type other than host_name is malformed', () => {
  assert.equal(kind(records(hello({ extensions: ext(0, vec16([1, ...vec16(ascii('x'))])) }))), 'malformed')
})

test('an extension that appears twice is malformed (RFC 8446 §4.2)', () => {
  assert.equal(kind(records(hello({ extensions: [...alpnExt('h2'), ...alpnExt('h2')] }))), 'malformed')
})

test('extension types are told apart across the whole 16-bit range, and forgotten between ClientHellos', () => {
  // 1 and 33, 31 and 63 share a bit position in different words; 65535 is the last type.
  const distinct = [1, 33, 31, 63, 32, 65535].flatMap((t) => ext(t, []))
  assert.deepEqual(readClientHello(records(hello({ extensions: [...distinct, ...sniExt('a.example')] }))), { kind: 'ok', sni: 'a.example', alpn: [] })
  assert.deepEqual(readClientHello(records(hello({ extensions: [...distinct, ...sniExt('b.example')] }))), { kind: 'ok', sni: 'b.example', alpn: [] })
  for (const t of [33, 65535]) assert.equal(kind(records(hello({ extensions: [...distinct, ...ext(t, [])] }))), 'malformed', String(t))
})

test('an empty ALPN protocol name is malformed (RFC 7301 §3.1)', () => {
  assert.equal(kind(records(hello({ extensions: ext(16, vec16([0])) }))), 'malformed')
})

test('an extension whose length runs past the extensions block is malformed', () => {
  assert.equal(kind(records(hello({ extensions: [...u16(0), ...u16(50), 0, 1] }))), 'malformed')
})

test('a session id longer than 32 bytes is malformed', () => {
  assert.equal(kind(records(hello({ sessionId: 33 }))), 'malformed')
})

test('the ClientHello of node’s own TLS client is read, SNI and ALPN included', async () => {
  const [hello] = await nodeClientHellos([{ servername: 'Real.Client.test', ALPNProtocols: ['h2', 'http/1.1'] }])
  assert.deepEqual(readClientHello(hello!), { kind: 'ok', sni: 'real.client.test', alpn: ['h2', 'http/1.1'] })
})

// --- properties ---
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/)
const hostname = fc.array(label, { minLength: 1, maxLength: 5 }).map((l) => l.join('.'))
const protocol = fc.stringMatching(/^[!-~]{1,12}$/)

test('any ClientHello, in any records and any TCP segments, yields its SNI and ALPN once complete and need-more before', () => {
  fc.assert(
    fc.property(
      fc.option(hostname, { nil: null }),
      fc.array(protocol, { maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
      fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 6 }),
      (sni, alpn, padding, recordSizes, segmentSizes) => {
        const extensions = [...padding.flatMap((n, i) => ext(100 + i, new Array<number>(n).fill(0))), ...(sni === null ? [] : sniExt(sni)), ...(alpn.length > 0 ? alpnExt(...alpn) : [])]
        const m = hello({ extensions })
        const wire = records(m, recordSizes)
        // A real record count above the limit is refused on purpose; keep to what a client may send.
        fc.pre(Math.ceil(m.length / Math.min(...recordSizes)) <= MAX_RECORDS)
        let at = 0
        for (let i = 0; at < wire.length; i++) {
          assert.equal(kind(wire.subarray(0, at)), 'need-more')
          at = Math.min(wire.length, at + segmentSizes[i % segmentSizes.length]!)
        }
        assert.deepEqual(readClientHello(wire), { kind: 'ok', sni, alpn })
      },
    ),
    { numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261121) },
  )
})

test('on any bytes the reader never throws, and a final answer never changes as more bytes arrive', () => {
  // Biased towards TLS-looking input so the deeper branches are reached, not just `not-tls`.
  const tlsish = fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.boolean()).map(([b, real]) => (real ? Buffer.concat([records(hello()).subarray(0, b.length % 120), b]) : Buffer.concat([Buffer.from([22, 3, 1]), b])))
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), tlsish), fc.integer({ min: 0, max: 300 }), (bytes, cut) => {
      const first = readClientHello(bytes.subarray(0, cut))
      const all = readClientHello(bytes)
      if (first.kind !== 'need-more') assert.deepEqual(all, first)
    }),
    { numRuns: 2000, seed: Number(process.env.FC_SEED ?? 20261121) },
  )
})

test('real ClientHellos from node’s TLS client, mutated and split at random points: never a throw, and the split answer equals the whole one', async () => {
  const real = await nodeClientHellos([
    { servername: 'a.example.com', ALPNProtocols: ['h2', 'http/1.1'] },
    { servername: 'x.test' },
    { ALPNProtocols: ['http/1.1'] },
    { servername: 'long-' + 'a'.repeat(50) + '.example.org', maxVersion: 'TLSv1.2', ALPNProtocols: ['acme-tls/1'] },
  ])
  // The originals parse as they were sent.
  assert.deepEqual(readClientHello(real[0]!), { kind: 'ok', sni: 'a.example.com', alpn: ['h2', 'http/1.1'] })
  assert.deepEqual(readClientHello(real[2]!), { kind: 'ok', sni: null, alpn: ['http/1.1'] })
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x16, 0x2e, 0x7f, 0x80, 0xff) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  )
  type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never
  const apply = (b: Buffer, m: Mutation): Buffer => {
    const at = m.at % (b.length + 1)
    switch (m.kind) {
      case 'flip':
      case 'set': {
        if (b.length === 0) return b
        const out = Buffer.from(b)
        const i = m.at % b.length
        out[i] = m.kind === 'flip' ? out[i]! ^ m.xor : m.value
        return out
      }
      case 'insert':
        return Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)])
      case 'delete':
        return Buffer.concat([b.subarray(0, at), b.subarray(at + m.n)])
      case 'truncate':
        return b.subarray(0, at)
    }
  }
  fc.assert(
    fc.property(fc.nat({ max: real.length - 1 }), fc.array(mutation, { maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 8 }), (which, mutations, cuts) => {
      const bytes = mutations.reduce(apply, real[which]!)
      const whole = readClientHello(bytes)
      // As a socket delivers it: growing prefixes, cut at the chosen sizes (cycled).
      let answer = readClientHello(bytes.subarray(0, 0))
      for (let at = 0, i = 0; answer.kind === 'need-more' && at < bytes.length; i++) {
        at = Math.min(bytes.length, at + cuts[i % cuts.length]!)
        answer = readClientHello(bytes.subarray(0, at))
      }
      assert.deepEqual(answer, whole)
    }),
    { numRuns: 3000, seed: Number(process.env.FC_SEED ?? 20261121) },
  )
})
