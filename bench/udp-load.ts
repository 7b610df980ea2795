/**
 * The UDP instrument, run as its own process on the load core (wrk speaks no UDP):
 *
 * - `node bench/udp-load.ts echo PORT` — a UDP echo server on 127.0.0.1:PORT (the backend);
 * - `node bench/udp-load.ts load PORT FLOWS SECONDS BYTES` — FLOWS client sockets (each its own
 *   source port, so each is one flow to a proxy) in a closed loop: send one datagram, wait for its
 *   echo, send the next. Prints one JSON line: datagrams echoed per second, latency percentiles,
 *   and datagrams lost (no echo within 250 ms; the flow then sends again).
 */
import dgram from 'node:dgram'

const LOSS_MS = 250

function echo(port: number): void {
  const s = dgram.createSocket('udp4')
  s.on('message', (msg, from) => s.send(msg, from.port, from.address))
  s.bind(port, '127.0.0.1')
}

export interface UdpLoadResult {
  readonly rps: number
  readonly requests: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly avgMs: number
  readonly lost: number
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function load(port: number, flows: number, seconds: number, bytes: number): Promise<UdpLoadResult> {
  const payload = Buffer.alloc(bytes, 'u')
  // Latencies of at most this many exchanges are kept (uniformly: every k-th once it is full).
  const keep = new Float64Array(1 << 20)
  let kept = 0
  let done = 0
  let lost = 0
  let sum = 0
  const end = performance.now() + seconds * 1000
  const sockets: dgram.Socket[] = []
  await new Promise<void>((resolve) => {
    let running = flows
    for (let i = 0; i < flows; i++) {
      const s = dgram.createSocket('udp4')
      sockets.push(s)
      let sent = 0
      let timer: NodeJS.Timeout | undefined
      const next = () => {
        if (performance.now() >= end) {
          clearTimeout(timer)
          if (--running === 0) resolve()
          return
        }
        sent = performance.now()
        s.send(payload, port, '127.0.0.1')
        timer = setTimeout(() => {
          lost++
          next()
        }, LOSS_MS)
      }
      s.on('message', () => {
        clearTimeout(timer)
        const ms = performance.now() - sent
        sum += ms
        if (kept < keep.length) keep[kept++] = ms
        else if (done % 16 === 0) keep[done % keep.length] = ms
        done++
        next()
      })
      s.on('error', () => {})
      s.bind(0, '127.0.0.1', next)
    }
  })
  for (const s of sockets) s.close()
  const sorted = keep.subarray(0, kept).sort()
  return { rps: done / seconds, requests: done, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), avgMs: done ? sum / done : Number.NaN, lost }
}

const [mode, ...args] = process.argv.slice(2)
const n = args.map(Number)
if (mode === 'echo') echo(n[0]!)
else if (mode === 'load') process.stdout.write(JSON.stringify(await load(n[0]!, n[1]!, n[2]!, n[3]!)) + '\n')
else {
  process.stderr.write('usage: udp-load.ts echo PORT | load PORT FLOWS SECONDS BYTES\n')
  process.exit(2)
}
