/**
 * Reload under load: while wrk keeps 50 keep-alive connections busy, the configuration is
 * rewritten again and again (each time with a new `x-bench-revision` response header, so the new
 * configuration is seen to be live before the next rewrite). Switchyard reloads 10,000 HTTPRoutes
 * from its watched file (one process on the proxy core, then 2 worker processes on both cores);
 * nginx reloads with SIGHUP. Every socket error and non-2xx counts.
 */
import http from 'node:http'
import { gatewayYaml, scaleRoutes } from '../gateway-config.ts'
import { nginxProxyConf } from '../peer-configs.ts'
import { CPU, startNginx, writeConfig } from '../peers.ts'
import { freePort, stop, waitFor } from '../procs.ts'
import { needsNginxAndWrk, backendFor, scenarioDir, tryStart, type BenchContext, type Scenario } from '../scenario.ts'
import { rewrite, startSwitchyard } from '../switchyard.ts'
import { formatCount, formatMs, markdownTable, median } from '../table.ts'
import { runWrk, type WrkResult } from '../wrk.ts'

const ROUTES = 10_000
/** One reload every this many ms (or right after the previous one went live, if that took longer). */
const EVERY_MS = 2000

export const reloadScenario: Scenario = {
  name: 'reload',
  summary: `reload under load: the configuration rewritten during a wrk run (Switchyard at ${ROUTES.toLocaleString('en-US')} routes; nginx SIGHUP)`,
  missing: needsNginxAndWrk,
  async run(ctx) {
    const dir = scenarioDir(ctx, 'reload')
    const backend = await backendFor(ctx, dir)
    const durationS = ctx.quick ? 10 : 30
    const rows: string[][] = []
    const unavailable = new Map<string, string>()

    const swPort = await freePort()
    const routes = scaleRoutes(ROUTES).yaml
    const swYaml = (revision: number) => gatewayYaml({ backend: backend.port, http: { port: swPort }, revision, extra: routes })
    const sw = await tryStart('switchyard', unavailable, ctx, () => startSwitchyard('switchyard', dir, swYaml(0), 180_000))
    if (sw) {
      rows.push(row(`switchyard (${ROUTES.toLocaleString('en-US')} routes)`, await underLoad(ctx, dir, swPort, durationS, (rev) => rewrite(sw, swYaml(rev)))))
      await stop(sw.proc)
    }
    // With worker processes the first process reloads and the workers serve; each worker still
    // compiles and swaps the new IR. Not a per-core figure: the workers may use both cores.
    const wPort = await freePort()
    const wYaml = (revision: number) => gatewayYaml({ backend: backend.port, http: { port: wPort }, revision, extra: routes })
    const name2 = `switchyard (${ROUTES.toLocaleString('en-US')} routes, 2 workers on cores ${CPU.proxy},${CPU.load})`
    const sw2 = await tryStart(name2, unavailable, ctx, () => startSwitchyard('switchyard-w2', dir, wYaml(0), 180_000, { workers: 2, cpu: `${CPU.proxy},${CPU.load}` }))
    if (sw2) {
      rows.push(row(name2, await underLoad(ctx, dir, wPort, durationS, (rev) => rewrite(sw2, wYaml(rev)))))
      await stop(sw2.proc)
    }

    const ngPort = await freePort()
    const spec = (revision: number) => ({ dir, http: { port: ngPort, upstream: backend.port, revision } })
    const ng = await tryStart('nginx', unavailable, ctx, () => startNginx(ctx.tools, spec(0)))
    if (ng)
      rows.push(
        row('nginx (SIGHUP)', await underLoad(ctx, dir, ngPort, durationS, (rev) => {
          writeConfig(dir, 'nginx.conf', nginxProxyConf(spec(rev), ctx.tools.nginxEnv))
          process.kill(ng.pid, 'SIGHUP')
        })),
      )
    for (const [name, why] of unavailable) rows.push([name, `n/a (${why})`, '', '', '', '', ''])
    return [
      {
        title: `Reload under load: ${durationS} s of wrk, 50 connections, a reload every ${EVERY_MS / 1000} s (or as soon as the previous one is live)`,
        body: `${markdownTable(['target', 'reloads', 'median time to live', 'req/s', 'requests', 'socket errors', 'non-2xx'], rows)}
"time to live": from rewriting the configuration to a request answered with the new revision.
`,
      },
    ]
  },
}

interface Outcome {
  readonly wrk: WrkResult
  readonly reloadMs: number[]
}

function row(name: string, o: Outcome): string[] {
  return [name, String(o.reloadMs.length), formatMs(median(o.reloadMs)), formatCount(o.wrk.rps), formatCount(o.wrk.requests), o.wrk.socketErrors ? `${o.wrk.socketErrors} (${o.wrk.socketErrorDetail})` : '0', String(o.wrk.non2xx)]
}

/** Run wrk for `durationS` while `apply(revision)` reloads, each time waiting until the revision answers. */
async function underLoad(ctx: BenchContext, dir: string, port: number, durationS: number, apply: (revision: number) => void): Promise<Outcome> {
  const wrk = ctx.tools.wrk!
  let done = false
  const load = runWrk({ wrk, url: `http://127.0.0.1:${port}/`, connections: 50, durationS, cpu: CPU.load, logDir: dir }).finally(() => (done = true))
  const reloadMs: number[] = []
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
  await pause(1000) // let the load settle before the first reload
  for (let rev = 1; !done && !ctx.signal.aborted; rev++) {
    const t0 = performance.now()
    apply(rev)
    await waitFor(`revision ${rev} to go live`, 120_000, async () => done || (await answersRevision(port, rev)))
    if (done) break
    const took = performance.now() - t0
    reloadMs.push(took)
    ctx.log(`reload ${rev} on port ${port}: live after ${took.toFixed(0)} ms`)
    if (took < EVERY_MS) await pause(EVERY_MS - took)
  }
  return { wrk: await load, reloadMs }
}

async function answersRevision(port: number, revision: number): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.headers['x-bench-revision'] === String(revision)))
      res.on('error', () => resolve(false))
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
  })
}
