/**
 * The Node peer: a `node:http` server forwarding to one upstream through undici's `Pool.stream`,
 * the fastest of the common Node proxy set-ups in issue 10's survey (~0.3× nginx per core). It is
 * what a careful Node developer writes in twenty lines, so Switchyard is measured against it.
 *
 * Usage: node bench/node-proxy.ts <listen port> <upstream port>
 */
import http from 'node:http'
import { Pool } from 'undici'

const [listen, upstream] = process.argv.slice(2).map(Number)
if (!listen || !upstream) {
  process.stderr.write('usage: node bench/node-proxy.ts <listen port> <upstream port>\n')
  process.exit(2)
}

// RFC 9110 §7.6.1: connection-specific fields are not forwarded (undici also refuses them).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect'])

function endToEnd(headers: http.IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v
  return out
}

const pool = new Pool(`http://127.0.0.1:${upstream}`, { connections: 64, pipelining: 1 })

const server = http.createServer({ keepAliveTimeout: 300_000 }, (req, res) => {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  pool.stream(
    { path: req.url ?? '/', method: req.method as 'GET', headers: endToEnd(req.headers), body: hasBody ? req : null },
    ({ statusCode, headers }) => {
      res.writeHead(statusCode, endToEnd(headers))
      return res
    },
    (err) => {
      if (!err) return
      if (!res.headersSent) {
        res.writeHead(502)
        res.end()
      } else res.destroy(err)
    },
  )
})
server.listen(listen, '127.0.0.1')
process.once('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  void pool.close()
})
