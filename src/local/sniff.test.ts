import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sniff } from './sniff.ts'

const cases: [string, Buffer, string][] = [
  ['a TLS handshake record is TLS', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]), 'tls'],
  ['a GET request line is HTTP', Buffer.from('GET / HTTP/1.1\r\n'), 'http'],
  ['a DELETE request line is HTTP', Buffer.from('DELETE /x HTTP/1.1\r\n'), 'http'],
  ['the HTTP/2 preface is HTTP', Buffer.from('PRI * HTTP/2.0\r\n'), 'http'],
  ['the first letters of a method wait for more', Buffer.from('PO'), 'more'],
  ['nothing yet waits for more', Buffer.alloc(0), 'more'],
  ['a line that is no method is TCP', Buffer.from('hello\n'), 'tcp'],
  ['an upper-case word that starts no method is TCP', Buffer.from('PING'), 'tcp'],
  ['an unknown word before a space is TCP', Buffer.from('FETCH / HTTP/1.1'), 'tcp'],
  ['a PostgreSQL startup message is TCP', Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]), 'tcp'],
]

for (const [name, input, want] of cases) test(name, () => assert.equal(sniff(input), want))
