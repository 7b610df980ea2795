import { Command, Option } from 'commander'
import { hasErrors, SwitchyardError, type Diagnostic } from '../diag/index.ts'
import { compile, explain, formatExplanation, type Explanation, type ExplainRequest } from '../dataplane/index.ts'
import { readInputs, type InputFile } from '../pipeline/index.ts'
import { DEFAULT_CONTROLLER_NAME, translateTexts } from '../translator/index.ts'
import { printDiagnostics } from './print-diagnostics.ts'

const collect = (value: string, previous: string[]) => [...previous, value]

/**
 * Gateway API YAML + one request → the explanation, through the same load, translate and compile
 * steps `serve` uses. `now` stamps objects without a creationTimestamp (the "oldest route" rule).
 */
export function explainTexts(inputs: readonly InputFile[], request: ExplainRequest, options: { controllerName?: string; now: string }): { explanation: Explanation | null; diagnostics: readonly Diagnostic[] } {
  const result = translateTexts(inputs, { controllerName: options.controllerName ?? DEFAULT_CONTROLLER_NAME, now: options.now })
  if (hasErrors(result.diagnostics)) return { explanation: null, diagnostics: result.diagnostics }
  return { explanation: explain(compile(result.ir), request, { objects: result.statuses }), diagnostics: result.diagnostics }
}

/** `-H name:value` → a header pair; throws CLI_USAGE for anything else. */
export function parseHeader(h: string): [string, string] {
  const i = h.indexOf(':')
  if (i <= 0) throw new SwitchyardError('CLI_USAGE', `-H wants name:value, got ${JSON.stringify(h)}`)
  return [h.slice(0, i).trim().toLowerCase(), h.slice(i + 1).trim()]
}

/** tls://, tcp:// and udp:// describe a connection: no method (one given anyway is ignored). */
const CONNECTION_URL = /^(tls|tcp|udp):\/\//i

/**
 * `<METHOD> <URL>`, or just `<URL>` for a connection → [method, url]; throws CLI_USAGE when an
 * HTTP URL comes without its method.
 */
export function requestArguments(first: string, second: string | undefined): [string, string] {
  if (second !== undefined) return [first, second]
  if (CONNECTION_URL.test(first)) return ['', first]
  throw new SwitchyardError('CLI_USAGE', `explain wants <METHOD> <URL> (or a tls://, tcp:// or udp:// URL alone), got only ${JSON.stringify(first)}`)
}

/**
 * `switchyard explain -f <file|dir> [-f …] <METHOD> <URL> [-H name:value]… [--sni NAME] [-o text|json]`,
 * or `… tls://host:port | tcp://address:port | udp://address:port` for a connection (DESIGN.md §5):
 * which listener, route rule and backend a request or connection would take, and why.
 */
export function explainCommand(): Command {
  return new Command('explain')
    .description('Explain which listener, route rule and backend a request or connection would take, and why, without serving.')
    .argument('<method>', 'the request method, e.g. GET (left out for tls://, tcp:// and udp:// URLs)')
    .argument('[url]', 'the request URL as the client sends it, its port the listener port (http://shop.localhost:8080/cart, https://…); or a connection: tls://host:port (SNI = host), tcp://address:port, udp://address:port')
    .requiredOption('-f, --file <path>', 'Gateway API YAML file or directory (repeatable)', collect, [])
    .option('-H, --header <name:value>', 'a request header (repeatable); Host overrides the URL host', collect, [])
    .option('--sni <name>', 'the TLS server name for https:// and tls:// URLs (default: the URL host; "" for none)')
    .addOption(new Option('-o, --output <format>', 'text for people, json for tools').choices(['text', 'json']).default('text'))
    .option('--controller-name <name>', 'serve only GatewayClasses with this controllerName', DEFAULT_CONTROLLER_NAME)
    .addHelpText('after', '\nExamples:\n  switchyard explain -f examples/serve GET http://shop.localhost:8080/old/page -H accept:text/html\n  switchyard explain -f examples/serve-tls-tcp-udp tls://foo.example.com:8443')
    .action((first: string, second: string | undefined, opts: { file: string[]; header: string[]; sni?: string; output: 'text' | 'json'; controllerName: string }) => {
      if (opts.file.length === 0) throw new SwitchyardError('CLI_NO_INPUT', 'no input: give Gateway API YAML with -f <file|dir>')
      const [method, url] = requestArguments(first, second)
      const headers = Object.fromEntries(opts.header.map(parseHeader))
      const inputs = readInputs(opts.file)
      const request: ExplainRequest = { method, url, headers, ...(opts.sni !== undefined ? { sni: opts.sni } : {}) }
      const { explanation, diagnostics } = explainTexts(inputs, request, { controllerName: opts.controllerName, now: new Date().toISOString().replace(/\.\d+Z$/, 'Z') })
      printDiagnostics(diagnostics, inputs, 'text')
      if (!explanation) {
        process.exitCode = 1
        return
      }
      process.stdout.write(opts.output === 'json' ? JSON.stringify(explanation, null, 2) + '\n' : formatExplanation(explanation))
    })
}
