import type * as ir from '../../ir/index.ts'
import { lookupHost } from './host-table.ts'
import type { SNIListenerPlan, SNIRoutePlan, TLSListenerPlan, TLSPlan, TLSPortPlan } from './plan.ts'

/*
 * The choices a TLS port makes from a ClientHello, before any byte is decrypted (gateway-api.md
 * §4.3, §5.3, §6). One definition, used by the runtime that serves connections and by `explain`
 * that describes them, so the two cannot drift apart.
 */

/** The listener for a ClientHello's SNI (lower-cased; null: none sent): most specific match, or the port's `withoutSNI`. */
export function listenerForSNI(port: TLSPortPlan, sni: string | null): TLSListenerPlan | null {
  return sni === null ? port.withoutSNI : lookupHost(port.listeners, sni)
}

/** The TLSRoute of a TLS listener for an SNI (exact before wildcard, longer wildcard first); none without SNI. */
export function routeForSNI(listener: SNIListenerPlan, sni: string | null): SNIRoutePlan | null {
  return sni === null ? null : lookupHost(listener.routes, sni)
}

/** The certificate a terminating listener serves: the longest match for the SNI, else its first one. */
export function certificateForSNI(tls: TLSPlan, sni: string | null): ir.Certificate | null {
  return (sni !== null ? lookupHost(tls.certificates, sni) : null) ?? tls.certificates.any
}
