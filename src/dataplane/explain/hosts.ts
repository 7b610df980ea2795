import type { HostCandidate, HostDecision, HostMatch } from './types.ts'

/**
 * How a Gateway API hostname pattern matches a host (gateway-api.md §4.1): equal
 * (case-insensitive), `*.suffix` matching one or more labels before the suffix but never the
 * suffix itself, and no hostname (or `*`) matching anything.
 */
export function hostMatch(pattern: string | null, host: string): HostMatch {
  const p = pattern?.toLowerCase() ?? '*'
  if (p === '*') return 'any'
  if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1 ? 'wildcard' : 'none'
  return p === host ? 'exact' : 'none'
}

/** Why a pattern did not match, in words a newcomer can act on. */
function noMatchWhy(pattern: string, host: string): string {
  const p = pattern.toLowerCase()
  if (p.startsWith('*.') && host === p.slice(2)) return `${pattern} does not match ${host} itself: a wildcard needs at least one label before ${p.slice(2)}`
  if (p.startsWith('*.')) return `${host} does not end in ${p.slice(1)}`
  return `${pattern} is not ${host}`
}

/** Labels right of `*` (or all labels of an exact name): more is more specific (§4.3). */
const labels = (h: string) => h.replace(/^\*\./, '').split('.').length

/**
 * Explains a choice among entries by hostname, where `chosen` is what the data plane's own lookup
 * returned (the truth); the order of preference is exact, then the wildcard with more labels,
 * then the hostname-less entry (gateway-api.md §4.3).
 */
export function decideHost<T>(what: string, against: string, entries: readonly { readonly name: string; readonly hostname: string | null; readonly value: T }[], chosen: T | null): HostDecision {
  const winner = entries.find((e) => e.value === chosen) ?? null
  const candidates: HostCandidate[] = entries.map((e) => {
    const match = hostMatch(e.hostname, against)
    const isChosen = e === winner
    let why: string
    if (isChosen) why = chosenWhy(match, e.hostname, against, entries.filter((o) => o !== e && hostMatch(o.hostname, against) !== 'none').length > 0)
    else if (match === 'none') why = noMatchWhy(e.hostname ?? '*', against)
    else if (winner && entries.indexOf(e) < entries.indexOf(winner)) why = `matches, but ${winner.name} was taken first (the first of equally specific entries wins)`
    else why = `matches too, but ${winner?.name ?? 'another entry'} is more specific`
    return { name: e.name, hostname: e.hostname, match, chosen: isChosen, why }
  })
  const c = candidates.find((x) => x.chosen)
  const why = c ? `${what} ${c.name}: ${c.why}` : entries.length === 0 ? `there is no ${what}` : `no ${what} matches ${against}`
  return { against, chosen: c?.name ?? null, match: c?.match ?? 'none', why, candidates }
}

function chosenWhy(match: HostMatch, hostname: string | null, host: string, othersMatch: boolean): string {
  switch (match) {
    case 'exact':
      return `${hostname} is exactly ${host}${othersMatch ? ' (an exact hostname beats every wildcard)' : ''}`
    case 'wildcard':
      return `${hostname} matches ${host}${othersMatch ? ` (the most specific match: ${labels(hostname!)} label${labels(hostname!) === 1 ? '' : 's'} right of *)` : ''}`
    case 'any':
      return `it has no hostname, so it matches any host${othersMatch ? '' : ', and nothing more specific matches'}`
    case 'none':
      return `the data plane chose it although ${hostname ?? '*'} does not match ${host}`
  }
}
