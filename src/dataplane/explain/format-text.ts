import { STEP_NUMBER } from './precedence.ts'
import { PRECEDENCE_STEPS, type Answer, type Explanation, type HostDecision } from './types.ts'

const MARK = { chosen: '✓', lost: '~', 'no-match': '✗' } as const

/**
 * An explanation as text for a person: one section per decision, in the order the gateway makes
 * them, each with the reason first and the candidates it weighed below.
 */
export function formatExplanation(e: Explanation): string {
  const out: string[] = []
  const r = e.request
  const headers = Object.entries(r.headers).filter(([k]) => k !== 'host')
  if (r.scheme === 'tls' || r.scheme === 'tcp' || r.scheme === 'udp') {
    out.push(r.url)
    if (r.scheme === 'tls') out.push(`  SNI ${r.sni ?? '(none)'}`)
  } else {
    out.push(`${r.method} ${r.url}`)
    out.push(`  Host ${r.host || '(none)'}${r.scheme === 'https' ? `, SNI ${r.sni ?? '(none)'}` : ''}${headers.length ? `, headers ${headers.map(([k, v]) => `${k}: ${v}`).join(', ')}` : ''}`)
  }
  out.push('')
  section(out, 'Port', e.port.why)
  if (e.tls) section(out, 'TLS', e.tls.why)
  if (e.listener) hosts(out, 'Listener', e.listener)
  if (e.connection?.routes) hosts(out, 'TLSRoute', e.connection.routes)
  else if (e.connection && e.connection.mode !== 'https') section(out, 'Route', e.connection.why)
  if (e.hostname) hosts(out, 'Hostname', e.hostname)
  if (e.path) section(out, 'Path', e.path.matched === null ? `${e.path.sent} is refused: ${e.path.why}` : e.path.why)
  if (e.candidates.length) {
    const hostsTried = [...new Set(e.candidates.map((c) => c.virtualHost))]
    section(out, 'Rules', hostsTried.length > 1 ? `every rule of the routes for ${hostsTried.join(', then ')}, as written; precedence decides among those that match` : 'every rule of the routes for this hostname, as written; precedence decides among those that match')
    let group: string | null = null
    for (const c of e.candidates) {
      if (hostsTried.length > 1 && c.virtualHost !== group) out.push(`  for ${(group = c.virtualHost)}${c.virtualHost === hostsTried[0] ? '' : ' (fallback)'}:`)
      const step = c.lostAt?.step
      const tail = c.outcome === 'chosen' ? 'chosen' : c.outcome === 'lost' ? `matches, but loses ${step === 'hostname' ? 'on hostname' : `at step ${STEP_NUMBER[step!]} (${step})`}: ${c.lostAt!.why}` : 'does not match'
      out.push(`  ${MARK[c.outcome]} ${c.name}  ${tail}`)
      const w = Math.max(...c.checks.map((k) => k.field.length))
      for (const k of c.checks) out.push(`      ${k.ok ? '✓' : '✗'} ${k.field.padEnd(w)}  ${k.why}`)
    }
  }
  if (e.decision) {
    const step = e.decision.step
    const n = step === 'hostname' ? 'hostname before the eight steps: ' : step && step !== 'only-match' ? `step ${STEP_NUMBER[step]} of ${PRECEDENCE_STEPS.length} (${step}): ` : ''
    section(out, 'Decision', `${n}${e.decision.why}`)
  }
  if (e.filters.length) {
    section(out, 'Filters', 'applied in order')
    for (const f of e.filters) out.push(`  - ${f.scope === 'rule' ? '' : `(only with ${f.scope}) `}${f.what}`)
  }
  answer(out, e.answer)
  if (e.notAttached.length) {
    section(out, 'Not attached', 'routes that name this listener but are not accepted there (see `switchyard status`)')
    for (const n of e.notAttached) out.push(`  ✗ ${n.route} → ${n.parent}: ${n.reason}${n.message ? ` — ${n.message}` : ''}`)
  }
  if (e.inconsistency) section(out, 'Warning', `${e.inconsistency} (please report this)`)
  return out.join('\n') + '\n'
}

function answer(out: string[], a: Answer): void {
  switch (a.kind) {
    case 'refused':
      return section(out, 'Answer', a.why)
    case 'status':
      return section(out, 'Answer', `${a.status} from the gateway: ${a.why}`)
    case 'redirect':
      section(out, 'Answer', `${a.status} redirect, Location: ${a.location}`)
      out.push(`  ${a.why}`)
      return
    case 'forward': {
      section(out, 'Answer', a.why)
      out.push(`  the backend sees: path ${a.upstream.path}, Host ${a.upstream.host}`)
      if (a.upstream.timeouts) out.push(`  timeouts: ${a.upstream.timeouts}`)
      if (a.upstream.retry) out.push(`  retries: ${a.upstream.retry}`)
      if (a.backends.length > 1 || a.backends.some((b) => b.status !== null))
        for (const b of a.backends) out.push(`  ${`${Math.round(b.share * 1000) / 10}%`.padStart(6)}  ${b.service ?? b.name}: ${b.weight <= 0 ? b.why : b.status === null ? 'the backend answers' : `${b.status}: ${b.why}`}`)
      return
    }
    case 'connect':
      section(out, 'Answer', a.why)
      if (a.backends.length > 1 || a.backends.some((b) => b.rejected)) for (const b of a.backends) out.push(`  ${`${Math.round(b.share * 1000) / 10}%`.padStart(6)}  ${b.service ?? b.name}: ${b.why}`)
  }
}

function hosts(out: string[], title: string, d: HostDecision): void {
  const chosen = d.candidates.find((c) => c.chosen)
  section(out, title, chosen ? `${chosen.name} — ${chosen.why}` : d.why)
  const label = (c: HostDecision['candidates'][number]) => (c.hostname === c.name ? c.name : `${c.name} (${c.hostname ?? 'any host'})`)
  const w = Math.max(...d.candidates.map((c) => label(c).length))
  for (const c of d.candidates) out.push(`  ${c.chosen ? '✓' : c.match === 'none' ? '✗' : '·'} ${label(c).padEnd(w)}  ${c.chosen ? 'chosen' : c.why}`)
}

function section(out: string[], title: string, text: string): void {
  out.push(`${title.padEnd(9)} ${text}`)
}
