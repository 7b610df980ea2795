import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { get, type Graph, type MetricsJSON, type Reloads, type Snapshot, type Status } from './api.ts'
import { GraphPanel } from './panels/graph.tsx'
import { ListenersPanel } from './panels/listeners.tsx'
import { ReloadsPanel } from './panels/reloads.tsx'
import { StatusPanel } from './panels/status.tsx'
import { TesterPanel } from './panels/tester.tsx'
import { TrafficPanel } from './panels/traffic.tsx'
import './style.css'

/** How many metrics snapshots (one a second) the rates and latencies are computed over. */
const WINDOW = 10

interface State {
  readonly status: Status | null
  readonly config: Snapshot | null
  readonly reloads: Reloads | null
  readonly graph: Graph | null
}

function App() {
  const [state, setState] = useState<State>({ status: null, config: null, reloads: null, graph: null })
  const [metrics, setMetrics] = useState<readonly MetricsJSON[]>([])
  const [connected, setConnected] = useState(false)

  useEffect(() => {
    const refresh = async () => {
      const [status, config, reloads, graph] = await Promise.all([get<Status>('status'), get<Snapshot | { error: string }>('config'), get<Reloads>('reloads'), get<Graph | null>('graph')])
      setState({ status, config: 'ports' in config ? config : null, reloads, graph })
    }
    // The server sends `state` when a reload happened (and first thing), `metrics` every second.
    const events = new EventSource('events')
    events.addEventListener('open', () => setConnected(true))
    events.addEventListener('error', () => setConnected(false))
    events.addEventListener('state', () => void refresh())
    events.addEventListener('metrics', (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as MetricsJSON
      setMetrics((prev) => [...prev.slice(-(WINDOW - 1)), m])
    })
    return () => events.close()
  }, [])

  const last = metrics.at(-1)
  const problems = state.status?.objects.filter((o) => [...(o.status.conditions ?? []), ...(o.status.parents ?? []).flatMap((p) => p.conditions), ...(o.status.listeners ?? []).flatMap((l) => l.conditions)].some((c) => c.type === 'Accepted' && c.status !== 'True')).length ?? 0
  return (
    <>
      <header>
        <h1>Switchyard</h1>
        <span class={`pill ${connected ? 'ok' : 'bad'}`} data-testid="connection">{connected ? 'live' : 'disconnected'}</span>
        <span class="pill">generation {state.status?.generation ?? '—'}</span>
        <span class="pill">{last?.connections ?? 0} open connections</span>
        {problems > 0 && <a class="pill bad" href="#status">{problems} not accepted</a>}
        {(state.status?.errors.length ?? 0) > 0 && <a class="pill bad" href="#reloads">last reload rejected</a>}
      </header>
      <main>
        <ListenersPanel config={state.config} metrics={metrics} />
        <StatusPanel status={state.status} />
        <TrafficPanel metrics={metrics} />
        <TesterPanel />
        <ReloadsPanel reloads={state.reloads} />
        <GraphPanel graph={state.graph} />
      </main>
    </>
  )
}

render(<App />, document.getElementById('app')!)
