import { spawn, spawnSync, type SpawnOptions } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const MAIN = join(import.meta.dirname, '../../src/cli/main.ts')

/** `switchyard <args>` to completion: exit code and everything it printed. */
export function runCli(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 30000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

export interface ServeProcess {
  /** The startup line: the admin address and where each listener is bound. */
  readonly admin: string
  portOf(listenerPort: number): number
  /** Everything printed so far. */
  stdout(): string
  stderr(): string
  /** SIGTERM, and the exit code once it has drained. */
  stop(): Promise<number | null>
}

/**
 * `switchyard serve <args> --ephemeral-ports` (and `--workers 1` unless `args` say otherwise) as a child process (with `--admin 127.0.0.1:0` unless
 * `args` name an admin address or `admin` is false, for the default), resolved once it prints
 * where it listens; rejects with its stderr if it exits first. `spawnOptions` can run it as
 * another user.
 */
export async function spawnServe(args: readonly string[], spawnOptions: SpawnOptions = {}, admin = true): Promise<ServeProcess> {
  const adminArgs = admin && !args.includes('--admin') ? ['--admin', '127.0.0.1:0'] : []
  // One process unless a test asks for more: the default is one worker per core, and tests read
  // the one access log and exact /metrics of a single process.
  const workerArgs = args.includes('--workers') ? [] : ['--workers', '1']
  const child = spawn(process.execPath, [MAIN, 'serve', ...args, ...adminArgs, ...workerArgs, '--ephemeral-ports'], { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  let out = ''
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string | null>((resolve) => {
    lines.once('line', resolve)
    lines.once('close', () => resolve(null))
  })
  if (first === null) {
    await exited
    throw new Error(`serve exited before listening: ${err}`)
  }
  out += first + '\n'
  lines.on('line', (l) => (out += l + '\n'))
  const serving = JSON.parse(first) as { admin: string; listeners: { key: string; port: number }[] }
  // serve prints this line just before it installs its SIGTERM handler, so a signal sent at once can
  // find the default action still in place. Once the admin API has answered, the event loop has
  // run past that point.
  const adminPort = serving.admin.slice(serving.admin.lastIndexOf(':') + 1)
  await fetch(`http://127.0.0.1:${adminPort}/healthz`)
  return {
    admin: serving.admin,
    portOf: (p) => {
      const l = serving.listeners.find((x) => x.key.endsWith(`:${p}`))
      if (!l) throw new Error(`listener port ${p} is not bound`)
      return l.port
    },
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}
