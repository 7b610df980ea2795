import net, { type AddressInfo } from 'node:net'
import tls from 'node:tls'

/**
 * The first TLS record node's own TLS client sends (its ClientHello, one record) for each option
 * set, captured on a plain TCP server: real ClientHellos for the parser's tests and for hostile
 * clients to cut, patch and replay.
 */
export async function nodeClientHellos(options: readonly tls.ConnectionOptions[]): Promise<Buffer[]> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  try {
    const out: Buffer[] = []
    for (const o of options) {
      const got = new Promise<Buffer>((resolve) =>
        server.once('connection', (s) => {
          let buf = Buffer.alloc(0)
          s.on('data', (d: Buffer) => {
            buf = Buffer.concat([buf, d])
            // A record: type, version, 16-bit length, then that many bytes (RFC 8446 §5.1).
            if (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) {
              resolve(buf.subarray(0, 5 + buf.readUInt16BE(3)))
              s.destroy()
            }
          })
        }),
      )
      const client = tls.connect({ host: '127.0.0.1', port, ...o })
      client.on('error', () => {})
      out.push(await got)
      client.destroy()
    }
    return out
  } finally {
    server.close()
  }
}
