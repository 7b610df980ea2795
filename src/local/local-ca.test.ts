import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { LocalCA } from './local-ca.ts'

function withDir(f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-ca-'))
  try {
    f(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('the CA is created on first use with its key readable only by the user', { timeout: 30_000 }, () =>
  withDir((dir) => {
    const ca = LocalCA.open(join(dir, 'switchyard'))
    assert.equal(ca.created, true)
    assert.equal(statSync(ca.keyPath).mode & 0o777, 0o600)
    assert.equal(statSync(join(dir, 'switchyard', 'ca')).mode & 0o777, 0o700)
    const x = new X509Certificate(ca.certPem)
    assert.equal(x.ca, true)
    assert.ok(x.verify(x.publicKey), 'self-signed')
    assert.ok(new Date(x.validTo).getTime() > Date.now() + 5 * 365 * 86400_000)
  }),
)

test('opening again finds the same CA instead of making another', { timeout: 30_000 }, () =>
  withDir((dir) => {
    const first = LocalCA.open(dir)
    const again = LocalCA.open(dir)
    assert.equal(again.created, false)
    assert.equal(again.certPem, first.certPem)
    assert.equal(again.info().fingerprint, first.info().fingerprint)
    assert.match(first.info().fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
  }),
)

test('a leaf names every host in its subjectAltName, is signed by the CA, and is cached per name set', { timeout: 30_000 }, () =>
  withDir((dir) => {
    const ca = LocalCA.open(dir)
    const leaf = ca.issue(['shop.localtest.me', '*.example.com', '127.0.0.1', 'localhost'])
    const x = new X509Certificate(leaf.certPem)
    const caCert = new X509Certificate(ca.certPem)
    assert.ok(x.verify(caCert.publicKey), 'signed by the CA')
    assert.ok(x.checkIssued(caCert))
    assert.equal(x.ca, false)
    assert.ok(x.checkHost('shop.localtest.me'))
    assert.ok(x.checkHost('foo.example.com'))
    assert.equal(x.checkHost('other.test'), undefined)
    assert.ok(x.checkIP('127.0.0.1'))
    assert.equal(ca.issue(['localhost', '127.0.0.1', '*.example.com', 'SHOP.localtest.me']), leaf, 'same names, same certificate')
    assert.notEqual(ca.issue(['localhost']), leaf)
  }),
)
