import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addForwarded, FORWARDING_FIELDS, forwardingLines } from './headers.ts'

test('Forwarded and X-Forwarded-* describe this hop and append to a chain, whatever came before (RFC 7239)', () => {
  const cases: [string, 'http' | 'https', string, string][] = [
    ['10.0.0.1', 'http', 'a.example', 'for=10.0.0.1;host=a.example;proto=http'],
    ['10.0.0.1', 'http', 'a.example', 'for=10.0.0.1;host=a.example;proto=http'],
    ['10.0.0.1', 'https', 'a.example', 'for=10.0.0.1;host=a.example;proto=https'],
    ['::1', 'https', 'a.example', 'for="[::1]";host=a.example;proto=https'],
    ['::1', 'https', 'a.example:8443', 'for="[::1]";host="a.example:8443";proto=https'],
    ['10.0.0.2', 'https', 'a.example:8443', 'for=10.0.0.2;host="a.example:8443";proto=https'],
    ['10.0.0.2', 'https', 'we"ird', 'for=10.0.0.2;host="we\\"ird";proto=https'],
  ]
  for (const [client, proto, authority, element] of cases) {
    const h: Record<string, string | string[]> = {}
    addForwarded(h, client, proto, authority)
    assert.deepEqual(h, { 'x-forwarded-for': client, 'x-forwarded-proto': proto, 'x-forwarded-host': authority, forwarded: element })
    const chained: Record<string, string | string[]> = { 'x-forwarded-for': ['1.1.1.1', '2.2.2.2'], forwarded: 'for=1.1.1.1' }
    addForwarded(chained, client, proto, authority)
    assert.equal(chained['x-forwarded-for'], `1.1.1.1, 2.2.2.2, ${client}`)
    assert.equal(chained.forwarded, `for=1.1.1.1, ${element}`)
  }
})

test('forwardingLines are the lines addForwarded sets on a request that brought no forwarding fields, in its order', () => {
  for (const [client, proto, authority] of [['127.0.0.1', 'http', 'a.example'], ['::1', 'https', 'b.example:8443'], ['10.0.0.7', 'http', 'a.example'], ['127.0.0.1', 'http', 'a.example']] as const) {
    const h: Record<string, string | string[]> = {}
    addForwarded(h, client, proto, authority)
    // The request parser refuses to forward a head as it came when it holds any of these.
    assert.deepEqual(Object.keys(h), FORWARDING_FIELDS)
    assert.equal(forwardingLines(client, proto, authority), `${Object.entries(h).map(([n, v]) => `${n}: ${String(v)}\r\n`).join('')}\r\n`)
  }
})
