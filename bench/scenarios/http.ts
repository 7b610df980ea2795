/**
 * HTTP/1.1 keep-alive through each proxy: 100-byte and 16 KiB bodies, 50 connections
 * (throughput, issue 10's headline: per core relative to nginx) and 1 connection (latency: the
 * p50 each proxy adds over going direct).
 */
import { measureRounds } from '../rounds.ts'
import { needsNginxAndWrk, scenarioDir, type Scenario, type Section } from '../scenario.ts'
import { loadTable, summarise } from '../table.ts'
import { DIRECT, NGINX, startHttpPeers } from './http-peers.ts'

// Warm-up per case (rounds.ts): the first load meets freshly started processes, which take a few
// seconds to reach their steady rate; a one-connection case reuses what the case before it warmed.
const CASES = [
  { body: '100 B', path: '/', connections: 50, warmupS: 3 },
  { body: '100 B', path: '/', connections: 1, warmupS: 0 },
  { body: '16 KiB', path: '/16k', connections: 50, warmupS: 1 },
  { body: '16 KiB', path: '/16k', connections: 1, warmupS: 0 },
] as const

export const httpScenario: Scenario = {
  name: 'http',
  summary: 'HTTP/1.1 keep-alive: 100 B and 16 KiB bodies, 50 and 1 connections',
  missing: needsNginxAndWrk,
  async run(ctx) {
    const dir = scenarioDir(ctx, 'http')
    const { targets, unavailable } = await startHttpPeers(ctx, dir)
    const sections: Section[] = []
    for (const c of CASES) {
      const label = `http ${c.body} c${c.connections}`
      const rounds = await measureRounds(ctx, label, targets.map((t) => ({ name: t.name, url: t.base + c.path })), { connections: c.connections, warmupS: c.warmupS }, dir)
      const baselines = targets.some((t) => t.name === NGINX) ? [DIRECT, NGINX] : [DIRECT]
      sections.push({
        title: `HTTP/1.1 keep-alive, ${c.body} body, ${c.connections} connection${c.connections > 1 ? 's' : ''}`,
        body: loadTable(summarise(targets.map((t) => t.name), rounds, baselines), baselines, 'rps', unavailable),
      })
    }
    return sections
  },
}
