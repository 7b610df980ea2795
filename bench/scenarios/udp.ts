/**
 * UDP: datagrams echoed through a UDP proxy (Switchyard's UDPRoute flows, gateway-api.md §6)
 * against nginx `stream` with `udp`, and direct to the echo backend. The load is
 * `bench/udp-load.ts` (wrk speaks no UDP): 50 client sockets, each its own flow, each in a closed
 * loop of one 64-byte datagram and its echo. It and the echo backend run on the load core, the
 * proxy alone on the proxy core, as in every scenario.
 */
import dgram from 'node:dgram'
import { join } from 'node:path'
import { gatewayYaml } from '../gateway-config.ts'
import { CPU, writeConfig, type Tools } from '../peers.ts'
import { logTail, start, stop, waitFor, type Proc } from '../procs.ts'
import type { BenchContext, Scenario, Section } from '../scenario.ts'
import { scenarioDir, tryStart } from '../scenario.ts'
import { startSwitchyard } from '../switchyard.ts'
import { loadTable, rotation, summarise, type Round, type Sample } from '../table.ts'
import type { UdpLoadResult } from '../udp-load.ts'
import { DIRECT } from './http-peers.ts'

const NGINX_STREAM = 'nginx stream'
const LOAD = join(import.meta.dirname, '..', 'udp-load.ts')
const FLOWS = 50
const BYTES = 64

export const udpScenario: Scenario = {
  name: 'udp',
  summary: 'UDP datagrams echoed through the proxy, 50 flows (vs nginx stream udp)',
  missing: (tools) => (tools.nginx ? null : 'needs nginx, which could not be installed'),
  async run(ctx) {
    const dir = scenarioDir(ctx, 'udp')
    const echoPort = await freeUdpPort()
    start('udp-echo', process.execPath, [LOAD, 'echo', String(echoPort)], { cpu: CPU.load, logDir: dir })
    await waitFor('the UDP echo backend', 15_000, () => echoes(echoPort))
    const unavailable = new Map<string, string>()
    const targets: { name: string; port: number }[] = [{ name: DIRECT, port: echoPort }]
    const add = async (name: string, startIt: (port: number) => Promise<unknown>) => {
      const port = await freeUdpPort()
      if ((await tryStart(name, unavailable, ctx, async () => (await startIt(port), await waitFor(`${name} to echo`, 15_000, () => echoes(port))))) !== null) targets.push({ name, port })
    }
    await add('switchyard', (port) => startSwitchyard('switchyard', dir, gatewayYaml({ backend: echoPort, udp: { port, upstream: echoPort }, catchAll: false })))
    if (ctx.tools.nginxStream) await add(NGINX_STREAM, (port) => startNginxUdp(ctx.tools, dir, port, echoPort))
    else unavailable.set(NGINX_STREAM, 'no stream module')

    for (const t of targets) await runLoad(ctx, dir, t.port, 1)
    const rounds: Round[] = []
    for (let r = 0; r < ctx.rounds; r++) {
      const round = new Map<string, Sample>()
      for (const t of rotation(targets, r)) {
        const s = await runLoad(ctx, dir, t.port, ctx.durationS)
        round.set(t.name, s)
        ctx.log(`udp round ${r + 1}/${ctx.rounds} ${t.name}: ${Math.round(s.rps)} datagrams/s, p50 ${s.p50Ms.toFixed(3)} ms${s.socketErrors ? `, ${s.socketErrors} lost` : ''}`)
      }
      rounds.push(round)
    }
    const names = targets.map((t) => t.name)
    const baselines = names.includes(NGINX_STREAM) ? [DIRECT, NGINX_STREAM] : [DIRECT]
    const body = loadTable(summarise(names, rounds, baselines), baselines, 'rps', unavailable)
    return [{ title: `UDP echo through the proxy, ${BYTES}-byte datagrams, ${FLOWS} flows (one datagram in flight each): req/s = datagrams echoed/s, errors = datagrams lost`, body }]
  },
}

/** One run of the load generator on the load core; its JSON line as a Sample (losses as socket errors). */
async function runLoad(ctx: BenchContext, dir: string, port: number, seconds: number): Promise<Sample> {
  ctx.signal.throwIfAborted()
  const p: Proc = start('udp-load', process.execPath, [LOAD, 'load', String(port), String(FLOWS), String(seconds), String(BYTES)], { cpu: CPU.load, logDir: dir, piped: true })
  let out = ''
  const stdout = p.child.stdout!
  stdout.on('data', (d: Buffer) => (out += d.toString()))
  const ended = new Promise((r) => stdout.once('close', r))
  const killer = setTimeout(() => void stop(p), (seconds + 15) * 1000)
  await Promise.all([p.exited, ended])
  clearTimeout(killer)
  let r: UdpLoadResult
  try {
    r = JSON.parse(out) as UdpLoadResult
  } catch {
    throw new Error(`udp-load on port ${port} printed no result:\n${out}${logTail(p)}`)
  }
  return { rps: r.rps, bytesPerSec: r.rps * BYTES, requests: r.requests, p50Ms: r.p50Ms, p99Ms: r.p99Ms, avgMs: r.avgMs, perThreadRps: r.rps, socketErrors: r.lost, socketErrorDetail: r.lost ? `lost ${r.lost}` : '', non2xx: 0 }
}

/** A free loopback UDP port (bound then released). */
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4')
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r))
  const port = s.address().port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** True when a datagram sent to 127.0.0.1:port comes back within 200 ms. */
async function echoes(port: number): Promise<boolean> {
  const s = dgram.createSocket('udp4')
  s.on('error', () => {})
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200)
      s.once('message', () => (clearTimeout(timer), resolve(true)))
      s.send('ping', port, '127.0.0.1')
    })
  } finally {
    s.close()
  }
}

/** nginx `stream` proxying UDP, one worker on the proxy core; a reply per datagram ends nothing (`proxy_responses` unset). */
async function startNginxUdp(tools: Tools, dir: string, port: number, echoPort: number): Promise<Proc> {
  if (!tools.nginx) throw new Error('nginx is not installed')
  const conf = writeConfig(
    dir,
    'nginx-udp.conf',
    [
      tools.nginxEnv.streamModule ? `load_module ${tools.nginxEnv.streamModule};` : '',
      tools.nginxEnv.user ? `user ${tools.nginxEnv.user};` : '',
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx-udp.pid')};`,
      `error_log ${join(dir, 'nginx-udp.error.log')} warn;`,
      'events { worker_connections 30000; }',
      `stream { server { listen 127.0.0.1:${port} udp; proxy_pass 127.0.0.1:${echoPort}; proxy_timeout 10s; } }`,
    ].join('\n') + '\n',
  )
  return start('nginx-udp', tools.nginx, ['-p', dir, '-e', join(dir, 'nginx-udp.error.log'), '-c', conf], { cpu: CPU.proxy, logDir: dir })
}
