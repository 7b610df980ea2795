import { serviceName } from './service-name.ts'
import type { App, Container, Port } from './types.ts'

/** `CONNECTION_<NAME>_<KEY>`: upper case, anything but letters and digits becomes `_`. */
export function connectionVar(connection: string, key: string): string {
  return `CONNECTION_${connection.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${key}`
}

/** A port of a container in the app that a connection reaches. */
export interface ConnectionTarget {
  readonly container: Container
  readonly containerName: string
  readonly portName: string
  readonly port: Port
  /** True when the connection named it by URL (`http://accounts:8081`), not by resource. */
  readonly viaUrl: boolean
}

/**
 * Where a target is reached from the connecting container: its Service in a cluster, its local
 * address in a local run. Undefined keeps a URL source as written.
 */
export type PlaceTarget = (target: ConnectionTarget) => { readonly hostname: string; readonly port: number } | undefined

/**
 * `CONNECTION_<NAME>_*` variables: SCHEME, HOSTNAME and PORT for a URL source (as Radius sets
 * them, research/radius.md §1.2), and the same plus URL for a container in the app. `place` says
 * where a container of the app is reached: the Kubernetes recipe answers with its Service, a local
 * run with the address the container listens on here, so both name the variables alike.
 */
export function connectionEnv(app: App, c: Container, place: PlaceTarget): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = []
  for (const [conn, v] of Object.entries(c.connections)) {
    if (v.disableDefaultEnvVars) continue
    let target: { scheme: string; hostname: string; port: number } | undefined
    if (v.source.kind === 'url') {
      const inApp = findServicePort(app, v.source.hostname, v.source.port)
      const placed = inApp && place({ ...inApp, viaUrl: true })
      target = placed ? { scheme: v.source.scheme, ...placed } : v.source
    } else {
      const name = v.source.name
      const other = app.containers.find((x) => x.name === name)
      const first = other && Object.entries(other.containers).flatMap(([cn, s]) => Object.entries(s.ports).map(([pn, p]) => ({ cn, pn, p })))[0]
      const placed = other && first && place({ container: other, containerName: first.cn, portName: first.pn, port: first.p, viaUrl: false })
      if (first && placed) target = { scheme: first.p.scheme ?? 'http', ...placed }
    }
    if (!target) continue
    out.push({ name: connectionVar(conn, 'SCHEME'), value: target.scheme }, { name: connectionVar(conn, 'HOSTNAME'), value: target.hostname }, { name: connectionVar(conn, 'PORT'), value: String(target.port) })
    if (v.source.kind === 'resource') out.push({ name: connectionVar(conn, 'URL'), value: `${target.scheme}://${target.hostname}:${target.port}` })
  }
  return out
}

/**
 * The container port a `http://<service>:<port>` URL reaches inside the app: the Service named
 * `host` (or `host.<namespace>…`) exposing `port`, as Kubernetes DNS would resolve it.
 */
export function findServicePort(app: App, host: string, port: number): Omit<ConnectionTarget, 'viaUrl'> | undefined {
  const service = host.toLowerCase().split('.')[0]!
  for (const c of app.containers)
    for (const [cn, spec] of Object.entries(c.containers)) {
      if (serviceName(c, cn) !== service) continue
      for (const [pn, p] of Object.entries(spec.ports)) if (p.port === port) return { container: c, containerName: cn, portName: pn, port: p }
    }
  return undefined
}
