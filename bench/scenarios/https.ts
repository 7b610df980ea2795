/**
 * HTTPS: TLS terminated at the proxy (ECDSA P-256, TLS 1.3 with every peer: wrk, node and HAProxy
 * default to it, nginx 1.22 is told to offer it), HTTP/1.1 to the backend. Keep-alive throughput,
 * and new handshakes per second (`Connection: close`: every request opens a connection and does a
 * full handshake; wrk resumes no session). The calibration peer terminates TLS with node's own
 * `tls.Server` in front of its no-checks proxy: what Node's TLS stack allows, not a product.
 */
import { gatewayYaml } from '../gateway-config.ts'
import { startHaproxy, startNginx, startNodeRawProxy } from '../peers.ts'
import { freePort } from '../procs.ts'
import { measureRounds, type Target } from '../rounds.ts'
import { needsNginxAndWrk, backendFor, scenarioDir, tryStart, type Scenario, type Section } from '../scenario.ts'
import { startSwitchyard } from '../switchyard.ts'
import { loadTable, summarise } from '../table.ts'
import { DIRECT, NGINX } from './http-peers.ts'

/** The calibration peer with TLS (bench/node-raw-proxy.ts behind node's `tls.Server`): a ceiling, not a product. */
const NODE_TLS_CEILING = 'node tls.Server, no checks (ceiling)'

export const httpsScenario: Scenario = {
  name: 'https',
  summary: 'HTTPS keep-alive and new ECDSA handshakes per second',
  missing: needsNginxAndWrk,
  async run(ctx) {
    const dir = scenarioDir(ctx, 'https')
    const backend = await backendFor(ctx, dir)
    const host = ctx.cert.hostname
    const unavailable = new Map<string, string>()
    // Direct: the backend's own TLS port (nginx terminating TLS itself, no proxy hop).
    const targets: { name: string; base: string }[] = [{ name: DIRECT, base: `https://${host}:${backend.tlsPort}` }]
    const https = async (port: number) => ({ port, upstream: backend.port, cert: ctx.cert.cert, key: ctx.cert.key, pem: ctx.cert.pem })
    const add = async (name: string, startIt: (port: number) => Promise<unknown>) => {
      const port = await freePort()
      if ((await tryStart(name, unavailable, ctx, () => startIt(port))) !== null) targets.push({ name, base: `https://${host}:${port}` })
    }
    await add('switchyard', (port) => startSwitchyard('switchyard', dir, gatewayYaml({ backend: backend.port, https: { port, certPem: ctx.cert.certPem, keyPem: ctx.cert.keyPem } })))
    await add(NGINX, async (port) => startNginx(ctx.tools, { dir, https: await https(port) }))
    if (ctx.tools.haproxy) await add('haproxy', async (port) => startHaproxy(ctx.tools, { dir, https: await https(port) }))
    else unavailable.set('haproxy', 'not installed')
    await add(NODE_TLS_CEILING, async (port) => startNodeRawProxy({ dir, https: await https(port) }))

    const sections: Section[] = []
    const names = targets.map((t) => t.name)
    const baselines = names.includes(NGINX) ? [DIRECT, NGINX] : [DIRECT]
    // Warm-up (rounds.ts): 2 s for freshly started processes; 10 s before handshakes, whose
    // once-per-connection code runs only a couple of thousand times a second in a Node process
    // and took 8–10 s of that load to reach its steady rate (docs/performance.md, "Warm-up").
    const cases: { title: string; label: string; headers: string[]; warmupS: number }[] = [
      { title: 'HTTPS keep-alive, 100 B body, 50 connections', label: 'https keep-alive', headers: [], warmupS: 2 },
      { title: 'HTTPS new handshakes (ECDSA P-256, `Connection: close`), 50 connections: requests/s = handshakes/s', label: 'https handshakes', headers: ['Connection: close'], warmupS: 10 },
    ]
    for (const c of cases) {
      const list: Target[] = targets.map((t) => ({ name: t.name, url: `${t.base}/`, headers: c.headers }))
      const rounds = await measureRounds(ctx, c.label, list, { connections: 50, warmupS: c.warmupS }, dir)
      sections.push({ title: c.title, body: loadTable(summarise(names, rounds, baselines), baselines, 'rps', unavailable) })
    }
    return sections
  },
}
