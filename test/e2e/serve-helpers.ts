import { execFileSync } from 'node:child_process'
import dgram from 'node:dgram'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type http2 from 'node:http2'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import tls from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServe, type ServeOptions, type Serving } from '../../src/cli/serve.ts'

/** A backend that answers with what it saw, as JSON; `?status=N`, `?delay=ms` shape the answer. Upgrades echo raw bytes. */
export async function echoBackend(name: string): Promise<{ port: number; hits: () => number; close: () => Promise<void> }> {
  let hits = 0
  const server = http.createServer((req, res) => {
    hits++
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x')
      const status = Number(u.searchParams.get('status') ?? 200)
      const send = () => {
        const body = JSON.stringify({ backend: name, method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() })
        res.writeHead(status, { 'content-type': 'application/json', 'x-backend': name, 'x-remove-me': 'yes' })
        res.end(body)
      }
      const delay = Number(u.searchParams.get('delay') ?? 0)
      if (delay > 0) {
        const t = setTimeout(send, delay)
        res.once('close', () => clearTimeout(t))
      } else send()
    })
  })
  server.on('upgrade', (req, socket, head) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: ${req.headers.upgrade}\r\nconnection: Upgrade\r\nx-backend: ${name}\r\n\r\n`)
    if (head.length) socket.write(head)
    socket.pipe(socket)
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    hits: () => hits,
    close: () => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())),
  }
}

/** A Service (port 80) and its EndpointSlice pointing at local ports; `protocol` UDP for UDPRoutes. */
export function service(name: string, ports: readonly number[], appProtocol?: string, protocol: 'TCP' | 'UDP' = 'TCP'): string {
  const ap = `${appProtocol ? `, appProtocol: ${appProtocol}` : ''}${protocol === 'UDP' ? ', protocol: UDP' : ''}`
  return `apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec: { ports: [{ name: http, port: 80${ap} }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${name}-1, labels: { kubernetes.io/service-name: ${name} } }
addressType: IPv4
ports: [{ name: http, port: ${ports[0] ?? 1}${ap} }]
endpoints: [${ports.length ? '{ addresses: [127.0.0.1] }' : ''}]
`
}

/**
 * A TLSRoute, TCPRoute or UDPRoute on Gateway `gw` (on listener `section` if given) to Services at
 * port 80, each `name` or `name:weight`.
 */
export function l4Route(kind: 'TLSRoute' | 'TCPRoute' | 'UDPRoute', name: string, backends: readonly string[], opts: { section?: string; hostnames?: readonly string[] } = {}): string {
  const refs = backends.map((b) => {
    const [svc, weight] = b.split(':')
    return `{ name: ${svc}, port: 80${weight ? `, weight: ${weight}` : ''} }`
  })
  return `---
apiVersion: gateway.networking.k8s.io/${kind === 'TLSRoute' ? 'v1' : 'v1alpha2'}
kind: ${kind}
metadata: { name: ${name} }
spec:
  parentRefs: [{ name: gw${opts.section ? `, sectionName: ${opts.section}` : ''} }]
${opts.hostnames ? `  hostnames: [${opts.hostnames.map((h) => JSON.stringify(h)).join(', ')}]\n` : ''}  rules: [{ backendRefs: [${refs.join(', ')}] }]
`
}

/** An HTTPRoute `name` on Gateway `gw` sending everything to Service `backend` at port 80. */
export function catchAllRoute(backend: string, name = 'r'): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name} }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ backendRefs: [{ name: ${backend}, port: 80 }] }]
`
}

/** An HTTPRoute on Gateway `gw` with `rules`: YAML list items indented four spaces, each line ending in a newline. */
export function httpRoute(rules: string, name = 'r'): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name} }
spec:
  parentRefs: [{ name: gw }]
  rules:
${rules}`
}

export const GATEWAY_CLASS = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: switchyard }
spec: { controllerName: switchyard.dev/gateway-controller }
`

/**
 * Our GatewayClass and a Gateway `gw` in `default` with the given listeners, each a YAML flow
 * mapping such as `{ name: http, port: 8080, protocol: HTTP }`: the fixture every serve test starts from.
 */
export function gatewayWith(...listeners: string[]): string {
  return `${GATEWAY_CLASS}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: switchyard
  listeners:
${listeners.map((l) => `    - ${l}\n`).join('')}`
}

/** A temporary directory with files; `write` replaces a file atomically (as editors do). */
export function configDir(files: Record<string, string>): { dir: string; write: (name: string, text: string) => void; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'))
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, `.${name}.tmp`), text)
    execFileSync('mv', [join(dir, `.${name}.tmp`), join(dir, name)])
  }
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t)
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * startServe on ephemeral ports, no access log unless asked; `portOf(P)` finds where listener port P
 * is bound (its TCP port, else its UDP port; `portOf(P, 'udp')` asks for UDP).
 */
export async function serve(files: string[], more: Partial<ServeOptions> = {}): Promise<Serving & { portOf: (p: number, transport?: 'tcp' | 'udp') => number; adminUrl: string }> {
  const s = await startServe({ files, admin: '127.0.0.1:0', ephemeralPorts: true, accessLog: null, eventLog: () => {}, debounceMs: 20, drainMs: 1000, ...more })
  return Object.assign(s, {
    portOf: (p: number, transport?: 'tcp' | 'udp') => {
      const on = (t: 'tcp' | 'udp') => s.bound().find((x) => x.key.endsWith(`:${p}`) && (x.kind === 'udp') === (t === 'udp'))
      const b = transport ? on(transport) : (on('tcp') ?? on('udp'))
      if (!b) throw new Error(`listener port ${p} is not bound`)
      return b.port
    },
    adminUrl: `http://${s.admin.address}`,
  })
}

export interface Got {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  json: () => { backend: string; method: string; url: string; headers: Record<string, string>; body: string }
}

/** One HTTP/1.1 request to 127.0.0.1 (or `opts.host`), with a fresh connection unless an agent is given. */
export function get(port: number, path: string, headers: Record<string, string> = {}, opts: { method?: string; body?: string; agent?: http.Agent; host?: string } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: opts.host ?? '127.0.0.1', port, path, method: opts.method ?? 'GET', headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString()
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) })
      })
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** Polls until `f` returns true, at most `ms`. */
export async function until(f: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** A self-signed certificate (openssl) for subject alternative names such as `DNS:a.test` or `IP:127.0.0.1`. */
export function selfSignedCert(subjectAltNames: readonly string[]): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-cert-'))
  try {
    const cn = subjectAltNames[0]!.replace(/^[A-Z]+:/, '')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${subjectAltNames.join(',')}`, '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' })
    return { certPem: readFileSync(join(dir, 'c.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'k.pem'), 'utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A self-signed certificate for `names`, as a kubernetes.io/tls Secret document. */
export function tlsSecret(name: string, names: readonly string[]): { yaml: string; certPem: string } {
  const { certPem, keyPem } = selfSignedCert(names.map((n) => `DNS:${n}`))
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  return { certPem, yaml: `apiVersion: v1\nkind: Secret\nmetadata: { name: ${name} }\ntype: kubernetes.io/tls\ndata: { tls.crt: ${b64(certPem)}, tls.key: ${b64(keyPem)} }\n` }
}

/**
 * A plain TCP backend: answers each chunk with `<name>:<chunk>`; when the client half-closes, says
 * `<name>:bye` and closes its side too (so a test sees half-close work both ways).
 */
export async function tcpBackend(name: string): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    connections++
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
    s.on('data', (d: Buffer) => s.write(`${name}:${d}`))
    s.on('end', () => s.end(`${name}:bye`))
    s.on('error', () => {})
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((r) => (server.close(() => r()), sockets.forEach((s) => s.destroy()))),
  }
}

/**
 * A TLS backend with its own certificate, as a passthrough route's backend is: after the handshake it
 * writes one JSON line `{"backend","sni","alpn"}`, then answers each chunk with `<name>:<chunk>`.
 */
export async function tlsBackend(name: string, cert: { certPem: string; keyPem: string }): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<tls.TLSSocket>()
  const server = tls.createServer({ cert: cert.certPem, key: cert.keyPem, ALPNProtocols: ['h2', 'http/1.1'], allowHalfOpen: true }, (s) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
    s.write(JSON.stringify({ backend: name, sni: s.servername || null, alpn: s.alpnProtocol || null }) + '\n')
    s.on('data', (d: Buffer) => s.write(`${name}:${d}`))
    s.on('end', () => s.end(`${name}:bye`))
    s.on('error', () => {})
  })
  server.on('tlsClientError', () => {})
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => (server.close(() => r()), sockets.forEach((s) => s.destroy()))) }
}

/** A UDP backend that answers each datagram with `<name>:<datagram>` to whoever sent it. */
export async function udpBackend(name: string): Promise<{ port: number; datagrams: () => number; close: () => Promise<void> }> {
  let datagrams = 0
  const socket = dgram.createSocket('udp4')
  socket.on('message', (m, from) => {
    datagrams++
    socket.send(`${name}:${m}`, from.port, from.address)
  })
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r))
  return { port: socket.address().port, datagrams: () => datagrams, close: () => new Promise<void>((r) => socket.close(() => r())) }
}

/**
 * Reads from `s` until the text received so far satisfies `done`; rejects if the stream ends first
 * or after `ms` (a test that fails this way still reaches its `finally` and stops what it started).
 */
export function readUntil(s: Duplex, done: (text: string) => boolean, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`nothing satisfied the wait within ${ms} ms; received ${JSON.stringify(text.slice(0, 500))}`))
    }, ms)
    const onData = (d: Buffer) => {
      text += d
      if (done(text)) {
        cleanup()
        resolve(text)
      }
    }
    const onEnd = () => {
      cleanup()
      reject(new Error(`the stream ended after ${JSON.stringify(text)}`))
    }
    const cleanup = () => {
      clearTimeout(timer)
      s.off('data', onData)
      s.off('end', onEnd)
      s.off('close', onEnd)
      s.off('error', onEnd)
    }
    s.on('data', onData)
    s.once('end', onEnd)
    s.once('close', onEnd)
    s.once('error', onEnd)
  })
}

/** Resolves when `s` has closed, with the error it closed on (null for a clean close). */
export function closed(s: Duplex): Promise<Error | null> {
  return new Promise((resolve) => {
    let error: Error | null = null
    s.on('error', (e) => (error = e))
    if (s.destroyed) resolve(error)
    else s.once('close', () => resolve(error))
  })
}

/**
 * One HTTPS GET of `/x` on a fresh connection to 127.0.0.1:`port` with this SNI and Host: its
 * status, the certificate the gateway presented, and the body. The certificate must be valid for
 * the SNI, as a client would require, unless `anyName`: then a test can send any SNI and read
 * which certificate came back.
 */
export function httpsGet(port: number, servername: string, host: string, ca: readonly string[], anyName = false): Promise<{ status: number; cert: tls.PeerCertificate; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, servername, ca: [...ca], path: '/x', headers: { host }, agent: false, ...(anyName ? { checkServerIdentity: () => undefined } : {}) }, (res) => {
      const cert = (res.socket as tls.TLSSocket).getPeerCertificate()
      let body = ''
      res.on('data', (c: Buffer) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cert, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** A TLS connection to the gateway on 127.0.0.1: resolves once the handshake is done, rejects if it fails. */
export function tlsConnect(port: number, servername: string, ca: readonly string[], more: tls.ConnectionOptions = {}): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    // Half-open, so a test can end its side and still read the backend's answer.
    const s = tls.connect({ socket: net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }), servername, ca: [...ca], ...more })
    s.once('secureConnect', () => {
      s.off('error', reject)
      resolve(s)
    })
    s.once('error', reject)
  })
}

/** Sends one datagram from `socket` to the gateway and waits for the next datagram back. */
export function udpExchange(socket: dgram.Socket, port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('message', (m) => resolve(m.toString()))
    socket.send(text, port, '127.0.0.1')
  })
}

/** The value of one Prometheus sample (name and labels exactly as rendered), or 0 if absent. */
export async function metric(adminUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(sample + ' '))
  return line ? Number(line.slice(sample.length + 1)) : 0
}

/** A TCP port free on 127.0.0.1 right now (bound and released; a test that needs a fixed port uses it at once). */
export async function freePort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/**
 * A WebSocket handshake (RFC 6455 §4.1) to 127.0.0.1: over TLS when `tlsOptions` are given.
 * Resolves with the 101 response's headers and the upgraded socket; rejects on any other answer.
 */
export function webSocket(port: number, path: string, host: string, tlsOptions?: { servername: string; ca: readonly string[] }): Promise<{ headers: http.IncomingHttpHeaders; socket: Duplex }> {
  return new Promise((resolve, reject) => {
    const headers = { host, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }
    const options = { host: '127.0.0.1', port, path, agent: false as const, headers }
    const req = tlsOptions ? https.request({ ...options, servername: tlsOptions.servername, ca: [...tlsOptions.ca] }) : http.request(options)
    req.on('upgrade', (res, socket) => (res.statusCode === 101 ? resolve({ headers: res.headers, socket }) : reject(new Error(`upgrade answered ${res.statusCode}`))))
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)))
    req.on('error', reject)
    req.end()
  })
}

/** One HTTP/2 request on `session`: its status and body. */
export function h2Request(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = session.request(headers)
    let status = 0
    let text = ''
    req.on('response', (h) => (status = Number(h[':status'])))
    req.on('data', (c: Buffer) => (text += c))
    req.on('end', () => resolve({ status, body: text }))
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * `loops` clients sending GET `path` one after another over keep-alive connections until stopped,
 * counting answers: what reload tests keep flowing on a route that must not notice the reload.
 */
export function steadyLoad(port: number, path: string, headers: Record<string, string>, loops = 4): { readonly failures: string[]; ok(): number; slowestMs(): number; stop(): Promise<void> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: loops })
  const failures: string[] = []
  let stopped = false
  let ok = 0
  let slowest = 0
  const loop = async () => {
    while (!stopped) {
      const t0 = performance.now()
      try {
        const r = await get(port, path, headers, { agent })
        if (r.status === 200) ok++
        else failures.push(`status ${r.status}`)
      } catch (e) {
        failures.push((e as Error).message)
      }
      slowest = Math.max(slowest, performance.now() - t0)
    }
  }
  const running = Array.from({ length: loops }, loop)
  return {
    failures,
    ok: () => ok,
    slowestMs: () => slowest,
    stop: async () => {
      stopped = true
      await Promise.all(running)
      agent.destroy()
    },
  }
}
