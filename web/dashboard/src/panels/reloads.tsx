import type { Reloads } from '../api.ts'

/** Every reload attempt, newest first, with the errors of the rejected ones. */
export function ReloadsPanel(props: { reloads: Reloads | null }) {
  const entries = [...(props.reloads?.entries ?? [])].reverse()
  return (
    <section id="reloads">
      <h2>Reloads</h2>
      {entries.length === 0 && <p class="muted">None yet.</p>}
      <ol class="reloads">
        {entries.map((e) => (
          <li class={e.kind} data-testid={`reload-${e.kind}`}>
            <span class="mono small">{e.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</span> <span class={`pill ${e.kind === 'rejected' ? 'bad' : e.kind === 'published' ? 'ok' : ''}`}>{e.kind}</span> <span class="muted">generation {e.generation}</span>
            {e.errors.map((d) => (
              <div class="reason mono small">
                {d.source ? `${d.source.file}:${d.source.line}:${d.source.col} ` : ''}
                {d.code}: {d.message}
              </div>
            ))}
          </li>
        ))}
      </ol>
      {props.reloads && props.reloads.seq > entries.length && <p class="muted small">{props.reloads.seq - entries.length} older attempts not kept</p>}
    </section>
  )
}
