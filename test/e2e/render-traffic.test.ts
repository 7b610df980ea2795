import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import tls from 'node:tls'
import { stringify } from 'yaml'
import type { App } from '../../src/model/index.ts'
import { renderApp, targetNamespace, type Manifest } from '../../src/recipes/index.ts'
import { appExamples, readInputs, ROOT } from '../examples.ts'
import { DEFAULT_PARENT, probes, serviceIdentity, type Listener, type Probe } from './route-oracle.ts'
import { configDir, selfSignedCert, serve } from './serve-helpers.ts'
import { startStandIns } from './stand-ins.ts'

// The round trip the Kubernetes recipe promises (DESIGN.md §1): render an app, add the
// EndpointSlices a cluster would make for its Services (pointing at stand-in containers on
// 127.0.0.1), hand everything to the gateway as `serve` loads it, and send traffic for every route
// rule: each request must be answered by the container the app names. What is expected comes
// from the app model (route-oracle.ts), never from the rendered objects.

const CASES: { name: string; paths: string[] }[] = [
  ...appExamples().map((n) => ({ name: `examples/${n}`, paths: [join(ROOT, 'examples', n)] })),
  // The model's test apps that hold routes: the shipped Radius spelling and the legacy TLS forms.
  ...['routes-shipped-spelling', 'legacy-gateway-tls', 'legacy-gateway-passthrough'].map((n) => ({ name: `model testdata ${n}`, paths: [join(ROOT, 'src/model/testdata', `${n}.in.yaml`)] })),
]

const CLASS = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'switchyard' }, spec: { controllerName: 'switchyard.dev/gateway-controller' } }

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: unknown; data?: Record<string, string> }

/**
 * The platform side: the environment's objects, plus (when routes attach to Radius's default
 * Gateway and the environment does not define it) that Gateway as `rad install` would leave it,
 * with a listener for each route kind the app uses.
 */
function platformObjects(app: App): Obj[] {
  const own = (app.environment?.gateways ?? []) as Obj[]
  const parent = app.environment?.routes.parentRef ?? DEFAULT_PARENT
  const defined = own.some((o) => o.kind === 'Gateway' && o.metadata.name === parent.name && (o.metadata.namespace ?? 'default') === (parent.namespace ?? 'default'))
  if (defined || app.routes.length === 0) return own
  const kinds = new Set(app.routes.map((r) => r.routeKind))
  const all = { namespaces: { from: 'All' } }
  const listeners = [
    ...(kinds.has('HTTP') ? [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: all }] : []),
    ...(kinds.has('TLS') ? [{ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' }, allowedRoutes: all }] : []),
    ...(kinds.has('TCP') ? [{ name: 'tcp', port: 9000, protocol: 'TCP', allowedRoutes: all }] : []),
    ...(kinds.has('UDP') ? [{ name: 'udp', port: 9053, protocol: 'UDP', allowedRoutes: all }] : []),
  ]
  return [...own, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: parent.name, namespace: parent.namespace ?? 'default' }, spec: { gatewayClassName: 'switchyard', listeners } }]
}

interface ListenerSpec {
  name: string
  port: number
  protocol: string
  hostname?: string
  tls?: { mode?: string; certificateRefs?: { name: string; namespace?: string }[] }
}

function listenersOf(objects: readonly Obj[]): (Listener & { refs: { name: string; namespace: string }[] })[] {
  return objects
    .filter((o) => o.kind === 'Gateway')
    .flatMap((g) =>
      ((g.spec as { listeners: ListenerSpec[] }).listeners ?? []).map((l) => ({
        gateway: { name: g.metadata.name, namespace: g.metadata.namespace ?? 'default' },
        name: l.name,
        port: l.port,
        protocol: l.protocol,
        ...(l.hostname ? { hostname: l.hostname } : {}),
        ...(l.tls?.mode ? { mode: l.tls.mode } : {}),
        refs: (l.tls?.certificateRefs ?? []).map((r) => ({ name: r.name, namespace: r.namespace ?? g.metadata.namespace ?? 'default' })),
      })),
    )
}

for (const c of CASES) {
  test(`round trip: ${c.name} renders, and its traffic reaches the containers the app names`, { timeout: 60_000 }, async (t) => {
    const rendered = renderApp(readInputs(c.paths), { publicEndpoint: { ip: '127.0.0.1' } })
    assert.deepEqual(rendered.diagnostics.filter((d) => d.severity === 'error'), [])
    const app = rendered.app!
    const objects = [...platformObjects(app), ...(rendered.objects as readonly Obj[])]
    const listeners = listenersOf(objects)
    // One certificate for every name the app serves, for the Secrets listeners need and nobody
    // renders (a secret store's existing `resource`, the environment's `certificates`) and for the
    // stand-ins that terminate passed-through TLS themselves.
    const names = [...new Set(['anything.test', ...listeners.flatMap((l) => (l.hostname ? [l.hostname] : [])), ...app.routes.flatMap((r) => r.hostnames), ...(app.environment?.routes.hostnames ?? [])])]
    const cert = selfSignedCert(names.map((n) => `DNS:${n}`))
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    const have = new Set(objects.filter((o) => o.kind === 'Secret').map((o) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`))
    const secrets = [...new Set(listeners.flatMap((l) => l.refs.map((r) => `${r.namespace}/${r.name}`)))]
      .filter((k) => !have.has(k))
      .map((k) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { namespace: k.split('/')[0]!, name: k.split('/')[1]! }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(cert.certPem), 'tls.key': b64(cert.keyPem) } }))
    const ca = [cert.certPem, ...objects.filter((o) => o.kind === 'Secret' && o.data?.['tls.crt']).map((o) => Buffer.from(o.data!['tls.crt']!, 'base64').toString())]

    const standIns = await startStandIns(rendered.objects as readonly Manifest[], cert)
    const dir = configDir({ 'rendered.yaml': [CLASS, ...secrets, ...objects, ...standIns.endpointSlices].map((o) => stringify(o)).join('---\n') })
    const s = await serve([dir.dir])
    try {
      // Every route the recipe rendered is accepted by the gateway it attaches to.
      for (const st of s.pipeline.current!.statuses.filter((x) => x.kind.endsWith('Route'))) {
        const parents = (st.status as { parents?: { conditions: { type: string; status: string; reason: string }[] }[] }).parents ?? []
        assert.ok(parents.length > 0 && parents.every((p) => p.conditions.some((x) => x.type === 'Accepted' && x.status === 'True')), `${st.kind} ${st.metadata.name}: ${JSON.stringify(parents)}`)
      }
      const list = probes(app, listeners)
      const connections = app.containers.flatMap((ct) => Object.entries(ct.connections).flatMap(([name, conn]) => (conn.source.kind === 'url' ? [{ from: ct.name, name, ...conn.source }] : [])))
      assert.ok(list.length + connections.length > 0, 'the app has routes or connections to send traffic through')

      for (const p of list) {
        const l = p.listener
        await t.test(`${p.what} → ${p.kind.toUpperCase()} ${p.method} ${p.host}${p.path}`, async () => {
          const got = await send(p, s.portOf(l.port), ca)
          if (p.expect === null) return assert.equal(got.status, 404, got.body)
          assert.equal(got.identity, p.expect.identity, `${p.what}: answered by ${got.identity ?? got.body}`)
          if (p.expect.path !== undefined) assert.equal(got.path, p.expect.path)
          if (p.expect.over) assert.equal(got.over, p.expect.over)
        })
      }

      // Service to service: a connection's URL names a rendered Service and port that reach the container it means.
      for (const conn of connections) {
        await t.test(`connection ${conn.from} → ${conn.name} (${conn.url})`, async () => {
          const backend = standIns.byServicePort.get(`${targetNamespace(app)}/${conn.hostname}:${conn.port}`)
          assert.ok(backend, `no rendered Service ${conn.hostname}:${conn.port}`)
          const got = await send({ kind: 'http', host: conn.hostname, method: 'GET', path: '/', headers: {} }, backend.port, ca)
          assert.equal(got.identity, serviceIdentity(app, conn.hostname, conn.port))
        })
      }
    } finally {
      await s.close()
      await standIns.close()
      dir.remove()
    }
  })
}

interface Answer {
  status: number
  body: string
  identity?: string
  path?: string
  over?: string
}

/** Sends one probe to the gateway's port and reads who answered. */
function send(p: Pick<Probe, 'kind' | 'host' | 'method' | 'path' | 'headers'>, port: number, ca: string[]): Promise<Answer> {
  if (p.kind === 'http' || p.kind === 'https') {
    return new Promise((resolve, reject) => {
      const options = { host: '127.0.0.1', port, method: p.method, path: p.path, headers: { ...p.headers, host: p.host }, agent: false, timeout: 5000 }
      const onResponse = (res: http.IncomingMessage) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c))
        res.on('end', () => {
          const json = res.headers['x-backend'] ? (JSON.parse(body) as { backend: string; url: string }) : undefined
          resolve({ status: res.statusCode ?? 0, body, ...(json ? { identity: json.backend, path: json.url } : {}) })
        })
      }
      const req = p.kind === 'https' ? https.request({ ...options, servername: p.host, ca }, onResponse) : http.request(options, onResponse)
      req.on('timeout', () => req.destroy(new Error('no answer in 5s')))
      req.on('error', reject)
      req.end()
    })
  }
  const parse = (text: string): Answer => {
    const m = /^(\S+) over (tls|tcp|udp): hello$/.exec(text)
    return { status: 0, body: text, ...(m ? { identity: m[1]!, over: m[2]! } : {}) }
  }
  if (p.kind === 'udp') {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4')
      const timer = setTimeout(() => (socket.close(), reject(new Error('no datagram back in 5s'))), 5000)
      socket.on('message', (msg) => (clearTimeout(timer), socket.close(), resolve(parse(msg.toString()))))
      socket.send('hello', port, '127.0.0.1')
    })
  }
  return new Promise((resolve, reject) => {
    const socket = p.kind === 'tls' ? tls.connect({ host: '127.0.0.1', port, servername: p.host, ca }) : net.connect(port, '127.0.0.1')
    let text = ''
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer in 5s')))
    socket.once(p.kind === 'tls' ? 'secureConnect' : 'connect', () => socket.write('hello'))
    socket.on('data', (d: Buffer) => (text += d))
    socket.on('end', () => resolve(parse(text)))
    socket.on('error', reject)
  })
}
