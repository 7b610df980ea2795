/**
 * Route scale: is the per-request cost flat in the number of routes? Two Switchyards — 10 and
 * 10,000 HTTPRoutes mixing exact and wildcard hosts, prefixes, exact paths with a method, and
 * header matches — under the same request mix (wrk cycling 100 requests spread over the routes).
 * And the control-plane cost of 10,000 routes: load, translate, validate, compile, in-process.
 */
import { once } from 'node:events'
import { gatewayYaml, scaleRoutes } from '../gateway-config.ts'
import { CPU } from '../peers.ts'
import { freePort, logTail, start } from '../procs.ts'
import { measureRounds, type Target } from '../rounds.ts'
import { needsNginxAndWrk, backendFor, scenarioDir, type BenchContext, type Scenario, type Section } from '../scenario.ts'
import { startSwitchyard } from '../switchyard.ts'
import { loadTable, markdownTable, median, summarise } from '../table.ts'
import { writeRequestCycle } from '../wrk.ts'
import { join } from 'node:path'

const SMALL = 10
const LARGE = 10_000
/**
 * The difference looked for is small (1.2×) and 2 s runs on a shared machine move by more than
 * that, so this scenario takes at least 5 rounds of at least 5 s, the two targets alternating.
 */
const MIN_ROUNDS = 5
const MIN_DURATION_S = 5

export const routeScaleScenario: Scenario = {
  name: 'routes',
  summary: `route scale: per-request cost at ${SMALL} vs ${LARGE.toLocaleString('en-US')} HTTPRoutes; translate + compile time`,
  missing: needsNginxAndWrk,
  async run(ctx) {
    const dir = scenarioDir(ctx, 'routes')
    const sections: Section[] = [await compileTime(ctx, dir)]
    const backend = await backendFor(ctx, dir)
    const targets: Target[] = []
    const startup: string[][] = []
    for (const n of [SMALL, LARGE]) {
      const port = await freePort()
      const { yaml, requests } = scaleRoutes(n)
      const t0 = Date.now()
      await startSwitchyard(`switchyard-${n}`, dir, gatewayYaml({ backend: backend.port, http: { port }, catchAll: false, extra: yaml }), 180_000)
      startup.push([`${n.toLocaleString('en-US')} routes`, `${((Date.now() - t0) / 1000).toFixed(1)} s`])
      ctx.log(`switchyard with ${n} routes ready in ${Date.now() - t0} ms`)
      targets.push({ name: `${n.toLocaleString('en-US')} routes`, url: `http://127.0.0.1:${port}/`, script: writeRequestCycle(dir, `routes-${n}`, requests) })
    }
    const names = targets.map((t) => t.name)
    const rounds = await measureRounds({ ...ctx, rounds: Math.max(ctx.rounds, MIN_ROUNDS) }, 'route scale', targets, { connections: 50, durationS: Math.max(ctx.durationS, MIN_DURATION_S) }, dir)
    sections.push({
      title: `Route scale: Switchyard at ${SMALL} vs ${LARGE.toLocaleString('en-US')} HTTPRoutes, 50 connections, 100 B body`,
      body: `${loadTable(summarise(names, rounds, [names[0]!]), [names[0]!], 'rps')}
${rounds.length} rounds of ${Math.max(ctx.durationS, MIN_DURATION_S)} s, the two targets alternating. wrk cycles through ${Math.min(100, SMALL)} / 100 requests spread evenly over the routes (exact and wildcard hosts, prefixes, exact paths with a method, and a quarter of the routes on one host and path told apart by a header); any non-2xx would mean a request missed its route. The ratio is the per-request cost ratio inverted: 1.00× is flat. Start-up to \`/readyz\`: ${startup.map((s) => `${s[0]} ${s[1]}`).join(', ')}.
`,
    })
    return sections
  },
}

/** Time load → translate → validate → compile of 10,000 routes in a child pinned to the proxy core. */
async function compileTime(ctx: BenchContext, dir: string): Promise<Section> {
  const rounds = ctx.quick ? 3 : 5
  const p = start('translate-time', process.execPath, [join(import.meta.dirname, '..', 'translate-time.ts'), String(LARGE), String(rounds)], { cpu: CPU.proxy, logDir: dir, piped: true })
  let out = ''
  p.child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 300_000)
  const [code] = (await once(p.child, 'close')) as [number | null]
  clearTimeout(timer)
  if (code !== 0) throw new Error(`translate-time failed (${code}):\n${logTail(p)}`)
  const t = JSON.parse(out) as Record<'loadMs' | 'translateMs' | 'validateMs' | 'compileMs' | 'reloadLoadMs', number[]>
  const total = t.loadMs.map((_, i) => t.loadMs[i]! + t.translateMs[i]! + t.validateMs[i]! + t.compileMs[i]!)
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`
  ctx.log(`translate + compile of ${LARGE} routes: ${ms(total)}`)
  return {
    title: `Control plane: ${LARGE.toLocaleString('en-US')} HTTPRoutes, in-process (${rounds} rounds, median)`,
    body: `${markdownTable(
      ['stage', 'median'],
      [
        ['load (YAML → objects, with positions)', ms(t.loadMs)],
        ['load of a reload with one document changed (LoadCache)', ms(t.reloadLoadMs)],
        ['translate (objects → IR + status)', ms(t.translateMs)],
        ['ir.validate', ms(t.validateMs)],
        ['compile (IR → lookup tables)', ms(t.compileMs)],
        ['translate + compile (without load)', ms(t.translateMs.map((x, i) => x + t.compileMs[i]!))],
        ['total (first load)', ms(total)],
      ],
    )}`,
  }
}
