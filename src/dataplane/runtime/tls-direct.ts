import type { TLSPlan, TLSPortPlan } from '../compile/index.ts'

/**
 * A TLS port whose connections go to OpenSSL as they are accepted, without the accept layer's
 * ClientHello peek (peek.ts): a port where every listener is HTTPS with a certificate, one minimum
 * TLS version and one ALPN list. Nothing there depends on the ClientHello but the certificate,
 * which OpenSSL's SNI callback can choose, and the refusal of an SNI no listener serves, which the
 * same callback makes. The peek stays for ports that need it before the handshake: passthrough
 * (the bytes must be replayed), TLS Terminate (the TLSRoute), and listeners that differ in minimum
 * version or ALPN (fixed when OpenSSL's connection is made, not by the callback's certificate).
 *
 * What it saves is the peek's read, copy and hand-over of the ClientHello: 5–8 % more new
 * handshakes a second (docs/performance.md). The same shape as Envoy's, whose TLS inspector runs
 * only when a filter chain is chosen by server name.
 */
export interface DirectTLS {
  /** The listener a ClientHello without SNI gets (`withoutSNI`): its certificate is the default, its minimum version and ALPN the port's. */
  readonly tls: TLSPlan
  /**
   * The SNI matters: the port has several certificates, or a name no listener serves must be
   * refused. False when a listener without hostname takes every other name and all listeners
   * share one certificate: no callback at all.
   */
  readonly bySNI: boolean
}

const decided = new WeakMap<TLSPortPlan, DirectTLS | null>()

/** The port's direct termination, or null when its connections must be peeked first. Decided once per plan. */
export function directTLS(port: TLSPortPlan): DirectTLS | null {
  let d = decided.get(port)
  if (d === undefined) decided.set(port, (d = decide(port)))
  return d
}

function decide(port: TLSPortPlan): DirectTLS | null {
  const first = port.withoutSNI
  if (first === null || first.kind !== 'https' || first.tls === null) return null
  const tls = first.tls
  const certificates = new Set<unknown>()
  for (const l of port.listenerList) {
    if (l.kind !== 'https' || l.tls === null || l.tls.certificates.any === null) return null
    if (l.tls.minVersion !== tls.minVersion || !sameList(l.tls.alpn, tls.alpn)) return null
    const c = l.tls.certificates
    certificates.add(c.any)
    for (const cert of c.exact.values()) certificates.add(cert)
    for (const cert of c.wildcard.values()) certificates.add(cert)
  }
  return { tls, bySNI: port.listeners.any === null || certificates.size > 1 }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
