import dgram from 'node:dgram'
import net from 'node:net'
import { SwitchyardError } from '../diag/index.ts'

/**
 * A port the operating system says is free now, for a process that binds it itself (a local
 * container's command gets it in PORT). Bound at 0 and released; the tiny window before the
 * command binds it is the usual price of handing a port to another process.
 */
export function freePort(protocol: 'TCP' | 'UDP', host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (cause: Error) => reject(new SwitchyardError('LOCAL_PORT_UNAVAILABLE', `no free ${protocol} port on ${host}: ${cause.message}`, { cause }))
    if (protocol === 'UDP') {
      const s = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4')
      s.once('error', fail)
      s.bind(0, host, () => {
        const { port } = s.address()
        s.close(() => resolve(port))
      })
      return
    }
    const s = net.createServer()
    s.once('error', fail)
    s.listen(0, host, () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** True once something accepts a TCP connection on host:port (a readiness probe). */
export function accepts(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port })
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.setTimeout(timeoutMs, () => done(false))
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
  })
}
