/**
 * The entry point of one `serve --workers N` worker process (forked by WorkerGroup): a Runtime on
 * listening sockets shared with the other workers, applying what the primary sends. It leaves
 * signals to the primary (a Ctrl-C reaches the whole process group) and exits when told to close
 * or when the primary goes away.
 */
import process from 'node:process'
import { compile, Runtime, type AccessRecord, type ConnectionRecord } from '../dataplane/index.ts'
import { SwitchyardError } from '../diag/index.ts'
import type { FromWorker, ToWorker, WorkerSettings } from './serve-workers.ts'

const id = Number(process.env.SWITCHYARD_WORKER)
const s = JSON.parse(process.env.SWITCHYARD_WORKER_SETTINGS ?? '{}') as WorkerSettings & { udp: boolean }
const write = s.accessLog === 'off' ? null : s.accessLog === 'stderr' ? (l: string) => process.stderr.write(l + '\n') : (l: string) => process.stdout.write(l + '\n')
const line = (r: AccessRecord | ConnectionRecord) => write!(JSON.stringify({ msg: 'access', ...r, durationMs: Math.round(r.durationMs * 1000) / 1000, worker: id }))
const runtime = new Runtime({
  bindAddress: s.bindAddress,
  portOffset: s.portOffset,
  ephemeralPorts: s.ephemeralPorts,
  drainMs: s.drainMs,
  sharedListeners: true,
  udp: s.udp,
  ...(s.udpIdleMs !== undefined ? { udpIdleMs: s.udpIdleMs } : {}),
  ...(s.udpMaxFlows !== undefined ? { udpMaxFlows: s.udpMaxFlows } : {}),
  ...(s.limits ? { limits: s.limits } : {}),
  ...(s.busyPollUs ? { busyPollUs: s.busyPollUs } : {}),
  ...(write ? { onAccess: line, onConnection: line } : {}),
})
const send = (m: FromWorker) => process.send?.(m)
const metrics = setInterval(() => send({ type: 'metrics', text: runtime.metrics.render() }), 1000)
metrics.unref()
let closing = false
const close = async () => {
  if (closing) return
  closing = true
  clearInterval(metrics)
  await runtime.close()
  process.exit(0)
}
process.on('SIGINT', () => {})
process.on('SIGTERM', () => {})
process.once('disconnect', () => void close())
// Applies run one after another, in the order the primary sent them.
let queue = Promise.resolve()
process.on('message', (m: ToWorker) => {
  if (m.type === 'close') return void close()
  queue = queue.then(async () => {
    try {
      await runtime.apply(compile(m.ir))
      send({ type: 'applied', seq: m.seq, bound: runtime.bound(), error: null, code: null })
      send({ type: 'metrics', text: runtime.metrics.render() })
    } catch (e) {
      send({ type: 'applied', seq: m.seq, bound: [], error: (e as Error).message, code: e instanceof SwitchyardError ? e.code : null })
    }
  })
})
