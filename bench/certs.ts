/**
 * A self-signed ECDSA P-256 certificate for `localhost`, made with openssl in the run's directory:
 * the same key and certificate for every TLS peer, so handshakes cost the same kind of signature.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runBounded } from './procs.ts'

export interface Cert {
  readonly cert: string
  readonly key: string
  /** cert + key in one file (HAProxy's `crt`). */
  readonly pem: string
  readonly certPem: string
  readonly keyPem: string
  /** The name wrk sends as SNI: it uses the URL's host, and `localhost` resolves here. */
  readonly hostname: string
}

export function makeCert(dir: string): Cert {
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  const r = runBounded(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert],
    30_000,
  )
  if (!r.ok) throw new Error(`openssl could not make a certificate:\n${r.out}`)
  const certPem = readFileSync(cert, 'utf8')
  const keyPem = readFileSync(key, 'utf8')
  const pem = join(dir, 'cert-and-key.pem')
  writeFileSync(pem, certPem + keyPem)
  return { cert, key, pem, certPem, keyPem, hostname: 'localhost' }
}
