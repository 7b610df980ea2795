import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startRun, type RunOptions, type Running } from '../../src/cli/run.ts'

export const ROOT = resolve(import.meta.dirname, '../..')
export const example = (...parts: string[]) => join(ROOT, 'examples', ...parts)

export interface TestRun extends Running {
  /** Where gateway listener port P is bound (ephemeral). */
  portOf(listenerPort: number): number
  /** The run's config dir (its local CA lives under ca/). */
  readonly configDir: string
  /** Every line the run printed (containers' output, readiness, reloads). */
  readonly lines: string[]
  /** close(), then remove the config dir. */
  stop(): Promise<void>
}

/** `switchyard run` in this process, on ephemeral ports, with its own config dir (local CA). */
export async function run(files: string[], more: Partial<RunOptions> = {}): Promise<TestRun> {
  const configDir = mkdtempSync(join(tmpdir(), 'switchyard-run-'))
  const lines: string[] = []
  let running: Running
  try {
    running = await startRun({ files, admin: '127.0.0.1:0', ephemeralPorts: true, configDir, out: (l) => lines.push(l), debounceMs: 20, drainMs: 200, stopTimeoutMs: 2000, ...more })
  } catch (e) {
    rmSync(configDir, { recursive: true, force: true })
    throw e
  }
  return Object.assign(running, {
    configDir,
    lines,
    portOf: (p: number) => {
      const b = running.serving.bound().find((x) => x.key.endsWith(`:${p}`))
      if (!b) throw new Error(`listener port ${p} is not bound; bound: ${JSON.stringify(running.serving.bound())}`)
      return b.port
    },
    stop: async () => {
      await running.close()
      rmSync(configDir, { recursive: true, force: true })
    },
  })
}

export interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  json: () => Record<string, any>
}

export interface RequestOptions {
  /** The hostname to ask for (Host header, and SNI over TLS), as curl --resolve does. */
  host?: string
  path?: string
  method?: string
  headers?: Record<string, string>
  /** Over TLS, trusting this CA certificate (PEM). */
  ca?: string
  /** Over TLS with the system's trust only. */
  tls?: boolean
}

/** One request to 127.0.0.1:port on a fresh connection, as curl --resolve would send it. */
export function request(port: number, o: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const headers = { ...(o.host ? { host: `${o.host}:${port}` } : {}), ...o.headers }
    const base = { host: '127.0.0.1', port, path: o.path ?? '/', method: o.method ?? 'GET', headers, agent: false as const }
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString()
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) })
      })
    }
    const req = o.ca !== undefined || o.tls ? https.request({ ...base, ...(o.ca ? { ca: o.ca } : {}), ...(o.host ? { servername: o.host } : {}) }, onResponse) : http.request(base, onResponse)
    req.on('error', reject)
    req.end()
  })
}

/** Polls until `f` returns true, at most `ms` (conditions, never sleeps). */
export async function until(f: () => boolean | Promise<boolean>, ms = 10_000, what: string | (() => string) = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`${typeof what === 'string' ? what : what()}: not met in ${ms} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Waits until a request answers with `status`, and returns that answer. */
export async function answerWith(status: number, port: number, o: RequestOptions = {}, ms = 10_000): Promise<Answer> {
  const seen: { last: Answer | Error | null } = { last: null }
  await until(
    async () => {
      seen.last = await request(port, o).catch((e: Error) => e)
      return !(seen.last instanceof Error) && seen.last.status === status
    },
    ms,
    () => `${o.method ?? 'GET'} ${o.host ?? ''}${o.path ?? '/'} answering ${status} (last: ${seen.last instanceof Error ? seen.last.message : seen.last?.status})`,
  )
  return seen.last as Answer
}
