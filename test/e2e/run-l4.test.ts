import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import net from 'node:net'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import tls from 'node:tls'
import { DEFAULT_PORTS, LocalCA } from '../../src/local/index.ts'
import { answerWith, example, run, until } from './run-helpers.ts'

// The examples' TLS passthrough, TLS terminate, TCP and UDP routes through `switchyard run`.

/** A raw TLS exchange: send a line, read the stand-in's identity line (JSON). */
function tlsLine(port: number, servername: string, ca: string): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername, ca }, () => s.write('hello\n'))
    let data = ''
    s.on('data', (c: Buffer) => {
      data += c
      const nl = data.indexOf('\n')
      if (nl >= 0) {
        s.end()
        resolve(JSON.parse(data.slice(0, nl)))
      }
    })
    s.on('error', reject)
  })
}

/** Runs the files, then waits until a TLS connection for `sni` on listener port P is answered by `container`, which saw that SNI. */
async function passedThrough(files: string[], env: string | undefined, listenerPort: number, sni: string, container: string): Promise<void> {
  const r = await run(files, env ? { env } : {})
  try {
    // The stand-in's certificate comes from the run's CA (created when first needed): trust it.
    const ca = LocalCA.open(r.configDir).certPem
    let got: Record<string, any> = {}
    await until(async () => (got = await tlsLine(r.portOf(listenerPort), sni, ca).catch((): Record<string, any> => ({}))).container === container, 20_000, `${container} through passthrough`)
    assert.deepEqual(got.tls, { sni }, 'the stand-in terminated the TLS the client started')
  } finally {
    await r.stop()
  }
}

test('tls-routing: foo.example.com is passed through to foo-svc, which sees the SNI itself', { timeout: 60_000 }, async () => {
  await passedThrough([example('tls-routing', 'app.yaml')], example('tls-routing', 'env.yaml'), 8443, 'foo.example.com', 'foo-svc')
})

test('tls-routing: bar.example.com is terminated at the gateway with a local-CA certificate; bar-svc gets plain TCP', { timeout: 60_000 }, async () => {
  const r = await run([example('tls-routing', 'app.yaml')], { env: example('tls-routing', 'env.yaml') })
  try {
    const ca = readFileSync(r.ca()!.certPath, 'utf8')
    const a = await answerWith(200, r.portOf(8443), { host: 'bar.example.com', path: '/', ca })
    assert.equal(a.json().container, 'bar-svc')
    assert.equal(a.json().protocol, 'http', 'plain bytes reached the backend')
  } finally {
    await r.stop()
  }
})

test('legacy gateway: sslPassthrough sends vault.localtest.me to the vault container still encrypted', { timeout: 60_000 }, async () => {
  await passedThrough([example('legacy-gateway', 'app.yaml')], undefined, 443, 'vault.localtest.me', 'vault')
})

test('the default environment’s TLS passthrough listener carries TLS routes without an environment', { timeout: 60_000 }, async () => {
  await passedThrough([example('tls-routing', 'app.yaml')], undefined, DEFAULT_PORTS.tls, 'bar.example.com', 'bar-svc')
})

test('tcp-udp: a TCP connection reaches the db stand-in (identity line, then echo)', { timeout: 60_000 }, async () => {
  const r = await run([example('tcp-udp', 'app.yaml')], { env: example('tcp-udp', 'env.yaml') })
  try {
    const port = r.portOf(5432)
    let got = ''
    await until(
      async () => {
        got = await new Promise<string>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => s.write('ping\n'))
          let data = ''
          s.on('data', (c: Buffer) => ((data += c), data.endsWith('ping\n') && s.end()))
          s.on('close', () => resolve(data))
          s.on('error', () => resolve(''))
        })
        return got.includes('"container":"db"')
      },
      20_000,
      'db over TCP',
    )
    const [line, echo] = got.split('\n')
    assert.equal(JSON.parse(line!).protocol, 'tcp')
    assert.equal(echo, 'ping')
  } finally {
    await r.stop()
  }
})

test('tcp-udp: a UDP datagram reaches the dns stand-in and its answer comes back', { timeout: 60_000 }, async () => {
  const r = await run([example('tcp-udp', 'app.yaml')], { env: example('tcp-udp', 'env.yaml') })
  const s = dgram.createSocket('udp4')
  try {
    const port = r.portOf(5353)
    let got = ''
    s.on('message', (m) => (got = m.toString()))
    await until(() => (s.send('query', port, '127.0.0.1'), got.includes('"container":"dns"')), 20_000, 'dns over UDP')
    assert.equal(got.split('\n')[1], 'query')
  } finally {
    s.close()
    await r.stop()
  }
})
