import type { ServerResponse } from 'node:http'

/** One server-sent event: `event:` name and a JSON `data:` line. */
export interface StreamEvent {
  readonly event: string
  readonly data: unknown
}

/**
 * `GET /events`: a server-sent events stream (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * Every `intervalMs`, `tick(first)` says what to send; the timer runs only while someone listens.
 * The dashboard keeps one open, so counters move without polling and a reload shows at once.
 */
export class EventStream {
  readonly #clients = new Set<ServerResponse>()
  readonly #intervalMs: number
  readonly #tick: (first: boolean) => readonly StreamEvent[]
  #timer: NodeJS.Timeout | null = null

  constructor(intervalMs: number, tick: (first: boolean) => readonly StreamEvent[]) {
    this.#intervalMs = intervalMs
    this.#tick = tick
  }

  add(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' })
    // Ask the browser to reconnect quickly if the gateway restarts.
    res.write('retry: 1000\n\n')
    this.#send(res, this.#tick(true))
    this.#clients.add(res)
    res.once('close', () => {
      this.#clients.delete(res)
      if (this.#clients.size === 0 && this.#timer) {
        clearInterval(this.#timer)
        this.#timer = null
      }
    })
    this.#timer ??= setInterval(() => {
      const events = this.#tick(false)
      for (const c of this.#clients) this.#send(c, events)
    }, this.#intervalMs)
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    for (const c of this.#clients) c.end()
    this.#clients.clear()
  }

  #send(res: ServerResponse, events: readonly StreamEvent[]): void {
    for (const e of events) res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`)
  }
}
