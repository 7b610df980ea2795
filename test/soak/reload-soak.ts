/**
 * Reload soak (issue 11): sustained traffic while the configuration changes N times.
 *
 *   npm run soak -- --reloads 1000 [--clients 4] [--deadline 600]
 *
 * A `switchyard serve` (in process) with an HTTP route and a TCP route that never change, and a
 * second HTTP listener with a route that every other reload adds and removes (so ports are bound
 * and released, plans swapped, removed ports drained). Keep-alive HTTP clients and a TCP echo loop
 * run throughout; each reload waits until the pipeline has taken the new files. Passes when no
 * request on the stable routes failed, at least 95% of rewrites were published, the handle count
 * is back to its start once traffic stops, the heap after GC grew < 50% and RSS < 20% in the second half. RSS, heap and handles are printed at start,
 * middle and end (after a GC when run with --expose-gc, as the npm script does).
 */
import http from 'node:http'
import net from 'node:net'
import { parseArgs } from 'node:util'
import type { ReloadOutcome } from '../../src/pipeline/index.ts'
import { configDir, echoBackend, gatewayWith, get, serve, service, tcpBackend } from '../e2e/serve-helpers.ts'

const { values } = parseArgs({ options: { reloads: { type: 'string', default: '1000' }, clients: { type: 'string', default: '4' }, deadline: { type: 'string', default: '600' }, trace: { type: 'string', default: '0' } } })
const RELOADS = Number(values.reloads)
const CLIENTS = Number(values.clients)
const DEADLINE = Date.now() + Number(values.deadline) * 1000
/** With `--trace N`, a sample every N reloads too (printed, not judged): where memory grows. */
const TRACE = Number(values.trace)
const trace: Sample[] = []

interface Sample {
  readonly at: string
  readonly reloads: number
  readonly rssMiB: number
  readonly heapMiB: number
  /** What V8 has reserved for the heap: grows under allocation pressure even when heapMiB does not. */
  readonly heapTotalMiB: number
  /** Memory held outside the JS heap by Buffers and other C++ objects tied to JS ones. */
  readonly externalMiB: number
  readonly arrayBuffersMiB: number
  readonly handles: number
  readonly requests: number
}

const mib = (n: number) => Math.round((n / 1048576) * 10) / 10
async function sample(at: string, reloads: number, requests: number): Promise<Sample> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc) {
    gc()
    await new Promise((r) => setImmediate(r))
    gc()
  }
  const m = process.memoryUsage()
  return { at, reloads, rssMiB: mib(m.rss), heapMiB: mib(m.heapUsed), heapTotalMiB: mib(m.heapTotal), externalMiB: mib(m.external), arrayBuffersMiB: mib(m.arrayBuffers), handles: liveHandles(), requests }
}

/** Sockets, servers, pipes and watchers: what a leak would leave behind (timers come and go). */
function liveHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r !== 'Timeout' && r !== 'Immediate').length
}

const route = (name: string, path: string, section = 'http') => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name} }
spec:
  parentRefs: [{ name: gw, sectionName: ${section} }]
  rules: [{ matches: [{ path: { type: PathPrefix, value: ${path} } }], backendRefs: [{ name: echo, port: 80 }] }]
`
const tcpRoute = `---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: { name: t }
spec:
  parentRefs: [{ name: gw, sectionName: tcp }]
  rules: [{ backendRefs: [{ name: tcp, port: 80 }] }]
`
const files = (i: number) => {
  const extra = i % 2 === 1
  const listeners = ['{ name: http, port: 8090, protocol: HTTP }', '{ name: tcp, port: 9000, protocol: TCP }', ...(extra ? ['{ name: extra, port: 8091, protocol: HTTP }'] : [])]
  return {
    'gw.yaml': gatewayWith(...listeners),
    'routes.yaml': `${service('echo', [echoPort])}---\n${service('tcp', [tcpPort])}${route('stay', '/stay')}${tcpRoute}${extra ? route(`extra-${i}`, `/extra-${i}`, 'extra') : ''}${route(`churn-${i}`, `/churn-${i}`)}`,
  }
}

const echo = await echoBackend('echo')
const tcp = await tcpBackend('tcp')
const echoPort = echo.port
const tcpPort = tcp.port
const cfg = configDir(files(0))
const outcomes: ReloadOutcome[] = []
let wake: (() => void) | null = null
const s = await serve([cfg.dir], { onReload: (o) => (outcomes.push(o), wake?.()) })
const httpPort = s.portOf(8090)
const tcpGw = s.portOf(9000)

let stop = false
let ok = 0
let tcpRounds = 0
const failures: string[] = []
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS })
const httpLoop = async () => {
  while (!stop) {
    try {
      const r = await get(httpPort, '/stay', { host: 'soak' }, { agent })
      if (r.status === 200) ok++
      else failures.push(`HTTP status ${r.status}`)
    } catch (e) {
      failures.push(`HTTP ${(e as Error).message}`)
    }
  }
}
/** One long-lived TCP connection through the stable TCPRoute, echoing a line per round. */
const tcpLoop = async () => {
  const sock = net.connect({ host: '127.0.0.1', port: tcpGw })
  sock.on('error', (e) => failures.push(`TCP ${e.message}`))
  await new Promise((r) => sock.once('connect', r))
  let buf = ''
  sock.on('data', (d: Buffer) => (buf += d))
  while (!stop && !sock.destroyed) {
    const n = tcpRounds
    sock.write(`r${n};`)
    const until = Date.now() + 5000
    while (!buf.includes(`tcp:r${n};`) && Date.now() < until && !sock.destroyed) await new Promise((r) => setTimeout(r, 1))
    if (!buf.includes(`tcp:r${n};`)) failures.push(`TCP round ${n} got no echo`)
    buf = ''
    tcpRounds++
  }
  sock.destroy()
}

// Warm up so the start sample sees pools and lazily created servers.
await get(httpPort, '/stay', { host: 'soak' }, { agent })
const samples: Sample[] = [await sample('start', 0, 0)]
const loops = [...Array.from({ length: CLIENTS }, httpLoop), tcpLoop()]
const started = Date.now()
let published = 0
let timedOut = false
for (let i = 1; i <= RELOADS; i++) {
  if (Date.now() > DEADLINE) {
    timedOut = true
    break
  }
  const n = outcomes.length
  for (const [name, text] of Object.entries(files(i))) cfg.write(name, text)
  const deadline = Date.now() + 5000
  while (outcomes.length === n && Date.now() < deadline) await new Promise<void>((r) => ((wake = r), setTimeout(r, 200)))
  if (outcomes.at(-1)?.kind === 'published' && outcomes.length > n) published++
  if (i === Math.floor(RELOADS / 2)) samples.push(await sample('middle', i, ok))
  else if (TRACE > 0 && i % TRACE === 0) trace.push(await sample('trace', i, ok))
}
const elapsed = Date.now() - started
stop = true
await Promise.all(loops)
agent.destroy()
// Drained ports and pooled connections close on their own clocks (drain, the backend's keep-alive
// timeout, the pool's idle sweep): wait until the handles are back to their start, up to 10 s.
const settled = Date.now() + 10_000
while (liveHandles() > samples[0]!.handles && Date.now() < settled) await new Promise((r) => setTimeout(r, 100))
samples.push(await sample('end', published, ok))
await s.close()
await echo.close()
await tcp.close()
cfg.remove()

console.log(`reload soak: ${published}/${RELOADS} configurations published in ${(elapsed / 1000).toFixed(1)} s under ${CLIENTS} keep-alive HTTP clients and one TCP connection`)
console.log(`requests on the stable HTTP route: ${ok}, TCP echo rounds: ${tcpRounds}, failed: ${failures.length}`)
if (trace.length > 0) console.table(trace)
console.table(samples)
const problems = [
  ...(timedOut ? [`deadline reached after ${published} reloads`] : []),
  ...(failures.length > 0 ? [`${failures.length} failures, first: ${failures.slice(0, 3).join('; ')}`] : []),
  ...(published < RELOADS * 0.95 ? [`only ${published} of ${RELOADS} rewrites were published`] : []),
  ...(samples.at(-1)!.handles > samples[0]!.handles ? [`handles grew from ${samples[0]!.handles} to ${samples.at(-1)!.handles}`] : []),
  // The heap after a GC must not trend up; RSS, which the allocator keeps once grown, must level off.
  ...(samples.at(-1)!.heapMiB > samples[0]!.heapMiB * 1.5 ? [`heap grew from ${samples[0]!.heapMiB} to ${samples.at(-1)!.heapMiB} MiB`] : []),
  ...(samples.length === 3 && samples[2]!.rssMiB > samples[1]!.rssMiB * 1.2 ? [`RSS still growing in the second half: ${samples[1]!.rssMiB} → ${samples[2]!.rssMiB} MiB`] : []),
]
if (problems.length > 0) {
  console.error(`FAILED: ${problems.join('\n')}`)
  process.exit(1)
}
console.log('ok')
