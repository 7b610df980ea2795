/**
 * HTTP/1.1 keep-alive through each proxy: 100-byte and 16 KiB bodies, 50 connections
 * (throughput, issue 10's headline: per core relative to nginx) and 1 connection (latency: the
 * p50 each proxy adds over going direct; there also Switchyard with `--busy-poll 0`, which does
 * not poll after writes as it does by default).
 */
import { gatewayYaml } from '../gateway-config.ts'
import { freePort } from '../procs.ts'
import { measureRounds, warmUp } from '../rounds.ts'
import { needsNginxAndWrk, scenarioDir, tryStart, type BenchContext, type Scenario, type Section } from '../scenario.ts'
import { startSwitchyard } from '../switchyard.ts'
import { loadTable, summarise } from '../table.ts'
import { DIRECT, NGINX, startHttpPeers, type HttpTarget } from './http-peers.ts'

// Warm-up per case (rounds.ts): the first load meets freshly started processes, which take a few
// seconds to reach their steady rate; later cases run on the same, warm processes. The
// Switchyard that does not busy-poll, measured only at one connection and 100 B, is warmed with the first.
const CASES = [
  { body: '100 B', path: '/', connections: 50, warmupS: 3, withoutPolling: false },
  { body: '100 B', path: '/', connections: 1, warmupS: 0, withoutPolling: true },
  { body: '16 KiB', path: '/16k', connections: 50, warmupS: 0, withoutPolling: false },
  { body: '16 KiB', path: '/16k', connections: 1, warmupS: 0, withoutPolling: false },
] as const

/** Switchyard with busy-polling off (docs/serve.md): what the default's polling buys at one connection. */
const NO_BUSY_POLL = 'switchyard --busy-poll 0'

export const httpScenario: Scenario = {
  name: 'http',
  summary: 'HTTP/1.1 keep-alive: 100 B and 16 KiB bodies, 50 and 1 connections',
  missing: needsNginxAndWrk,
  async run(ctx) {
    const dir = scenarioDir(ctx, 'http')
    const { targets, unavailable, backendPort } = await startHttpPeers(ctx, dir)
    const sleeping = await startWithoutBusyPolling(ctx, dir, backendPort, unavailable)
    const sections: Section[] = []
    for (const [i, c] of CASES.entries()) {
      const label = `http ${c.body} c${c.connections}`
      const measured: HttpTarget[] = c.withoutPolling && sleeping ? [...targets, sleeping] : targets
      // The process without polling gets the first case's warm-up too.
      if (i === 0 && sleeping) await warmUp(ctx, [{ name: sleeping.name, url: sleeping.base + c.path }], { connections: c.connections, warmupS: c.warmupS }, dir)
      const rounds = await measureRounds(ctx, label, measured.map((t) => ({ name: t.name, url: t.base + c.path })), { connections: c.connections, warmupS: c.warmupS }, dir)
      const baselines = targets.some((t) => t.name === NGINX) ? [DIRECT, NGINX] : [DIRECT]
      const names = measured.map((t) => t.name)
      sections.push({
        title: `HTTP/1.1 keep-alive, ${c.body} body, ${c.connections} connection${c.connections > 1 ? 's' : ''}`,
        body: loadTable(summarise(names, rounds, baselines), baselines, 'rps', unavailable),
      })
    }
    return sections
  },
}

async function startWithoutBusyPolling(ctx: BenchContext, dir: string, backendPort: number, unavailable: Map<string, string>): Promise<HttpTarget | null> {
  const port = await freePort()
  const started = await tryStart(NO_BUSY_POLL, unavailable, ctx, async () => (await startSwitchyard('switchyard-no-busy-poll', dir, gatewayYaml({ backend: backendPort, http: { port } }), undefined, { args: ['--busy-poll', '0'] })).proc)
  return started ? { name: NO_BUSY_POLL, base: `http://127.0.0.1:${port}`, proc: started } : null
}
