/**
 * The HTTP line-up, shared by the HTTP and memory scenarios: direct to the backend, Switchyard,
 * nginx, HAProxy, Caddy, the Node peer and the Node calibration peer (a ceiling, not a product),
 * all proxying to one backend. Peers that are missing or fail to start are listed in
 * `unavailable` with the reason.
 */
import { gatewayYaml } from '../gateway-config.ts'
import { startCaddy, startHaproxy, startNginx, startNodeProxy, startNodeRawProxy } from '../peers.ts'
import { freePort, type Proc } from '../procs.ts'
import { backendFor, tryStart, type BenchContext } from '../scenario.ts'
import { startSwitchyard } from '../switchyard.ts'

export interface HttpTarget {
  readonly name: string
  /** `http://127.0.0.1:<port>` (no path). */
  readonly base: string
  /** The process serving it (null: the backend itself). */
  readonly proc: Proc | null
}

export const DIRECT = 'direct'
export const NGINX = 'nginx'
/** The calibration peer (bench/node-raw-proxy.ts): what Node reaches with no checks at all, not a product. */
export const NODE_CEILING = 'node net.Socket, no checks (ceiling)'

export async function startHttpPeers(ctx: BenchContext, dir: string): Promise<{ targets: HttpTarget[]; unavailable: Map<string, string>; backendPort: number }> {
  const backend = await backendFor(ctx, dir)
  const unavailable = new Map<string, string>()
  const targets: HttpTarget[] = [{ name: DIRECT, base: `http://127.0.0.1:${backend.port}`, proc: null }]
  const add = async (name: string, installed: boolean, startIt: (port: number) => Promise<Proc>) => {
    if (!installed) return void unavailable.set(name, 'not installed')
    const port = await freePort()
    const proc = await tryStart(name, unavailable, ctx, () => startIt(port))
    if (proc) targets.push({ name, base: `http://127.0.0.1:${port}`, proc })
  }
  await add('switchyard', true, async (port) => (await startSwitchyard('switchyard', dir, gatewayYaml({ backend: backend.port, http: { port } }))).proc)
  await add(NGINX, !!ctx.tools.nginx, (port) => startNginx(ctx.tools, { dir, http: { port, upstream: backend.port } }))
  await add('haproxy', !!ctx.tools.haproxy, (port) => startHaproxy(ctx.tools, { dir, http: { port, upstream: backend.port } }))
  await add('caddy', !!ctx.tools.caddy, (port) => startCaddy(ctx.tools, { dir, http: { port, upstream: backend.port } }))
  await add('node (undici Pool.stream)', true, (port) => startNodeProxy({ dir, http: { port, upstream: backend.port } }))
  await add(NODE_CEILING, true, (port) => startNodeRawProxy({ dir, http: { port, upstream: backend.port } }))
  return { targets, unavailable, backendPort: backend.port }
}
