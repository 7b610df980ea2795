import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { selfSignedCert } from './serve-helpers.ts'

/**
 * A small stand-in Kubernetes API server on 127.0.0.1 over real TLS, implementing only what
 * `switchyard deploy` calls: discovery of a group version, GET of one object, server-side apply
 * (PATCH application/apply-patch+yaml, with dryRun and a field-manager conflict), list by label
 * selector, and DELETE. It records every request so tests can check what the client sent.
 */

export interface Recorded {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

interface Stored {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace: string; labels?: Record<string, string>; resourceVersion?: string; [k: string]: unknown }
  [k: string]: unknown
}

/** Resource name (plural) → kind, per group version, as discovery would list them. */
const RESOURCES: Record<string, Record<string, string>> = {
  v1: { services: 'Service', secrets: 'Secret', configmaps: 'ConfigMap' },
  'apps/v1': { deployments: 'Deployment' },
  'gateway.networking.k8s.io/v1': { gateways: 'Gateway', httproutes: 'HTTPRoute', tlsroutes: 'TLSRoute', tcproutes: 'TCPRoute', udproutes: 'UDPRoute' },
  'gateway.networking.k8s.io/v1beta1': { referencegrants: 'ReferenceGrant' },
}

export interface KubeApiOptions {
  /** Kinds this cluster does not serve (a CRD not installed). */
  readonly notServed?: readonly string[]
  /** `Kind/namespace/name` of objects whose apply conflicts with another field manager unless forced. */
  readonly conflicts?: readonly string[]
}

export interface KubeApi {
  readonly url: string
  readonly caPem: string
  readonly token: string
  readonly requests: Recorded[]
  /** Objects by `Kind/namespace/name`. */
  readonly store: Map<string, Stored>
  /** Puts an object in the store as if someone had created it. */
  seed(o: { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels?: Record<string, string> }; [k: string]: unknown }): void
  /** A kubeconfig file (in a temp dir) whose current context points here; `remove` deletes it. */
  kubeconfig(context?: string): { path: string; remove: () => void }
  close(): Promise<void>
}

export async function startKubeApi(options: KubeApiOptions = {}): Promise<KubeApi> {
  const { certPem, keyPem } = selfSignedCert(['IP:127.0.0.1'])
  const token = 'test-token-' + Math.random().toString(36).slice(2)
  const requests: Recorded[] = []
  const store = new Map<string, Stored>()
  let version = 100
  const served = (gv: string) => Object.fromEntries(Object.entries(RESOURCES[gv] ?? {}).filter(([, kind]) => !options.notServed?.includes(kind)))

  const server = https.createServer({ cert: certPem, key: keyPem }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'https://x')
      const body = Buffer.concat(chunks).toString()
      requests.push({ method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body })
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(value))
      }
      const fail = (status: number, reason: string, message: string) => send(status, { apiVersion: 'v1', kind: 'Status', status: 'Failure', code: status, reason, message })
      if (req.headers.authorization !== `Bearer ${token}`) return fail(401, 'Unauthorized', 'Unauthorized')

      // /api/v1[/namespaces/NS/RES[/NAME]] or /apis/GROUP/VERSION[/namespaces/NS/RES[/NAME]]
      const m = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?)?$/.exec(u.pathname)
      if (!m) return fail(404, 'NotFound', `the server could not find the requested resource (${u.pathname})`)
      const gv = (m[1] ?? m[2])!
      const [ns, plural, name] = [m[3], m[4], m[5]]
      const resources = served(gv)
      if (!RESOURCES[gv] || Object.keys(resources).length === 0) return fail(404, 'NotFound', `the server could not find the requested resource (${gv})`)
      if (!plural) {
        return send(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: Object.entries(resources).map(([n, kind]) => ({ name: n, singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ['get', 'list', 'patch', 'delete'] })) })
      }
      const kind = resources[plural]
      if (!kind || !ns) return fail(404, 'NotFound', `the server could not find the requested resource (${plural})`)
      const key = `${kind}/${ns}/${name}`
      const dryRun = u.searchParams.get('dryRun') === 'All'

      if (req.method === 'GET' && !name) {
        const want = (u.searchParams.get('labelSelector') ?? '').split(',').filter(Boolean).map((t) => t.split('='))
        const items = [...store.values()].filter((o) => o.kind === kind && o.metadata.namespace === ns && want.every(([k, v]) => o.metadata.labels?.[k!] === v))
        return send(200, { apiVersion: gv, kind: `${kind}List`, metadata: { resourceVersion: String(version) }, items })
      }
      if (!name) return fail(405, 'MethodNotAllowed', 'no such verb here')
      if (req.method === 'GET') return store.has(key) ? send(200, store.get(key)) : fail(404, 'NotFound', `${plural} "${name}" not found`)
      if (req.method === 'DELETE') {
        if (!store.has(key)) return fail(404, 'NotFound', `${plural} "${name}" not found`)
        if (!dryRun) store.delete(key)
        return send(200, { apiVersion: 'v1', kind: 'Status', status: 'Success', details: { name, kind: plural } })
      }
      if (req.method === 'PATCH') {
        if (req.headers['content-type'] !== 'application/apply-patch+yaml') return fail(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml`)
        const manager = u.searchParams.get('fieldManager')
        if (!manager) return fail(400, 'BadRequest', 'PATCH, application/apply-patch+yaml requires fieldManager')
        if (options.conflicts?.includes(key) && u.searchParams.get('force') !== 'true') {
          return fail(409, 'Conflict', `Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas`)
        }
        const applied = parse(body) as Stored
        if (applied.metadata?.name !== name || (applied.metadata.namespace ?? ns) !== ns) return fail(400, 'BadRequest', 'the name or namespace of the object does not match the URL')
        const before = store.get(key)
        const content = (o: Stored | undefined) => (o ? JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } }) : '')
        const next: Stored = { ...applied, metadata: { ...applied.metadata, namespace: ns, managedFields: [{ manager, operation: 'Apply' }] } }
        if (before && content(before) === content(next)) return send(200, before)
        const stored = { ...next, metadata: { ...next.metadata, resourceVersion: String(dryRun ? version : ++version) } }
        if (!dryRun) store.set(key, stored)
        return send(before ? 200 : 201, stored)
      }
      return fail(405, 'MethodNotAllowed', `${req.method} is not supported here`)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    caPem: certPem,
    token,
    requests,
    store,
    seed: (o) => store.set(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, { ...o, metadata: { ...o.metadata, resourceVersion: String(++version) } } as Stored),
    kubeconfig: (context = 'test-cluster') => writeKubeconfig(context, url, certPem, token),
    close: () => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())),
  }
}

/** A kubeconfig with one context whose cluster is `server` (CA `caPem`) and whose user has `token`. */
export function writeKubeconfig(context: string, server: string, caPem: string, token: string): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-kube-'))
  const path = join(dir, 'config')
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
current-context: ${context}
clusters:
  - name: ${context}
    cluster: { server: "${server}", certificate-authority-data: ${Buffer.from(caPem).toString('base64')} }
users:
  - name: ${context}-user
    user: { token: ${token} }
contexts:
  - name: ${context}
    context: { cluster: ${context}, user: ${context}-user }
`,
  )
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
