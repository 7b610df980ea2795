import { useState } from 'preact/hooks'
import type { Explanation } from '../api.ts'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/** A request tester: what the gateway would do with a request, and why (`/explain`). Nothing is sent to a backend. */
export function TesterPanel() {
  const [method, setMethod] = useState('GET')
  const [url, setUrl] = useState('http://localhost:8080/')
  const [headers, setHeaders] = useState('')
  const [sni, setSni] = useState('')
  const [result, setResult] = useState<Explanation | { error: string } | null>(null)
  const submit = async (e: Event) => {
    e.preventDefault()
    const q = new URLSearchParams({ method, url })
    for (const line of headers.split('\n')) if (line.includes(':')) q.append('header', line.trim())
    if (sni.trim()) q.set('sni', sni.trim())
    const r = await fetch(`explain?${q}`)
    setResult((await r.json()) as Explanation | { error: string })
  }
  return (
    <section id="tester" class="wide">
      <h2>Request tester</h2>
      <form onSubmit={submit} class="tester">
        <select value={method} onChange={(e) => setMethod((e.target as HTMLSelectElement).value)} aria-label="method">
          {METHODS.map((m) => (
            <option>{m}</option>
          ))}
        </select>
        <input class="url" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} aria-label="URL" placeholder="http://host:port/path?query" />
        <input value={sni} onInput={(e) => setSni((e.target as HTMLInputElement).value)} aria-label="SNI" placeholder="SNI (https, tls)" />
        <button type="submit">Explain</button>
        <textarea value={headers} onInput={(e) => setHeaders((e.target as HTMLTextAreaElement).value)} aria-label="headers" placeholder={'headers, one per line\nx-tenant: a'} rows={2} />
      </form>
      {result && ('error' in result ? <p class="bad-text">{result.error}</p> : <ExplanationView e={result} />)}
    </section>
  )
}

function ExplanationView({ e }: { e: Explanation }) {
  const a = e.answer
  const headline = a.kind === 'refused' ? 'refused' : a.kind === 'forward' ? (a.backends.length === 1 && a.backends[0]!.status !== null ? `${a.backends[0]!.status}` : `→ ${a.backends.filter((b) => b.weight > 0).map((b) => b.service ?? b.name).join(', ')}`) : a.kind === 'connect' ? `→ ${a.backends.filter((b) => b.weight > 0 && !b.rejected).map((b) => b.service ?? b.name).join(', ') || a.mode}` : `${a.status}`
  return (
    <div class="explanation" data-testid="explanation">
      <div class={`answer ${a.kind === 'forward' || a.kind === 'redirect' || a.kind === 'connect' ? 'ok' : 'bad'}`} data-testid="answer">
        <b>{headline}</b> {a.kind === 'redirect' && <span class="mono">Location: {a.location} </span>}
        <span>{a.why}</span>
        {a.kind === 'forward' && (
          <div class="small">
            the backend sees <span class="mono">{a.upstream.path}</span> with Host <span class="mono">{a.upstream.host}</span>
            {a.upstream.timeouts && `; timeouts ${a.upstream.timeouts}`}
            {a.upstream.retry && `; ${a.upstream.retry}`}
          </div>
        )}
      </div>
      <ol class="steps">
        <li>
          <b>Port</b> {e.port.why}
        </li>
        {e.tls && (
          <li>
            <b>TLS</b> {e.tls.why}
          </li>
        )}
        {e.listener && <HostStep title="Listener" d={e.listener} />}
        {e.hostname && <HostStep title="Hostname" d={e.hostname} />}
        {e.candidates.length > 0 && (
          <li>
            <b>Rules</b>
            <table class="rules">
              <tbody>
                {e.candidates.map((c) => (
                  <tr class={c.outcome} data-testid={`candidate-${c.outcome}`}>
                    <td>{c.outcome === 'chosen' ? '✓' : c.outcome === 'lost' ? '~' : '✗'}</td>
                    <td class="mono small">{c.name}</td>
                    <td>
                      {c.checks.map((k) => (
                        <div class={k.ok ? '' : 'bad-text'}>
                          {k.ok ? '✓' : '✗'} <span class="mono">{k.field}</span> {k.why}
                        </div>
                      ))}
                      {c.lostAt && <div class="muted">loses: {c.lostAt.why}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </li>
        )}
        {e.decision && (
          <li>
            <b>Decision</b> {e.decision.step && e.decision.step !== 'only-match' ? `(${e.decision.step}) ` : ''}
            {e.decision.why}
          </li>
        )}
        {e.filters.length > 0 && (
          <li>
            <b>Filters</b>
            <ul>
              {e.filters.map((f) => (
                <li>{f.what}</li>
              ))}
            </ul>
          </li>
        )}
        {a.kind === 'forward' && a.backends.length > 1 && (
          <li>
            <b>Backends</b>
            <ul>
              {a.backends.map((b) => (
                <li>
                  {Math.round(b.share * 100)}% {b.service ?? b.name}: {b.status === null ? 'the backend answers' : `${b.status} — ${b.why}`}
                </li>
              ))}
            </ul>
          </li>
        )}
        {e.notAttached.length > 0 && (
          <li>
            <b>Not attached here</b>
            <ul>
              {e.notAttached.map((n) => (
                <li class="bad-text">
                  {n.route} → {n.parent}: <b>{n.reason}</b> — {n.message}
                </li>
              ))}
            </ul>
          </li>
        )}
      </ol>
      {e.inconsistency && <p class="bad-text">{e.inconsistency}</p>}
    </div>
  )
}

function HostStep(props: { title: string; d: NonNullable<Explanation['listener']> }) {
  return (
    <li>
      <b>{props.title}</b> {chosenWhy(props.d)}
      {props.d.candidates.length > 1 && (
        <ul>
          {props.d.candidates.map((c) => (
            <li class={c.chosen ? 'ok-text' : 'muted'}>
              {c.chosen ? '✓' : c.match === 'none' ? '✗' : '·'} <span class="mono">{c.name}</span> {c.chosen ? '' : c.why}
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}

/** The chosen candidate and why (the decision's sentence without its leading "listener"/"hostname"). */
function chosenWhy(d: NonNullable<Explanation['listener']>): string {
  const c = d.candidates.find((x) => x.chosen)
  return c ? `${c.name} — ${c.why}` : d.why
}
