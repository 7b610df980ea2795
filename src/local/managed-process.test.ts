import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ManagedProcess, restartDelay, type ProcessEvent } from './managed-process.ts'

const b = { initialMs: 250, maxMs: 10_000, resetAfterMs: 10_000 }
const delays: [number, number][] = [
  [1, 250],
  [2, 500],
  [3, 1000],
  [6, 8000],
  [7, 10_000],
  [40, 10_000],
]
for (const [crashes, want] of delays) test(`after ${crashes} crash(es) in a row the restart waits ${want} ms`, () => assert.equal(restartDelay(crashes, b), want))

test('a command that keeps crashing is restarted with growing delays, its output prefixed', { timeout: 20_000 }, async () => {
  const events: ProcessEvent[] = []
  const lines: string[] = []
  let exits = 0
  let third!: () => void
  const done = new Promise<void>((r) => (third = r))
  const p = new ManagedProcess({
    command: [process.execPath, '-e', 'console.log("up"); console.error("bad"); process.exit(3)'],
    cwd: process.cwd(),
    env: process.env,
    prefix: 'svc | ',
    out: (l) => lines.push(l),
    backoff: { initialMs: 20, maxMs: 1000, resetAfterMs: 60_000 },
    onEvent: (e) => {
      events.push(e)
      if (e.kind === 'exited' && ++exits === 3) third()
    },
  })
  p.start()
  await done
  await p.stop()
  const exited = events.filter((e) => e.kind === 'exited')
  assert.deepEqual(exited.map((e) => e.restartInMs), [20, 40, 80])
  assert.deepEqual(exited.map((e) => e.code), [3, 3, 3])
  assert.ok(lines.includes('svc | up') && lines.includes('svc | bad'), lines.join('\n'))
})

test('stop sends SIGTERM to the process group, then SIGKILL after the bound', { timeout: 20_000 }, async () => {
  // The shell's child ignores SIGTERM: only the group kill after the bound stops it.
  let started!: (pid: number) => void
  const pid = new Promise<number>((r) => (started = r))
  const lines: string[] = []
  let ready!: () => void
  const printed = new Promise<void>((r) => (ready = r))
  const p = new ManagedProcess({
    command: `${JSON.stringify(process.execPath)} -e 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'`,
    cwd: process.cwd(),
    env: process.env,
    prefix: '',
    out: (l) => (lines.push(l), l === 'ready' && ready()),
    stopTimeoutMs: 300,
    onEvent: (e) => e.kind === 'started' && started(e.pid),
  })
  p.start()
  const group = await pid
  await printed
  const t = Date.now()
  await p.stop()
  assert.ok(Date.now() - t >= 250, 'waited for the bound before SIGKILL')
  assert.throws(() => process.kill(-group, 0), /ESRCH/, 'the whole group is gone')
  assert.equal(p.pid, null)
})

test('a command that cannot start is reported and retried, not thrown', { timeout: 10_000 }, async () => {
  let failed!: (e: ProcessEvent) => void
  const event = new Promise<ProcessEvent>((r) => (failed = r))
  const p = new ManagedProcess({ command: ['/nonexistent/program'], cwd: process.cwd(), env: process.env, prefix: '', out: () => {}, backoff: { initialMs: 5000, maxMs: 5000, resetAfterMs: 5000 }, onEvent: (e) => e.kind === 'spawn-failed' && failed(e) })
  p.start()
  const e = await event
  await p.stop()
  assert.equal(e.kind, 'spawn-failed')
  assert.match((e as { message: string }).message, /ENOENT/)
})
