import { sortDiagnostics, type Diagnostic } from '../diag/index.ts'
import type { App } from '../model/index.ts'
import type { DocumentRenderResult } from './recipe.ts'
import type { PlatformName } from './route-diagnostics.ts'

const KINDS: Readonly<Record<string, string>> = { 'Applications.Core/gateways': 'legacy gateway', 'Radius.Compute/containers': 'container', 'Applications.Core/containers': 'container' }

export const PLATFORMS: readonly PlatformName[] = ['ecs', 'aca', 'cloudrun']

export interface PortabilityRow {
  /** `Type/name`, as diagnostics name their resource. */
  readonly resource: string
  readonly label: string
  readonly cells: Readonly<Record<PlatformName, readonly Diagnostic[]>>
}

/**
 * Each route (and each other resource a platform said something about) × each platform: the
 * diagnostics of that resource on that platform; none means it renders as written. A legacy
 * gateway has a row per gateway route: a diagnostic at `properties.routes[i]…` belongs to route
 * i, one about the gateway as a whole (its hostname, its TLS) to each of its routes.
 */
export function portability(app: App, results: Readonly<Record<PlatformName, DocumentRenderResult>>): PortabilityRow[] {
  const rows = new Map<string, { label: string; cells: Record<PlatformName, Diagnostic[]> }>()
  const row = (resource: string, label: string) => {
    if (!rows.has(resource)) rows.set(resource, { label, cells: { ecs: [], aca: [], cloudrun: [] } })
    return rows.get(resource)!
  }
  for (const r of app.routes) row(`${r.type}/${r.name}`, `${r.name} (${r.routeKind})`)
  const gatewayRows = new Map<string, string[]>()
  for (const g of app.gateways) {
    const keys = g.routes.map((r, i) => {
      const key = `${g.type}/${g.name}#${i}`
      row(key, `${g.name} routes[${i}] ${g.tls?.sslPassthrough ? '(legacy gateway, TLS passthrough)' : `${r.path ?? '/'} (legacy gateway)`}`)
      return key
    })
    gatewayRows.set(`${g.type}/${g.name}`, keys)
  }
  for (const p of PLATFORMS) {
    for (const d of results[p].diagnostics) {
      const resource = d.resource ?? ''
      const gateway = gatewayRows.get(resource)
      if (gateway?.length) {
        const i = /^properties\.routes\[(\d+)\]/.exec(d.path)?.[1]
        for (const key of i !== undefined && gateway[Number(i)] ? [gateway[Number(i)]!] : gateway) rows.get(key)!.cells[p].push(d)
        continue
      }
      row(resource, `${resource.split('/').slice(-1)[0]} (${KINDS[resource.split('/').slice(0, 2).join('/')] ?? resource})`).cells[p].push(d)
    }
  }
  return [...rows.entries()].map(([resource, r]) => ({ resource, label: r.label, cells: { ecs: sortDiagnostics(r.cells.ecs), aca: sortDiagnostics(r.cells.aca), cloudrun: sortDiagnostics(r.cells.cloudrun) } }))
}

/** Whether every cell renders (warnings allowed): what `render --check` exits 0 for. */
export function isPortable(rows: readonly PortabilityRow[], platforms: readonly PlatformName[] = PLATFORMS): boolean {
  return rows.every((r) => platforms.every((p) => r.cells[p].every((d) => d.severity !== 'error')))
}

/**
 * The table as text: `ok`, `ok [n]` (renders, with warnings) or `no [n]` per cell, and the numbered
 * reasons below it with file, line and field. A reason shared by several cells (a legacy gateway's
 * TLS, for each of its routes) is one note.
 */
export function formatPortability(rows: readonly PortabilityRow[], platforms: readonly PlatformName[] = PLATFORMS): string {
  const notes: string[] = []
  const numbered = new Map<Diagnostic, number>()
  const cell = (ds: readonly Diagnostic[], p: PlatformName) => {
    if (!ds.length) return 'ok'
    const refs = ds.map((d) => {
      if (numbered.has(d)) return numbered.get(d)!
      const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.col} ` : ''
      notes.push(`[${notes.length + 1}] ${p} ${d.severity} ${where}${d.path ? `${d.path}: ` : ''}${d.message}`)
      numbered.set(d, notes.length)
      return notes.length
    })
    return `${ds.some((d) => d.severity === 'error') ? 'no' : 'ok'} [${refs.join(',')}]`
  }
  const table = [['resource', ...platforms], ...rows.map((r) => [r.label, ...platforms.map((p) => cell(r.cells[p], p))])]
  const widths = table[0]!.map((_, i) => Math.max(...table.map((line) => line[i]!.length)))
  const lines = table.map((line) => line.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd())
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '))
  if (!rows.length) lines.push('(the app has no routes)')
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n') + '\n'
}
