import type { Diagnostic } from '../diag/index.ts'
import type { HttpListenerPlan } from './precedence.ts'
import { PLATFORM_TITLES, routeLabel, routeProblem, type PlatformName } from './route-diagnostics.ts'

/** A certificate an HTTPS listener presents: the environment's, or a legacy gateway's certificate secret store. */
export type CertificateSource = { readonly kind: 'environment' } | { readonly kind: 'store'; readonly store: string }

export interface ListenerTls {
  /** Distinct, in the order the routes come: the first is the listener's default certificate. */
  readonly certificates: readonly CertificateSource[]
  /** The lowest TLS version the routes on the port ask for, if any does. */
  readonly minimumTlsVersion?: '1.2' | '1.3'
  readonly diagnostics: readonly Diagnostic[]
}

/**
 * What the one platform listener on a port must be for all the routes that share it. A load
 * balancer listener has one protocol and one TLS policy, so routes asking for HTTP and HTTPS on one
 * port, or for different minimum TLS versions, cannot share it; each later one is an error. The
 * certificates add up: a listener presents the one matching the SNI hostname.
 */
export function listenerTls(plan: HttpListenerPlan, platform: PlatformName, what: string): ListenerTls {
  const title = PLATFORM_TITLES[platform]
  const diagnostics: Diagnostic[] = []
  const certificates: CertificateSource[] = []
  const protocolOwner = plan.members[0]
  let policyOwner: (typeof plan.members)[number] | undefined
  for (const member of plan.members) {
    const { route, listener } = member
    if (listener.protocol !== plan.listener.protocol) {
      diagnostics.push(
        routeProblem('RENDER_LISTENER_CONFLICT', 'error', route, ['properties', 'kind'], `on ${title}, port ${listener.port} is ${what} with one protocol: ${routeLabel(protocolOwner!.route)} needs ${plan.listener.protocol} there, this one ${listener.protocol}`),
      )
      continue
    }
    if (listener.protocol === 'HTTPS') {
      const source: CertificateSource = listener.certificateStore ? { kind: 'store', store: listener.certificateStore } : { kind: 'environment' }
      if (!certificates.some((c) => c.kind === source.kind && (c.kind === 'environment' || c.store === (source as { store: string }).store))) certificates.push(source)
    }
    if (!listener.minimumTlsVersion) continue
    if (!policyOwner) policyOwner = member
    else if (policyOwner.listener.minimumTlsVersion !== listener.minimumTlsVersion) {
      diagnostics.push(
        routeProblem(
          'RENDER_LISTENER_CONFLICT',
          'error',
          route,
          ['properties', 'tls', 'minimumProtocolVersion'],
          `on ${title}, port ${listener.port} is ${what} with one TLS security policy: ${routeLabel(policyOwner.route)} asks for TLS ${policyOwner.listener.minimumTlsVersion} at least, this one for ${listener.minimumTlsVersion}`,
        ),
      )
    }
  }
  return { certificates, ...(policyOwner ? { minimumTlsVersion: policyOwner.listener.minimumTlsVersion! } : {}), diagnostics }
}
