type Obj = Readonly<Record<string, unknown>>

/** The listener ports of the default Gateway: Radius's 80 and 443, moved above 1024. */
export const DEFAULT_PORTS = { http: 8080, tls: 8443 } as const

/**
 * The Gateway a local run provides when no environment is given, as `rad install kubernetes`
 * installs one (research/radius.md §0): `radius-system/radius`, which Radius's default recipe pack
 * attaches routes to, with an HTTP listener and a TLS Passthrough listener, routes allowed from
 * every namespace. The ports are unprivileged (8080 and 8443, not 80 and 443) so no one needs root.
 */
export function defaultGateways(): Obj[] {
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'radius', namespace: 'radius-system', labels: { 'app.kubernetes.io/managed-by': 'switchyard', 'app.kubernetes.io/part-of': 'switchyard' } },
      spec: {
        gatewayClassName: 'switchyard',
        listeners: [
          { name: 'http', protocol: 'HTTP', port: DEFAULT_PORTS.http, allowedRoutes: { namespaces: { from: 'All' } } },
          { name: 'tls', protocol: 'TLS', port: DEFAULT_PORTS.tls, tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'All' } } },
        ],
      },
    },
  ]
}

/**
 * On this machine Switchyard is the controller: every GatewayClass the Gateways name that no
 * object defines is provided, with `controllerName`, as installing a controller in a cluster
 * would. A class that is defined is left as written (and served only if it names us).
 */
export function missingGatewayClasses(objects: readonly Obj[], controllerName: string): Obj[] {
  const defined = new Set(objects.filter((o) => o.kind === 'GatewayClass').map((o) => (o.metadata as { name?: string } | undefined)?.name))
  const wanted = new Set(objects.filter((o) => o.kind === 'Gateway').map((o) => (o.spec as { gatewayClassName?: string } | undefined)?.gatewayClassName))
  return [...wanted]
    .filter((n): n is string => typeof n === 'string' && !defined.has(n))
    .sort()
    .map((name) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name }, spec: { controllerName } }))
}
