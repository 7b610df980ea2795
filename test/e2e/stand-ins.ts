import dgram from 'node:dgram'
import http from 'node:http'
import net from 'node:net'
import { Duplex } from 'node:stream'
import tls from 'node:tls'
import type { Manifest } from '../../src/recipes/index.ts'

/**
 * Stand-in containers for rendered Kubernetes objects, and the EndpointSlices a cluster's
 * endpoints controller would write for them: each Service port, through the Service's selector and
 * targetPort, reaches the container port of the Deployment's pod template it names, here a small
 * server on 127.0.0.1 that answers with that container's identity. So a round trip checks the
 * rendered selectors, labels and ports as well as the routes.
 */

/** `<radapp.io/resource>/<container>:<containerPort>`, lower case: which container answered. */
export type Identity = string

export interface StandIns {
  /** EndpointSlice objects (discovery.k8s.io/v1), one per Service and matching Deployment. */
  readonly endpointSlices: readonly object[]
  /** `<namespace>/<service>:<port>` → the stand-in answering behind it. */
  readonly byServicePort: ReadonlyMap<string, { identity: Identity; port: number }>
  close(): Promise<void>
}

interface Container {
  name: string
  ports?: { containerPort: number; name?: string; protocol?: string }[]
}
interface Deployment {
  metadata: { namespace: string }
  spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } } }
}
interface Service {
  metadata: { name: string; namespace: string }
  spec: { selector?: Record<string, string>; ports: { name?: string; port: number; targetPort?: number | string; protocol?: string }[] }
}

/**
 * Starts one stand-in per container port a rendered Service reaches. `tlsCert` is what a stand-in
 * presents when a client (through a TLS passthrough listener) opens TLS to it.
 */
export async function startStandIns(objects: readonly Manifest[], tlsCert: { certPem: string; keyPem: string }): Promise<StandIns> {
  const servers = new Map<string, { port: number; close: () => Promise<void> }>()
  const slices: object[] = []
  const byServicePort = new Map<string, { identity: Identity; port: number }>()
  const deployments = objects.filter((o) => o.kind === 'Deployment') as unknown as Deployment[]
  for (const svc of objects.filter((o) => o.kind === 'Service') as unknown as Service[]) {
    const selector = Object.entries(svc.spec.selector ?? {})
    const pods = deployments.filter((d) => d.metadata.namespace === svc.metadata.namespace && selector.length > 0 && selector.every(([k, v]) => d.spec.template.metadata.labels[k] === v))
    for (const [i, pod] of pods.entries()) {
      const ports: object[] = []
      for (const sp of svc.spec.ports) {
        const protocol = sp.protocol ?? 'TCP'
        const target = sp.targetPort ?? sp.port
        for (const c of pod.spec.template.spec.containers) {
          const cp = c.ports?.find((p) => (p.protocol ?? 'TCP') === protocol && (p.containerPort === target || p.name === target))
          if (!cp) continue
          const identity = `${pod.spec.template.metadata.labels['radapp.io/resource']}/${c.name}:${cp.containerPort}`.toLowerCase()
          const key = `${identity}/${protocol}`
          if (!servers.has(key)) servers.set(key, protocol === 'UDP' ? await udpStandIn(identity) : await tcpStandIn(identity, tlsCert))
          const port = servers.get(key)!.port
          ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol })
          byServicePort.set(`${svc.metadata.namespace}/${svc.metadata.name}:${sp.port}`, { identity, port })
        }
      }
      slices.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${svc.metadata.name}-${i}`, namespace: svc.metadata.namespace, labels: { 'kubernetes.io/service-name': svc.metadata.name } },
        addressType: 'IPv4',
        ports,
        endpoints: [{ addresses: ['127.0.0.1'] }],
      })
    }
  }
  return { endpointSlices: slices, byServicePort, close: async () => void (await Promise.all([...servers.values()].map((s) => s.close()))) }
}

/**
 * One TCP port that answers in whatever the gateway speaks to it: HTTP (a JSON echo naming the
 * container), TLS (passthrough: the stand-in terminates it and answers `<identity> over tls`), or
 * a raw stream (TCP, or TLS terminated at the gateway: `<identity> over tcp`). It tells them
 * apart by the first bytes, as a multi-protocol sniffer does: 0x16 opens a TLS handshake.
 */
async function tcpStandIn(identity: Identity, cert: { certPem: string; keyPem: string }): Promise<{ port: number; close: () => Promise<void> }> {
  const web = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': identity })
      res.end(JSON.stringify({ backend: identity, method: req.method, url: req.url, headers: req.headers }))
    })
  })
  const raw = (socket: net.Socket, over: string) => socket.once('data', (d: Buffer) => socket.end(`${identity} over ${over}: ${d.toString()}`))
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    socket.once('readable', () => {
      const first = socket.read() as Buffer | null
      if (!first) return
      socket.unshift(first)
      if (first[0] === 0x16) {
        // Through a JS stream, not the socket itself: TLSSocket would read from the socket's handle
        // and miss the ClientHello bytes already taken out to sniff them.
        const secure = new tls.TLSSocket(relay(socket), { isServer: true, cert: cert.certPem, key: cert.keyPem })
        secure.on('error', () => {})
        raw(secure, 'tls')
      } else if (/^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/.test(first.toString('latin1'))) web.emit('connection', socket)
      else raw(socket, 'tcp')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  }
}

/** A Duplex over `socket` (already-read bytes unshifted back into it first). */
function relay(socket: net.Socket): Duplex {
  const duplex = new Duplex({
    read: () => socket.resume(),
    write: (chunk: Buffer, _enc, cb) => void socket.write(chunk, cb),
    final: (cb) => void socket.end(cb),
  })
  socket.on('data', (d: Buffer) => {
    if (!duplex.push(d)) socket.pause()
  })
  socket.on('end', () => duplex.push(null))
  socket.on('close', () => duplex.destroy())
  return duplex
}

/** A UDP port that answers each datagram with `<identity> over udp: <datagram>`. */
async function udpStandIn(identity: Identity): Promise<{ port: number; close: () => Promise<void> }> {
  const socket = dgram.createSocket('udp4')
  socket.on('message', (msg, from) => socket.send(`${identity} over udp: ${msg.toString()}`, from.port, from.address))
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r))
  return { port: socket.address().port, close: () => new Promise<void>((r) => socket.close(() => r())) }
}
