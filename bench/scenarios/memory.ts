/**
 * Memory: resident set of each proxy (process tree) idle after a warm-up, then holding 10,000
 * idle keep-alive client connections (each has carried one request, so it went through the
 * proxy's HTTP parser and has an upstream behind it).
 */
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { haproxyMaxconn } from '../peer-configs.ts'
import { CPU } from '../peers.ts'
import { childNofile, start, stop, treeRssKiB, waitFor, type Proc } from '../procs.ts'
import { needsNginxAndWrk, scenarioDir, type BenchContext, type Scenario } from '../scenario.ts'
import { formatKiB, markdownTable } from '../table.ts'
import { runWrk } from '../wrk.ts'
import { DIRECT, startHttpPeers } from './http-peers.ts'

const WANTED = 10_000

export const memoryScenario: Scenario = {
  name: 'memory',
  summary: `memory: RSS with ${WANTED.toLocaleString('en-US')} idle keep-alive client connections`,
  missing: needsNginxAndWrk,
  async run(ctx) {
    const dir = scenarioDir(ctx, 'memory')
    const nofile = childNofile()
    // Each client connection costs the proxy one descriptor; leave room for upstreams and files.
    const count = Math.min(WANTED, nofile - 500)
    const haproxyCount = Math.min(count, haproxyMaxconn(nofile) - 50)
    const notes = [
      count < WANTED
        ? `The open-file limit could only be raised to ${nofile} (ulimit -n), so ${count} connections were opened instead of ${WANTED}.`
        : `Open-file limit of every process started: ${nofile}.`,
      haproxyCount < count ? `HAProxy reserves two descriptors per connection, so under that limit it holds at most ${haproxyMaxconn(nofile)}: it was given ${haproxyCount}.` : '',
    ]
    const { targets, unavailable } = await startHttpPeers(ctx, dir)
    const rows: string[][] = []
    for (const t of targets) {
      if (t.name === DIRECT || !t.proc) continue
      await runWrk({ wrk: ctx.tools.wrk!, url: `${t.base}/`, connections: 50, durationS: 1, cpu: CPU.load, logDir: dir })
      const idle = treeRssKiB(t.proc.pid)
      const n = t.name === 'haproxy' ? haproxyCount : count
      const held = await holdConnections(ctx, dir, t.base, n, t.proc)
      ctx.log(`memory ${t.name}: ${idle} KiB idle, ${held.rssKiB} KiB with ${held.open} connections`)
      const perConn = held.open > 0 ? `${((held.rssKiB - idle) / held.open).toFixed(1)} KiB` : '–'
      rows.push([t.name, formatKiB(idle), formatKiB(held.rssKiB), perConn, `${held.openAfter} of ${n}${held.failed ? ` (${held.failed} failed: ${held.firstError})` : ''}`])
    }
    for (const [name, why] of unavailable) rows.push([name, `n/a (${why})`, '', '', ''])
    return [
      {
        title: `Memory: resident set with ${count.toLocaleString('en-US')} idle keep-alive connections`,
        body: `${markdownTable(['target', 'RSS idle (after warm-up)', `RSS with ${count.toLocaleString('en-US')} connections`, 'per connection', 'still open when measured'], rows)}
${notes.filter(Boolean).join(' ')} Every proxy keeps idle client connections 300 s (Switchyard: \`--keepalive-timeout 300000\`), so all are still open when measured. RSS is the sum over the proxy's process tree (nginx: master and worker), read right after the last connection got its response.
`,
      },
    ]
  },
}

/** Open `count` keep-alive connections from a client on the load core; RSS of `proxy` once all are idle. */
async function holdConnections(ctx: BenchContext, dir: string, base: string, count: number, proxy: Proc): Promise<{ rssKiB: number; open: number; openAfter: number; failed: number; firstError: string }> {
  const port = new URL(base).port
  const client = start('idle-clients', process.execPath, [join(import.meta.dirname, '..', 'idle-clients.ts'), port, String(count)], { cpu: CPU.load, logDir: dir, piped: true })
  const lines: string[] = []
  createInterface({ input: client.child.stdout! }).on('line', (l) => lines.push(l))
  try {
    await waitFor(`${count} connections to ${base}`, 180_000, () => lines.length > 0, client)
    const ready = JSON.parse(lines[0]!) as { open: number; failed: number; firstError: string }
    const rssKiB = treeRssKiB(proxy.pid)
    client.child.stdin!.write('status\n')
    await waitFor('the client to report', 10_000, () => lines.length > 1, client)
    const after = JSON.parse(lines[1]!) as { open: number }
    return { rssKiB, open: ready.open, openAfter: after.open, failed: ready.failed, firstError: ready.firstError }
  } finally {
    client.child.stdin!.end()
    await stop(client)
    ctx.log(`idle clients for ${base} closed`)
  }
}
