import { Command, Option } from 'commander'
import { hasErrors, SwitchyardError } from '../diag/index.ts'
import { isUnhealthy, type Condition } from '../k8s/index.ts'
import { DEFAULT_CONTROLLER_NAME, translateTexts, type ObjectStatus } from '../translator/index.ts'
import { canonicalYaml } from '../util/index.ts'
import { printDiagnostics } from './print-diagnostics.ts'
import { readInputs } from '../pipeline/index.ts'

const collect = (value: string, previous: string[]) => [...previous, value]

/**
 * `switchyard status -f <file|dir> [-f …] [-o table|yaml|json] [--controller-name NAME]`: the status
 * every GatewayClass, Gateway and Route would show in a cluster, without serving.
 */
export function statusCommand(): Command {
  return new Command('status')
    .description('Show the status (conditions) every Gateway API object would have, without serving.')
    .requiredOption('-f, --file <path>', 'Gateway API YAML file or directory (repeatable)', collect, [])
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'yaml', 'json']).default('table'))
    .option('--controller-name <name>', 'serve only GatewayClasses with this controllerName', DEFAULT_CONTROLLER_NAME)
    .action((opts: { file: string[]; output: 'table' | 'yaml' | 'json'; controllerName: string }) => {
      if (opts.file.length === 0) throw new SwitchyardError('CLI_NO_INPUT', 'no input: give Gateway API YAML with -f <file|dir>')
      const inputs = readInputs(opts.file)
      const result = translateTexts(inputs, { controllerName: opts.controllerName, now: new Date().toISOString().replace(/\.\d+Z$/, 'Z') })
      if (opts.output === 'json') process.stdout.write(JSON.stringify({ objects: result.statuses }, null, 2) + '\n')
      else if (opts.output === 'yaml') process.stdout.write(canonicalYaml({ objects: result.statuses }))
      else process.stdout.write(statusTable(result.statuses))
      printDiagnostics(result.diagnostics, inputs, 'text')
      if (hasErrors(result.diagnostics)) process.exitCode = 1
    })
}

/** The conditions that say something is wrong: a positive one False, or a negative one True. */
export function unhealthyConditions(conditions: readonly Condition[]): Condition[] {
  return conditions.filter(isUnhealthy)
}

/** One line per object, listener and route parent, with unhealthy conditions spelled out below. */
export function statusTable(objects: readonly ObjectStatus[]): string {
  const rows: [string, string, string][] = []
  const problems = new Map<number, string[]>()
  const add = (kind: string, name: string, conditions: readonly Condition[]) => {
    rows.push([kind, name, conditions.map((c) => `${c.type}=${c.status}`).join(' ')])
    const bad = unhealthyConditions(conditions).map((c) => `${c.type}: ${c.reason} — ${c.message}`)
    if (bad.length > 0) problems.set(rows.length - 1, bad)
  }
  for (const o of objects) {
    const name = o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name
    const s = o.status as { conditions?: Condition[]; listeners?: { name: string; attachedRoutes: number; conditions: Condition[] }[]; parents?: { parentRef: { name: string; namespace?: string; sectionName?: string; port?: number }; conditions: Condition[] }[] }
    if (s.parents) {
      rows.push([o.kind, name, s.parents.length === 0 ? '(no parents managed here)' : ''])
      for (const p of s.parents) {
        const ref = `${p.parentRef.namespace ? p.parentRef.namespace + '/' : ''}${p.parentRef.name}${p.parentRef.sectionName ? '#' + p.parentRef.sectionName : ''}${p.parentRef.port ? ':' + p.parentRef.port : ''}`
        add('  parent', ref, p.conditions)
      }
      continue
    }
    add(o.kind, name, s.conditions ?? [])
    for (const l of s.listeners ?? []) add('  listener', `${l.name} (${l.attachedRoutes} attached)`, l.conditions)
  }
  const w0 = Math.max(4, ...rows.map((r) => r[0].length))
  const w1 = Math.max(4, ...rows.map((r) => r[1].length))
  const lines = [`${'KIND'.padEnd(w0)}  ${'NAME'.padEnd(w1)}  CONDITIONS`]
  rows.forEach((r, i) => {
    lines.push(`${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`.trimEnd())
    for (const p of problems.get(i) ?? []) lines.push(`${' '.repeat(w0 + 2)}  ✗ ${p}`)
  })
  return lines.join('\n') + '\n'
}
