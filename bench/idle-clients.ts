/**
 * Opens many HTTP/1.1 keep-alive connections to one port, sends one `GET /` on each, reads each
 * response, then leaves them idle. Reports on stdout (JSON lines): `{"ready":…}` once every
 * connection has its response; answers `status` on stdin with `{"open":n}`; exits when stdin closes.
 *
 * Usage: node bench/idle-clients.ts <port> <count>
 */
import net from 'node:net'
import { createInterface } from 'node:readline'

const [port, count] = process.argv.slice(2).map(Number)
if (!port || !count) {
  process.stderr.write('usage: node bench/idle-clients.ts <port> <count>\n')
  process.exit(2)
}

/** Connections opened at once: below the listen backlogs, so no SYN is dropped and retried. */
const CONCURRENCY = 256
const sockets = new Set<net.Socket>()
let failed = 0
let firstError = ''

/** Connect, send one request, resolve when its whole response (Content-Length framed) is read. */
function open(): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port!, '127.0.0.1')
    let buf = ''
    let settled = false
    const settle = (ok: boolean, why = '') => {
      if (settled) return
      settled = true
      if (!ok) {
        failed++
        firstError ||= why
        s.destroy()
      }
      resolve()
    }
    s.setNoDelay(true)
    s.once('connect', () => {
      sockets.add(s)
      s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    })
    s.on('data', (d: Buffer) => {
      if (settled) return
      buf += d.toString('latin1')
      const end = buf.indexOf('\r\n\r\n')
      if (end < 0) return
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0)
      if (buf.length >= end + 4 + length) settle(/^HTTP\/1\.1 2\d\d/.test(buf), `status line ${buf.split('\r\n')[0]}`)
    })
    s.on('error', (e) => settle(false, e.message))
    s.on('close', () => {
      sockets.delete(s)
      settle(false, 'closed before the response')
    })
  })
}

let next = 0
async function worker(): Promise<void> {
  while (next < count!) {
    next++
    await open()
  }
}
await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker))
process.stdout.write(JSON.stringify({ ready: true, open: sockets.size, failed, firstError }) + '\n')

const rl = createInterface({ input: process.stdin })
rl.on('line', (line) => {
  if (line.trim() === 'status') process.stdout.write(JSON.stringify({ open: sockets.size }) + '\n')
})
rl.on('close', () => {
  for (const s of sockets) s.destroy()
  process.exit(0)
})
