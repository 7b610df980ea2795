import dgram from 'node:dgram'
import http from 'node:http'
import net from 'node:net'
import tls from 'node:tls'
import { SwitchyardError } from '../diag/index.ts'
import type { IssuedCertificate } from './local-ca.ts'
import { sniff } from './sniff.ts'

/** Who a stand-in port answers as: the container and port it stands in for. */
export interface StandInIdentity {
  /** `<resource>` or `<resource>/<container>`. */
  readonly container: string
  /** The port's name in the app. */
  readonly port: string
}

export interface StandInOptions {
  readonly identity: StandInIdentity
  readonly protocol: 'TCP' | 'UDP'
  readonly host: string
  /** 0: an ephemeral port. */
  readonly port: number
  /** The certificate TLS clients get (issued by the local CA for the routes' hostnames). */
  readonly certificate: () => IssuedCertificate
}

export interface StandIn {
  readonly port: number
  close(): Promise<void>
}

const MAX_BODY = 64 * 1024

/**
 * The built-in stand-in for a container that does not run here yet: it answers on the port with
 * who it is and what it saw, so routes can be tried before the services exist. A TCP port tells
 * from the client's first bytes what it speaks (sniff.ts): HTTP gets a JSON description of the
 * request; TLS is terminated with a certificate from the local CA and what follows is answered the
 * same way, with the SNI the client sent; anything else gets an identity line, then its bytes
 * echoed. A UDP port answers each datagram with the identity line and the datagram.
 */
export async function startStandIn(o: StandInOptions): Promise<StandIn> {
  return o.protocol === 'UDP' ? startUDP(o) : startTCP(o)
}

function identityLine(o: StandInOptions, protocol: string, localPort: number, sni?: string | null): string {
  return JSON.stringify({ standIn: true, container: o.identity.container, port: o.identity.port, localPort, protocol, ...(sni !== undefined ? { tls: { sni } } : {}) }) + '\n'
}

async function startTCP(o: StandInOptions): Promise<StandIn> {
  let localPort = 0
  const sockets = new Set<net.Socket>()
  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      if (size < MAX_BODY) chunks.push(c)
      size += c.length
    })
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in')
      const secure = req.socket instanceof tls.TLSSocket
      const body = JSON.stringify(
        {
          standIn: true,
          container: o.identity.container,
          port: o.identity.port,
          localPort,
          protocol: secure ? 'https' : 'http',
          method: req.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: req.headers,
          ...(secure ? { tls: { sni: (req.socket as tls.TLSSocket).servername || null } } : {}),
          ...(size > 0 ? { body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY), bodyBytes: size } : {}),
        },
        null,
        2,
      )
      res.writeHead(200, { 'content-type': 'application/json', 'x-stand-in': o.identity.container })
      res.end(body + '\n')
    })
  })
  let context: tls.SecureContext | null = null
  let contextFor: IssuedCertificate | null = null
  const secureContext = () => {
    const cert = o.certificate()
    if (cert !== contextFor) {
      context = tls.createSecureContext({ cert: cert.certPem, key: cert.keyPem })
      contextFor = cert
    }
    return context!
  }
  // Only HTTP/1.1 is offered by ALPN: the stand-in speaks HTTP/1 inside TLS.
  const tlsServer = tls.createServer({ SNICallback: (_name, cb) => cb(null, secureContext()), ALPNProtocols: ['http/1.1'] })
  tlsServer.on('secureConnection', (s: tls.TLSSocket) => dispatch(s, true))
  tlsServer.on('tlsClientError', (_e, s) => s.destroy())

  const dispatch = (socket: net.Socket, inTLS: boolean) => {
    let seen = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk])
      const kind = inTLS && seen[0] === 0x16 ? 'tcp' : sniff(seen)
      if (kind === 'more') return
      socket.off('data', onData)
      socket.pause()
      socket.unshift(seen)
      if (kind === 'http') httpServer.emit('connection', socket)
      else if (kind === 'tls' && !inTLS) tlsServer.emit('connection', socket)
      else {
        const sni = inTLS ? (socket as tls.TLSSocket).servername || null : undefined
        socket.write(identityLine(o, inTLS ? 'tls' : 'tcp', localPort, sni))
        socket.pipe(socket)
      }
      process.nextTick(() => socket.resume())
    }
    socket.on('data', onData)
    socket.on('error', () => socket.destroy())
  }

  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    dispatch(socket, false)
  })
  localPort = await listen(server, o)
  return {
    port: localPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
        httpServer.closeAllConnections()
      }),
  }
}

function listen(server: net.Server, o: StandInOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (cause) => reject(new SwitchyardError('LOCAL_PORT_UNAVAILABLE', `the stand-in for ${o.identity.container} port ${o.identity.port} cannot listen on ${o.host}:${o.port}: ${cause.message}`, { cause })))
    server.listen(o.port, o.host, () => resolve((server.address() as net.AddressInfo).port))
  })
}

async function startUDP(o: StandInOptions): Promise<StandIn> {
  const socket = dgram.createSocket(net.isIPv6(o.host) ? 'udp6' : 'udp4')
  let localPort = 0
  socket.on('message', (msg, rinfo) => {
    socket.send(Buffer.concat([Buffer.from(identityLine(o, 'udp', localPort)), msg]), rinfo.port, rinfo.address)
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (cause) => reject(new SwitchyardError('LOCAL_PORT_UNAVAILABLE', `the stand-in for ${o.identity.container} port ${o.identity.port} cannot bind ${o.host}:${o.port}/udp: ${cause.message}`, { cause })))
    socket.bind(o.port, o.host, () => resolve())
  })
  localPort = socket.address().port
  return { port: localPort, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) }
}
