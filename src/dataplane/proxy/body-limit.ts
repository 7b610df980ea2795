import { Readable, Transform } from 'node:stream'

/**
 * A request body of undeclared length (HTTP/1.1 chunked, RFC 9112 §7.1; HTTP/2 DATA frames without
 * content-length, RFC 9113 §8.1.1) counted against `limit` as it streams: the returned Readable
 * passes the body through unchanged until the total would pass `limit`. The chunk that crosses it
 * is never passed on (so whoever reads the result — the upstream client — never sees more than
 * `limit` bytes), `onOver` is called at once (to answer 413 or cut the exchange, RFC 9110
 * §15.5.14), and the result then breaks off with `BodyTooLarge` so its reader aborts rather than
 * finishing a truncated request. The source is paused and left alone: the caller decides how its
 * connection or stream ends.
 *
 * A declared Content-Length needs none of this: it is checked against the limit before anything
 * is read, and the HTTP engine holds the body to it.
 */
export function limitBody(source: Readable, limit: number, onOver: (received: number) => void): Readable {
  let received = 0
  let over = false
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length
      if (received <= limit) return done(null, chunk)
      over = true
      source.unpipe(out)
      source.pause()
      onOver(received)
      done(new BodyTooLarge(limit, received))
    },
  })
  // A body that breaks off (client gone, stream reset) must reach the reader as an error, not an end:
  // pipe() alone would leave the result open, and the upstream client waiting for the rest.
  const broken = (e?: Error) => {
    if (!over && !source.readableEnded) out.destroy(e ?? new Error('client request body aborted'))
  }
  source.once('error', broken)
  source.once('close', () => broken())
  source.pipe(out)
  return out
}

/** Why a counted body stopped: it went past its limit. */
export class BodyTooLarge extends Error {
  readonly limit: number
  readonly received: number
  constructor(limit: number, received: number) {
    super(`request body past the limit of ${limit} bytes`)
    this.name = 'BodyTooLarge'
    this.limit = limit
    this.received = received
  }
}

/**
 * Reads `body` into memory so a retry can send it again, if it ends within `limit` bytes. A longer
 * (or broken) body comes back as a stream that replays what was read and then the rest, to be sent
 * once: consumed is consumed, and a retry loop must not send an empty or truncated copy.
 */
export function bufferBody(body: Readable, limit: number): Promise<Buffer | Readable> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const settle = (whole: boolean) => {
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('error', onBroken)
      body.off('close', onBroken)
      if (whole) return resolve(Buffer.concat(chunks))
      body.pause()
      resolve(Readable.from(replay(chunks, body), { objectMode: false }))
    }
    const onData = (c: Buffer) => {
      chunks.push(c)
      size += c.length
      if (size > limit) settle(false)
    }
    const onEnd = () => settle(true)
    const onBroken = () => settle(false)
    body.on('data', onData)
    body.once('end', onEnd)
    body.once('error', onBroken)
    body.once('close', onBroken)
  })
}

async function* replay(head: Buffer[], rest: Readable): AsyncGenerator<Buffer> {
  yield* head
  // Throws if `rest` errored or closed before its end, so the replayed body breaks off too.
  for await (const c of rest) yield c as Buffer
}
