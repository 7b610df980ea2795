// The shop's frontend, small enough to run without Docker: `switchyard run` starts it with PORT
// and the CONNECTION_ACCOUNTS_* variables its `accounts` connection defines (app.yaml), the same
// names Kubernetes would set — here they point at where accounts runs on this machine. Every page
// calls accounts through them: service-to-service traffic (the Routes design note's user story 1).
import http from 'node:http'

const accounts = `${process.env.CONNECTION_ACCOUNTS_SCHEME}://${process.env.CONNECTION_ACCOUNTS_HOSTNAME}:${process.env.CONNECTION_ACCOUNTS_PORT}`

const server = http.createServer(async (req, res) => {
  let fromAccounts
  try {
    const r = await fetch(`${accounts}/accounts?v=2`, { headers: { 'x-tenant': 'a' } })
    fromAccounts = await r.json()
  } catch (e) {
    fromAccounts = { error: `accounts at ${accounts} did not answer: ${e.cause?.code ?? e.message}` }
  }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ service: 'frontend', pid: process.pid, path: req.url, host: req.headers.host, accountsAt: accounts, fromAccounts }) + '\n')
})
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`listening on 127.0.0.1:${process.env.PORT} (pid ${process.pid}); accounts at ${accounts}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
