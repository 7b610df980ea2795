/**
 * Applications.Core/gateways → Gateway API, not Contour's HTTPProxy: a Gateway with one listener,
 * an HTTPRoute of the gateway's routes (replacePrefix as a URLRewrite, timeoutPolicy as route
 * timeouts), or for sslPassthrough a TLS Passthrough listener and a TLSRoute; TLS termination takes
 * its certificate from the secret store, rendered as a kubernetes.io/tls Secret.
 */
import { MIN_TLS_OPTION } from '../../k8s/index.ts'
import type { App, LegacyGateway, SecretStore } from '../../model/index.ts'
import { gatewayDuration } from '../legacy-routes.ts'
import type { Manifest } from '../recipe.ts'
import type { RenderOptions } from '../recipe.ts'
import { labels } from './labels.ts'
import { k8sName } from '../../util/index.ts'


export function renderLegacyGateway(app: App, g: LegacyGateway, namespace: string, options: RenderOptions): Manifest[] {
  const meta = labels(g.application, g.name, g.type)
  const name = k8sName(g.name)
  const hostname = gatewayHostname(app, g, options)
  const store = g.tls?.certificateFrom ? app.secretStores.find((s) => s.name === g.tls!.certificateFrom) : undefined
  const out: Manifest[] = []
  let listener: Record<string, unknown>
  if (g.tls?.sslPassthrough) {
    listener = { name: 'tls', protocol: 'TLS', port: 443, tls: { mode: 'Passthrough' } }
  } else if (store) {
    const secret = secretRef(store, namespace)
    listener = {
      name: 'https',
      protocol: 'HTTPS',
      port: 443,
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: secret.name, ...(secret.namespace !== namespace ? { namespace: secret.namespace } : {}) }], options: { [MIN_TLS_OPTION]: g.tls!.minimumProtocolVersion } },
    }
    if (secret.namespace !== namespace) out.push(referenceGrant(g, secret, namespace, meta))
  } else {
    listener = { name: 'http', protocol: 'HTTP', port: 80 }
  }
  out.push({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace, labels: meta },
    spec: {
      gatewayClassName: gatewayClassName(app),
      listeners: [{ ...listener, ...(hostname ? { hostname } : {}), allowedRoutes: { namespaces: { from: 'Same' } } }],
    },
  })
  const parentRefs = [{ name, sectionName: listener.name }]
  if (g.tls?.sslPassthrough) {
    const d = g.routes[0]!.destination
    out.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute', metadata: { name, namespace, labels: meta }, spec: { parentRefs, ...(hostname ? { hostnames: [hostname] } : {}), rules: [{ backendRefs: [{ name: k8sName(d.hostname), port: d.port }] }] } })
  } else {
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace, labels: meta },
      spec: {
        parentRefs,
        rules: g.routes.map((r) => ({
          matches: [{ path: { type: 'PathPrefix', value: r.path ?? '/' } }],
          ...(r.replacePrefix !== undefined ? { filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: r.replacePrefix } } }] } : {}),
          backendRefs: [{ name: k8sName(r.destination.hostname), port: r.destination.port }],
          ...(r.timeoutPolicy ? { timeouts: { request: gatewayDuration(r.timeoutPolicy.requestMs), backendRequest: gatewayDuration(r.timeoutPolicy.backendRequestMs) } } : {}),
        })),
      },
    })
  }
  if (store && store.resource === undefined) out.push(renderTLSSecret(store, namespace))
  return out
}

/**
 * Radius's getHostname (research/radius.md §2.3): the fully qualified hostname wins; otherwise,
 * with a public IP, `<prefix or gateway>.<app>.<ip>.nip.io`; with a public host name, `<prefix>.<host>`
 * or the host itself. Without a public endpoint the listener serves any host.
 */
function gatewayHostname(app: App, g: LegacyGateway, options: RenderOptions): string | undefined {
  if (g.hostname?.fullyQualifiedHostname) return g.hostname.fullyQualifiedHostname
  const ep = options.publicEndpoint
  const base = ep?.ip ? `${g.application}.${ep.ip}.nip.io` : ep?.hostname
  if (!base) return undefined
  if (g.hostname?.prefix) return `${g.hostname.prefix}.${base}`.toLowerCase()
  return (ep?.ip ? `${g.name}.${base}` : base).toLowerCase()
}

/** The GatewayClass the environment's objects use, else Switchyard's own. */
function gatewayClassName(app: App): string {
  const objs = app.environment?.gateways ?? []
  const cls = objs.find((o) => o.kind === 'GatewayClass') as { metadata?: { name?: string } } | undefined
  const gw = objs.find((o) => o.kind === 'Gateway') as { spec?: { gatewayClassName?: string } } | undefined
  return cls?.metadata?.name ?? gw?.spec?.gatewayClassName ?? 'switchyard'
}

function secretRef(store: SecretStore, namespace: string): { name: string; namespace: string } {
  if (!store.resource) return { name: k8sName(store.name), namespace }
  const [ns, name] = store.resource.includes('/') ? store.resource.split('/') : [namespace, store.resource]
  return { name: name!, namespace: ns! }
}

function referenceGrant(g: LegacyGateway, secret: { name: string; namespace: string }, namespace: string, meta: Record<string, string>): Manifest {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: k8sName(g.name, 'certificate'), namespace: secret.namespace, labels: meta },
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace }], to: [{ group: '', kind: 'Secret', name: secret.name }] },
  }
}

/** A certificate store as the kubernetes.io/tls Secret Radius creates (values base64 in `data`). */
export function renderTLSSecret(store: SecretStore, namespace: string): Manifest {
  const data: Record<string, string> = {}
  for (const [k, v] of Object.entries(store.data)) {
    if (v.value === undefined) continue
    data[k] = v.encoding === 'base64' ? v.value.replace(/\s+/g, '') : Buffer.from(v.value).toString('base64')
  }
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: k8sName(store.name), namespace, labels: labels(store.application ?? '', store.name, store.type) }, type: 'kubernetes.io/tls', data }
}
