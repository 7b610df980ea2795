import { constants } from 'node:crypto'
import type net from 'node:net'
import tls from 'node:tls'
import type * as ir from '../../ir/index.ts'
import type { TLSPlan } from '../compile/index.ts'
import { certificateForSNI } from '../compile/index.ts'

/**
 * The server's cipher order: AES-128-GCM first for TLS 1.3 (then node's defaults, whose TLS 1.2
 * part already leads with it), chosen by the server. Clients such as OpenSSL's prefer
 * TLS_AES_256_GCM_SHA384, whose SHA-384 key schedule made a handshake cost 6–9 % more CPU here
 * than AES-128-GCM's SHA-256, which runs on the CPU's SHA extensions (docs/performance.md). Both
 * are AEAD suites of equal standing (RFC 8446 §9.1 makes AES-128-GCM the one every implementation
 * must have); this is the order BoringSSL, and so Envoy, uses. A client that lists
 * ChaCha20-Poly1305 first (a device without AES instructions) still gets it:
 * `SSL_OP_PRIORITIZE_CHACHA`.
 */
const SERVER_CIPHERS = `TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:${tls.DEFAULT_CIPHERS.split(':').filter((c) => !c.startsWith('TLS_')).join(':')}`

/**
 * Secure contexts per certificate and minimum version, built once and reused across connections
 * (a context holds the parsed key; building one costs far more than a handshake's lookup).
 * Keyed weakly by the IR certificate, so a reload that drops a certificate drops its contexts.
 */
export class SecureContexts {
  readonly #byCert = new WeakMap<ir.Certificate, Map<string, tls.SecureContext>>()
  readonly #alpn = new WeakMap<TLSPlan, Uint8Array>()

  get(cert: ir.Certificate, minVersion: TLSPlan['minVersion']): tls.SecureContext {
    let m = this.#byCert.get(cert)
    if (!m) this.#byCert.set(cert, (m = new Map()))
    let ctx = m.get(minVersion)
    if (!ctx) m.set(minVersion, (ctx = tls.createSecureContext({ cert: cert.certPem, key: cert.keyPem, minVersion, ciphers: SERVER_CIPHERS, honorCipherOrder: true, secureOptions: constants.SSL_OP_PRIORITIZE_CHACHA })))
    return ctx
  }

  /** The plan's ALPN list in its wire form (RFC 7301 §3.1), converted once instead of per connection. */
  alpn(plan: TLSPlan): Uint8Array {
    let wire = this.#alpn.get(plan)
    if (!wire) this.#alpn.set(plan, (wire = Buffer.concat(plan.alpn.map((p) => Buffer.concat([Uint8Array.of(p.length), Buffer.from(p, 'latin1')])))))
    return wire
  }
}

/**
 * Chooses the certificate by the SNI OpenSSL read (as sent, not yet checked): a context, or null
 * when the name is refused, after the chooser has answered the client itself.
 */
export type ChooseBySNI = (servername: string) => tls.SecureContext | null

/**
 * Terminates TLS on an accepted socket: the listener's certificate for the SNI, longest match,
 * else its first (gateway-api.md §5.3); the listener's minimum version, so an older client fails
 * the handshake with `protocol_version`; the listener's ALPN list, so a client offering none of it
 * fails with `no_application_protocol` (RFC 7301 §3.2).
 *
 * Two ways in. A peeked socket (its ClientHello read and put back) comes with its SNI, and all
 * three are chosen before the handshake, which is what lets each listener on a port have its own.
 * A socket taken at once (tls-direct.ts) comes with `sni` null and the port's one minimum version
 * and ALPN list in `plan`; `bySNI`, when given, chooses the certificate from OpenSSL's SNI callback
 * or refuses the name, and the handshake then waits until the connection is closed.
 */
export function terminateTLS(socket: net.Socket, plan: TLSPlan, sni: string | null, contexts: SecureContexts, timeoutMs: number, onSecure: (s: tls.TLSSocket) => void, onFail: (reason: string) => void, bySNI: ChooseBySNI | null = null): tls.TLSSocket | null {
  const cert = certificateForSNI(plan, sni)
  if (!cert) {
    onFail('the listener has no certificate')
    return null
  }
  const options: tls.TLSSocketOptions = { isServer: true, secureContext: contexts.get(cert, plan.minVersion) }
  if (plan.alpn.length > 0) options.ALPNProtocols = contexts.alpn(plan)
  if (bySNI !== null) {
    options.SNICallback = (servername, done) => {
      const ctx = bySNI(servername)
      if (ctx !== null) done(null, ctx)
      // Refused: the alert is on its way and the socket closes after it, taking this one along.
      else clearTimeout(timer)
    }
  }
  const secure = new tls.TLSSocket(socket, options)
  const timer = setTimeout(() => fail(new Error(`no TLS handshake in ${timeoutMs}ms`)), timeoutMs)
  const fail = (e: Error) => {
    clearTimeout(timer)
    // Told before the socket goes, so the caller can still read the client's address.
    onFail(e.message)
    secure.destroy()
  }
  // A client that closes before the handshake is done (one that refuses the certificate, a
  // scanner) ends it at once: the socket is half-open (the port's setting, for TCP splices), so its
  // FIN alone would have kept the connection until the timer.
  const ended = () => fail(new Error('the client closed the connection during the handshake'))
  secure.once('error', fail)
  secure.once('end', ended)
  secure.once('secure', () => {
    clearTimeout(timer)
    secure.off('error', fail)
    secure.off('end', ended)
    // What tls.Server does before 'secureConnection': an HTTP/2 session waits for 'secure' again
    // while this flag is set.
    ;(secure as { secureConnecting?: boolean }).secureConnecting = false
    onSecure(secure)
  })
  return secure
}
