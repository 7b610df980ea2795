import net from 'node:net'
import type { Duplex } from 'node:stream'
import { compile, Runtime, type RuntimeOptions } from '../../src/dataplane/index.ts'
import { Pipeline } from '../../src/pipeline/index.ts'

/**
 * The data plane of `switchyard serve` (pipeline → compile → runtime) with runtime options that
 * `serve` does not expose, such as small limits and timeouts, on ephemeral ports; no admin API, no
 * file watching. For tests of limits that would otherwise take minutes.
 */
export async function serveRuntime(files: string[], options: RuntimeOptions): Promise<{ runtime: Runtime; portOf: (p: number, transport?: 'tcp' | 'udp') => number; metric: (sample: string) => number; close: () => Promise<void> }> {
  const runtime = new Runtime({ ephemeralPorts: true, drainMs: 500, ...options })
  const pipeline = new Pipeline({ paths: files }, (config) => runtime.apply(compile(config.ir)))
  await pipeline.reload()
  if (!pipeline.current) {
    await runtime.close()
    throw new Error(`configuration rejected: ${JSON.stringify(pipeline.errors)}`)
  }
  return {
    runtime,
    portOf: (p, transport = 'tcp') => {
      const b = runtime.bound().find((x) => x.key.endsWith(`:${p}`) && (x.kind === 'udp') === (transport === 'udp'))
      if (!b) throw new Error(`listener port ${p} is not bound`)
      return b.port
    },
    metric: (sample) => {
      const line = runtime.metrics.render().split('\n').find((l) => l.startsWith(sample + ' '))
      return line ? Number(line.slice(sample.length + 1)) : 0
    },
    close: async () => {
      await pipeline.close()
      await runtime.close()
    },
  }
}

/** What a raw connection received before it closed, and how long after the first write it closed. */
export interface RawOutcome {
  readonly text: string
  readonly closedAfterMs: number
  /** The error the connection closed on (ECONNRESET for a reset), or null for a clean close. */
  readonly error: string | null
}

/**
 * Opens a TCP connection to 127.0.0.1:`port`, writes `chunks` (each after `gapMs`, if given), and
 * collects everything received until the gateway closes the connection; fails after `timeoutMs`.
 */
export function rawExchange(port: number, chunks: readonly (string | Uint8Array)[], opts: { gapMs?: number; timeoutMs?: number } = {}): Promise<RawOutcome> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port })
    const received: Buffer[] = []
    let error: string | null = null
    let start = 0
    let i = 0
    let gapTimer: NodeJS.Timeout | undefined
    const send = () => {
      if (s.destroyed || i >= chunks.length) return
      s.write(chunks[i++]!)
      if (i < chunks.length) gapTimer = setTimeout(send, opts.gapMs ?? 0)
    }
    const deadline = setTimeout(() => {
      s.destroy()
      reject(new Error(`the gateway kept the connection open for ${opts.timeoutMs ?? 5000}ms; received ${JSON.stringify(Buffer.concat(received).toString('latin1').slice(0, 200))}`))
    }, opts.timeoutMs ?? 5000)
    s.on('connect', () => {
      start = performance.now()
      send()
    })
    s.on('data', (d: Buffer) => received.push(d))
    s.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message))
    s.on('close', () => {
      clearTimeout(deadline)
      clearTimeout(gapTimer)
      resolve({ text: Buffer.concat(received).toString('latin1'), closedAfterMs: performance.now() - start, error })
    })
  })
}

/** Opens a TCP connection and resolves once it is connected (or rejects if it is refused). */
export function connectRaw(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port })
    s.once('connect', () => {
      s.off('error', reject)
      resolve(s)
    })
    s.once('error', reject)
  })
}

/** Resolves when `s` closes, with how long that took from now. */
export function closedWithin(s: Duplex): Promise<number> {
  const t = performance.now()
  return new Promise((resolve) => {
    s.on('error', () => {})
    // Read (and drop) what arrives, so a peer's FIN is seen and the socket can close.
    s.resume()
    if (s.destroyed) resolve(0)
    else s.once('close', () => resolve(performance.now() - t))
  })
}

/** How many TCP sockets and servers this process holds (node's own resource accounting). */
export function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap').length
}
