// The shop's accounts service, small enough to run without Docker: `switchyard run` starts it
// with PORT set (env.yaml, local.accounts). It answers GET /accounts with the tenant's accounts.
import http from 'node:http'

const ACCOUNTS = { a: ['alice', 'amir'], b: ['bob', 'bea'] }

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://accounts')
  const tenant = req.headers['x-tenant'] ?? ''
  const body = { service: 'accounts', pid: process.pid, method: req.method, path: url.pathname, tenant, version: url.searchParams.get('v'), accounts: ACCOUNTS[tenant] ?? [] }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body) + '\n')
})
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`listening on 127.0.0.1:${process.env.PORT} (pid ${process.pid})`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
