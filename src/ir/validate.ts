import type { HTTPBackend, HTTPRouteEntry } from './http.ts'
import type { L4Backend } from './backend.ts'
import type { Port, Snapshot } from './snapshot.ts'

/** Stable codes for IR invariant violations (DESIGN.md §4 kind 3); documented in docs/errors.md. */
export type IRErrorCode =
  | 'IR_PORT_CONFLICT'
  | 'IR_PORT_OUT_OF_RANGE'
  | 'IR_DUPLICATE_NAME'
  | 'IR_INVALID_WEIGHT'
  | 'IR_INVALID_ENDPOINT'
  | 'IR_MISSING_CERTIFICATE'
  | 'IR_UNSORTED'

export interface IRError {
  readonly code: IRErrorCode
  /** The IR name the error is about. */
  readonly name: string
  readonly message: string
}

/**
 * Checks the invariants the data plane relies on. The pipeline refuses to publish a snapshot with
 * errors and keeps the last good one. Never throws.
 */
export function validate(snapshot: Snapshot): IRError[] {
  const errors: IRError[] = []
  const seenPorts = new Set<string>()
  const names = new Set<string>()
  const unique = (name: string) => {
    if (names.has(name)) errors.push({ code: 'IR_DUPLICATE_NAME', name, message: `the name ${name} is used twice` })
    names.add(name)
  }
  for (const p of snapshot.ports) {
    const transport = p.kind === 'udp' ? 'udp' : 'tcp'
    const key = `${transport}/${p.address ?? '*'}:${p.port}`
    if (seenPorts.has(key)) errors.push({ code: 'IR_PORT_CONFLICT', name: p.name, message: `two ports bind ${key}` })
    seenPorts.add(key)
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) errors.push({ code: 'IR_PORT_OUT_OF_RANGE', name: p.name, message: `port ${p.port} is not in 1-65535` })
    checkPort(p, unique, errors)
  }
  return errors
}

function checkPort(p: Port, unique: (n: string) => void, errors: IRError[]): void {
  switch (p.kind) {
    case 'http':
      for (const l of p.listeners) {
        unique(l.name)
        for (const vh of l.virtualHosts) checkEntries(vh.routes, errors)
      }
      return
    case 'tls':
      for (const l of p.listeners) {
        unique(l.name)
        if (l.kind !== 'tls-passthrough' && l.tls.certificates.length === 0)
          errors.push({ code: 'IR_MISSING_CERTIFICATE', name: l.name, message: 'a terminating listener has no certificate' })
        if (l.kind === 'https') for (const vh of l.virtualHosts) checkEntries(vh.routes, errors)
        else for (const r of l.routes) checkBackends(r.name, r.backends, errors)
      }
      return
    case 'tcp':
    case 'udp':
      unique(p.listener)
      checkBackends(p.name, p.backends, errors)
      return
    default:
      assertNever(p)
  }
}

function checkEntries(routes: readonly HTTPRouteEntry[], errors: IRError[]): void {
  for (let i = 1; i < routes.length; i++) {
    const a = routes[i - 1]!.match.path
    const b = routes[i]!.match.path
    // The cheapest sortedness check that cannot give false alarms: exact never follows prefix.
    if (a.kind === 'prefix' && b.kind === 'exact') errors.push({ code: 'IR_UNSORTED', name: routes[i]!.name, message: 'an exact match follows a prefix match' })
  }
  for (const r of routes) if (r.action.kind === 'forward') checkBackends(r.name, r.action.backends, errors)
}

function checkBackends(name: string, backends: readonly (L4Backend | HTTPBackend)[], errors: IRError[]): void {
  for (const b of backends) {
    if (!Number.isInteger(b.weight) || b.weight < 0) errors.push({ code: 'IR_INVALID_WEIGHT', name: b.name, message: `weight ${b.weight} is not a non-negative integer` })
    if (b.kind === 'service')
      for (const e of b.endpoints)
        if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535 || e.address === '')
          errors.push({ code: 'IR_INVALID_ENDPOINT', name: b.name, message: `endpoint ${e.address}:${e.port} is not a valid address and port` })
  }
  void name
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`)
}
