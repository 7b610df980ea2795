import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_LIMITS, httpRefusal, resolveLimits } from './limits.ts'

// The limits are enforced by the accept layer and the HTTP/1.1 server; end to end in
// test/e2e/serve-hostile-http.test.ts and test/e2e/serve-h1-server.test.ts.

test('unset limits keep their defaults; given ones replace them', () => {
  assert.deepEqual(resolveLimits({ maxBodyBytes: undefined }), DEFAULT_LIMITS)
  assert.equal(resolveLimits({ maxBodyBytes: 10 }).maxBodyBytes, 10)
  assert.equal(resolveLimits({ maxBodyBytes: 10 }).headersTimeoutMs, DEFAULT_LIMITS.headersTimeoutMs)
})

test('a refusal is one complete, bodiless response that closes the connection', () => {
  for (const status of [400, 408, 413, 417, 431, 501, 505] as const) {
    const raw = httpRefusal(status)
    assert.match(raw, new RegExp(`^HTTP/1\\.1 ${status} [A-Z][A-Za-z ]+\\r\\n`))
    assert.ok(raw.endsWith('\r\nconnection: close\r\ncontent-length: 0\r\n\r\n'), raw)
  }
})
