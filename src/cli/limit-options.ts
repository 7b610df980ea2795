import { Option, type Command } from 'commander'
import { DEFAULT_LIMITS, type Limits } from '../dataplane/index.ts'
import { SwitchyardError } from '../diag/index.ts'
import { parseGoDuration } from '../util/index.ts'

/**
 * The `--max-*` and `--*-timeout` flags of `serve` and `run`: the data plane's limits
 * (src/dataplane/runtime/limits.ts, docs/reliability.md) from the command line. A flag left out
 * keeps its default; a malformed value stops the command with CLI_LIMIT, naming the flag.
 */
interface LimitFlag {
  readonly flag: string
  readonly field: keyof Limits
  readonly kind: 'count' | 'size' | 'duration'
  readonly help: string
}

const FLAGS: readonly LimitFlag[] = [
  { flag: 'max-connections-per-port', field: 'maxConnectionsPerPort', kind: 'count', help: 'client connections open at once on one port; more are reset at accept' },
  { flag: 'headers-timeout', field: 'headersTimeoutMs', kind: 'duration', help: 'how long an HTTP client has for a request’s headers (408 after)' },
  { flag: 'request-timeout', field: 'requestTimeoutMs', kind: 'duration', help: 'how long an HTTP client has to send a whole request, body included (408 after)' },
  { flag: 'max-header-bytes', field: 'maxHeaderBytes', kind: 'size', help: 'the most bytes of request line and headers (431 past it)' },
  { flag: 'max-body-bytes', field: 'maxBodyBytes', kind: 'size', help: 'the most bytes of request body, declared or streamed (413 past it)' },
  { flag: 'keepalive-timeout', field: 'keepAliveTimeoutMs', kind: 'duration', help: 'close an HTTP/1.1 keep-alive client connection idle this long between requests' },
]

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }

/** A size: a whole number of bytes, or with a binary suffix `k`, `m` or `g` (`16k` = 16,384). Undefined if malformed or zero. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)([kmg]?)$/i.exec(text.trim())
  if (!m) return undefined
  const n = Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!
  return n > 0 && Number.isSafeInteger(n) ? n : undefined
}

/** A duration in milliseconds: `500ms`, `60s`, `5m`, `1m30s` (Go syntax), or a bare number of milliseconds. Undefined if malformed or zero. */
export function parseDurationMs(text: string): number | undefined {
  const t = text.trim()
  const n = /^\d+$/.test(t) ? Number(t) : parseGoDuration(t)
  return n !== undefined && n >= 1 && Number.isSafeInteger(Math.round(n)) ? Math.round(n) : undefined
}

function parseValue(f: LimitFlag, text: string): number {
  const n = f.kind === 'size' ? parseSize(text) : f.kind === 'duration' ? parseDurationMs(text) : /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined
  if (n === undefined || n < 1 || !Number.isSafeInteger(n)) {
    const want = f.kind === 'size' ? 'a size in bytes such as 1048576, 512k, 16m or 1g' : f.kind === 'duration' ? 'a duration such as 500ms, 60s or 5m' : 'a positive whole number'
    throw new SwitchyardError('CLI_LIMIT', `--${f.flag} wants ${want}, got ${JSON.stringify(text)}`)
  }
  return n
}

function shown(f: LimitFlag): string {
  const v = DEFAULT_LIMITS[f.field]
  if (f.kind === 'duration') return v % 1000 === 0 ? `${v / 1000}s` : `${v}ms`
  if (f.kind === 'size') {
    for (const u of ['g', 'm', 'k'] as const) if (v % SIZE_UNITS[u]! === 0) return `${v / SIZE_UNITS[u]!}${u}`
  }
  return String(v)
}

/** Adds the limit flags to `command`; read them back with `limitsFrom`. */
export function addLimitOptions(command: Command): Command {
  for (const f of FLAGS) {
    const arg = f.kind === 'size' ? '<size>' : f.kind === 'duration' ? '<duration>' : '<n>'
    command.addOption(new Option(`--${f.flag} ${arg}`, `${f.help} (default: ${shown(f)})`).argParser((v) => parseValue(f, v)))
  }
  return command
}

/** The limits given on the command line (commander's parsed options), for `RuntimeOptions.limits`. */
export function limitsFrom(opts: Record<string, unknown>): Partial<Limits> {
  const out: Partial<Record<keyof Limits, number>> = {}
  for (const f of FLAGS) {
    const v = opts[camel(f.flag)]
    if (typeof v === 'number') out[f.field] = v
  }
  return out
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
}
