/**
 * Workers: does throughput grow with `serve --workers N` (issue 10: "throughput grows with
 * workers")? Switchyard with 1 and with 2 worker processes, both allowed on cores 0 and 1, under
 * the same load (100 B, 50 keep-alive connections), rounds in rotating order. On a 2-core machine
 * wrk and the nginx backend stay on core 1, so a second worker competes with them for that core:
 * the ratio shows what this machine can show, not what more cores would.
 */
import { gatewayYaml } from '../gateway-config.ts'
import { CPU } from '../peers.ts'
import { freePort } from '../procs.ts'
import { measureRounds, type Target } from '../rounds.ts'
import { needsNginxAndWrk, backendFor, scenarioDir, tryStart, type Scenario } from '../scenario.ts'
import { startSwitchyard } from '../switchyard.ts'
import { loadTable, summarise } from '../table.ts'
import { availableParallelism } from 'node:os'

const COUNTS = [1, 2] as const
/** Every core this benchmark pins to: the proxy's and the load's. */
const BOTH = `${CPU.proxy},${CPU.load}`

export const workersScenario: Scenario = {
  name: 'workers',
  summary: `worker scaling: Switchyard with ${COUNTS.join(' and ')} worker processes (serve --workers N), 100 B, 50 connections`,
  missing: needsNginxAndWrk,
  async run(ctx) {
    const dir = scenarioDir(ctx, 'workers')
    const backend = await backendFor(ctx, dir)
    const targets: Target[] = []
    const unavailable = new Map<string, string>()
    for (const n of COUNTS) {
      const name = `${n} worker${n > 1 ? 's' : ''}`
      const port = await freePort()
      const sw = await tryStart(name, unavailable, ctx, () => startSwitchyard(`switchyard-w${n}`, dir, gatewayYaml({ backend: backend.port, http: { port } }), 60_000, { workers: n, cpu: BOTH }))
      if (sw) targets.push({ name, url: `http://127.0.0.1:${port}/` })
    }
    const names = targets.map((t) => t.name)
    const rounds = await measureRounds(ctx, 'workers', targets, { connections: 50 }, dir)
    const base = names[0] ?? '1 worker'
    return [
      {
        title: 'Worker processes: Switchyard `serve --workers N`, HTTP/1.1 keep-alive, 100 B body, 50 connections',
        body: `${loadTable(summarise(names, rounds, [base]), [base], 'rps', unavailable)}
Every Switchyard here may run on cores ${BOTH} (\`taskset -c ${BOTH}\`, ${availableParallelism()} cores on this machine); wrk and the nginx backend stay on core ${CPU.load}, so they share a core with the workers and a second worker competes with them. The ratio is the throughput of N workers over one worker's, taken within each round.
`,
      },
    ]
  },
}
