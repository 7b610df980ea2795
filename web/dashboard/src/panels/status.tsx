import { isHealthy, objectName, type Condition, type Status, type StatusObject } from '../api.ts'

/**
 * Every object's conditions, as a cluster would show them. Anything not accepted (or otherwise
 * unhealthy) comes first, in red, with its reason and message.
 */
export function StatusPanel(props: { status: Status | null }) {
  const objects = [...(props.status?.objects ?? [])].sort((a, b) => Number(healthy(a)) - Number(healthy(b)))
  return (
    <section id="status">
      <h2>Status</h2>
      {objects.length === 0 && <p class="muted">No objects.</p>}
      {objects.map((o) => (
        <div class={`object ${healthy(o) ? '' : 'problem'}`} data-testid={`object-${o.kind}-${objectName(o)}`}>
          <div>
            <span class="kind">{o.kind}</span> <b>{objectName(o)}</b> <span class="muted small">generation {o.metadata.generation}</span>
          </div>
          <Conditions conditions={o.status.conditions ?? []} />
          {o.status.listeners?.map((l) => (
            <div class="sub">
              listener <b>{l.name}</b> <span class="muted">{l.attachedRoutes} attached</span>
              <Conditions conditions={l.conditions} />
            </div>
          ))}
          {o.status.parents?.map((p) => (
            <div class="sub">
              parent <b>{`${p.parentRef.namespace ? `${p.parentRef.namespace}/` : ''}${p.parentRef.name}${p.parentRef.sectionName ? `#${p.parentRef.sectionName}` : ''}`}</b>
              <Conditions conditions={p.conditions} />
            </div>
          ))}
          {o.status.parents?.length === 0 && <div class="sub muted">no parent managed here</div>}
        </div>
      ))}
    </section>
  )
}

function Conditions(props: { conditions: readonly Condition[] }) {
  const bad = props.conditions.filter((c) => !isHealthy(c))
  return (
    <div>
      {props.conditions.map((c) => (
        <span class={`cond ${isHealthy(c) ? 'ok' : 'bad'}`} title={c.message}>
          {c.type}={c.status}
        </span>
      ))}
      {bad.map((c) => (
        <div class="reason" data-testid="reason">
          ✗ {c.type}: <b>{c.reason}</b> — {c.message}
        </div>
      ))}
    </div>
  )
}

function healthy(o: StatusObject): boolean {
  const all = [...(o.status.conditions ?? []), ...(o.status.listeners ?? []).flatMap((l) => l.conditions), ...(o.status.parents ?? []).flatMap((p) => p.conditions)]
  return all.every(isHealthy)
}
