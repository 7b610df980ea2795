/**
 * L4: TLS passthrough (routed by SNI, RFC 6066 §3, bytes spliced, the backend terminates TLS) and
 * plain TCP bulk throughput, against nginx `stream` and HAProxy `mode tcp`.
 */
import { gatewayYaml } from '../gateway-config.ts'
import { startHaproxy, startNginx } from '../peers.ts'
import { freePort } from '../procs.ts'
import { measureRounds, type Target } from '../rounds.ts'
import { needsNginxAndWrk, backendFor, scenarioDir, tryStart, type Scenario, type Section } from '../scenario.ts'
import { startSwitchyard } from '../switchyard.ts'
import { loadTable, summarise } from '../table.ts'
import { DIRECT } from './http-peers.ts'

const NGINX_STREAM = 'nginx stream'

export const l4Scenario: Scenario = {
  name: 'l4',
  summary: 'TLS passthrough (16 KiB responses) and TCP bulk throughput (1 MiB responses)',
  missing: needsNginxAndWrk,
  async run(ctx) {
    const dir = scenarioDir(ctx, 'l4')
    const backend = await backendFor(ctx, dir)
    const host = ctx.cert.hostname
    const tls = { sni: host, upstream: backend.tlsPort }
    const tcp = { upstream: backend.port }
    const unavailable = { tls: new Map<string, string>(), tcp: new Map<string, string>() }
    const tlsTargets: Target[] = [{ name: DIRECT, url: `https://${host}:${backend.tlsPort}/16k` }]
    const tcpTargets: Target[] = [{ name: DIRECT, url: `http://127.0.0.1:${backend.port}/1m` }]
    const both = (name: string, p: { tls: { port: number }; tcp: { port: number } }) => {
      tlsTargets.push({ name, url: `https://${host}:${p.tls.port}/16k` })
      tcpTargets.push({ name, url: `http://127.0.0.1:${p.tcp.port}/1m` })
    }

    const sw = { tls: { ...tls, port: await freePort() }, tcp: { port: await freePort() } }
    const s = await tryStart('switchyard', unavailable.tls, ctx, () => startSwitchyard('switchyard', dir, gatewayYaml({ backend: backend.port, tlsPassthrough: sw.tls, tcp: sw.tcp, catchAll: false })))
    if (s) both('switchyard', sw)
    else unavailable.tcp.set('switchyard', unavailable.tls.get('switchyard')!)

    if (ctx.tools.nginxStream) {
      const p = { tls: { ...tls, port: await freePort() }, tcp: { ...tcp, port: await freePort() } }
      if (await tryStart(NGINX_STREAM, unavailable.tls, ctx, () => startNginx(ctx.tools, { dir, tlsPassthrough: p.tls, tcp: p.tcp }))) both(NGINX_STREAM, p)
    } else unavailable.tls.set(NGINX_STREAM, 'no stream module')
    if (ctx.tools.haproxy) {
      const p = { tls: { ...tls, port: await freePort() }, tcp: { ...tcp, port: await freePort() } }
      if (await tryStart('haproxy', unavailable.tls, ctx, () => startHaproxy(ctx.tools, { dir, tlsPassthrough: p.tls, tcp: p.tcp }))) both('haproxy', p)
    } else unavailable.tls.set('haproxy', 'not installed')
    for (const [k, v] of unavailable.tls) if (k !== 'switchyard') unavailable.tcp.set(k, v)

    const sections: Section[] = []
    const tlsNames = tlsTargets.map((t) => t.name)
    const tlsBase = tlsNames.includes(NGINX_STREAM) ? [DIRECT, NGINX_STREAM] : [DIRECT]
    const tlsRounds = await measureRounds(ctx, 'tls passthrough', tlsTargets, { connections: 50 }, dir)
    sections.push({ title: 'TLS passthrough (SNI), HTTPS keep-alive through it, 16 KiB body, 50 connections', body: loadTable(summarise(tlsNames, tlsRounds, tlsBase), tlsBase, 'rps', unavailable.tls) })
    const tcpNames = tcpTargets.map((t) => t.name)
    const tcpBase = tcpNames.includes(NGINX_STREAM) ? [DIRECT, NGINX_STREAM] : [DIRECT]
    const tcpRounds = await measureRounds(ctx, 'tcp bulk', tcpTargets, { connections: 10 }, dir)
    sections.push({ title: 'TCP bulk: 1 MiB responses over a TCP proxy, 10 connections', body: loadTable(summarise(tcpNames, tcpRounds, tcpBase, 'bytesPerSec'), tcpBase, 'bytesPerSec', unavailable.tcp) })
    return sections
  },
}
