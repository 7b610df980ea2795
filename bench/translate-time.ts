/**
 * Times the control-plane path of a reload in-process, stage by stage, on generated routes:
 * load (YAML → typed objects), translate (objects → IR + status), ir.validate, compile (IR →
 * Plan); and the load of a reload in which one document changed, through the LoadCache the
 * reload loop keeps (`reloadLoadMs`). Run as a child pinned to the proxy core; prints one JSON
 * line of per-round milliseconds.
 *
 * Usage: node bench/translate-time.ts <routes> <rounds>
 */
import { compile } from '../src/dataplane/index.ts'
import * as ir from '../src/ir/index.ts'
import { LoadCache, loadObjects, translate } from '../src/translator/index.ts'
import { gatewayYaml, scaleRoutes } from './gateway-config.ts'

const [n, rounds] = process.argv.slice(2).map(Number)
if (!n || !rounds) {
  process.stderr.write('usage: node bench/translate-time.ts <routes> <rounds>\n')
  process.exit(2)
}
const routeYaml = scaleRoutes(n).yaml
const text = gatewayYaml({ backend: 9, http: { port: 8080 }, catchAll: false, extra: routeYaml })
const now = '2025-01-01T00:00:00Z'
const times = { loadMs: [] as number[], translateMs: [] as number[], validateMs: [] as number[], compileMs: [] as number[], reloadLoadMs: [] as number[] }
// The reload loop's cache, primed with the configuration; each round then changes one document
// (the catch-all route's revision header), as the reload scenario does.
const cache = new LoadCache()
loadObjects([{ file: 'routes.yaml', text: gatewayYaml({ backend: 9, http: { port: 8080 }, revision: 0, extra: routeYaml }) }], { now, cache })
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now()
  const loaded = loadObjects([{ file: 'routes.yaml', text }], { now })
  const t1 = performance.now()
  const result = translate(loaded.objects, { now })
  const t2 = performance.now()
  const problems = ir.validate(result.ir)
  const t3 = performance.now()
  const plan = compile(result.ir)
  const t4 = performance.now()
  const routes = result.ir.ports.flatMap((p) => (p.kind === 'http' ? p.listeners.flatMap((l) => l.virtualHosts.flatMap((v) => v.routes)) : []))
  if (loaded.diagnostics.some((d) => d.severity === 'error') || problems.length > 0 || plan.ports.length !== 1 || routes.length < n)
    throw new Error(`the generated configuration did not translate cleanly: ${JSON.stringify({ diagnostics: loaded.diagnostics.slice(0, 3), problems: problems.slice(0, 3), routes: routes.length })}`)
  times.loadMs.push(t1 - t0)
  times.translateMs.push(t2 - t1)
  times.validateMs.push(t3 - t2)
  times.compileMs.push(t4 - t3)
  const edited = gatewayYaml({ backend: 9, http: { port: 8080 }, revision: r + 1, extra: routeYaml })
  const t5 = performance.now()
  const reloaded = loadObjects([{ file: 'routes.yaml', text: edited }], { now, cache })
  times.reloadLoadMs.push(performance.now() - t5)
  if (reloaded.objects.length !== loaded.objects.length + 1) throw new Error('the cached reload did not load every object')
}
process.stdout.write(JSON.stringify(times) + '\n')
