import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { gatewayYaml, scaleRoutes } from '../bench/gateway-config.ts'
import { haproxyConf, haproxyMaxconn, nginxBackendConf, nginxProxyConf } from '../bench/peer-configs.ts'
import { compile, explain } from '../src/dataplane/index.ts'
import { translateTexts } from '../src/translator/index.ts'

const NOW = '2025-01-01T00:00:00Z'

interface RouteStatus {
  readonly parents: readonly { readonly conditions: readonly { readonly type: string; readonly status: string }[] }[]
}

test('the route-scale configuration is accepted whole and each sample request takes its own route', { timeout: 60_000 }, () => {
  const n = 40
  const { yaml, requests } = scaleRoutes(n, 20)
  const result = translateTexts([{ file: 'routes.yaml', text: gatewayYaml({ backend: 9000, http: { port: 8080 }, catchAll: false, extra: yaml }) }], { now: NOW })
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [])
  const routes = result.statuses.filter((s) => s.kind === 'HTTPRoute')
  assert.equal(routes.length, n)
  for (const r of routes) {
    const accepted = (r.status as RouteStatus).parents[0]?.conditions.find((c) => c.type === 'Accepted')
    assert.equal(accepted?.status, 'True', `${r.metadata.name} is not accepted`)
  }
  const plan = compile(result.ir)
  assert.equal(requests.length, 20)
  for (const [k, r] of requests.entries()) {
    const i = Math.floor((k * n) / 20)
    const headers = Object.fromEntries(Object.entries(r.headers).map(([name, v]) => [name.toLowerCase(), v]))
    const got = explain(plan, { method: 'GET', url: `http://${headers.host}:8080${r.path}`, headers })
    assert.match(got.decision?.chosen ?? JSON.stringify(got.answer), new RegExp(`^httproute/default/r${i}/`), `request ${k} (${JSON.stringify(r)})`)
  }
})

test('the reload revision changes the served configuration, so each rewrite is a real reload', { timeout: 30_000 }, () => {
  const ir = (revision: number) => JSON.stringify(translateTexts([{ file: 'gw.yaml', text: gatewayYaml({ backend: 9000, http: { port: 8080 }, revision }) }], { now: NOW }).ir)
  assert.notEqual(ir(1), ir(2))
  assert.equal(ir(3), ir(3))
})

test('TLS passthrough, TCP and UDP listeners of the L4 configurations are accepted with their routes', { timeout: 30_000 }, () => {
  const text = gatewayYaml({ backend: 9000, tlsPassthrough: { port: 8443, sni: 'localhost', upstream: 9443 }, tcp: { port: 9100 }, udp: { port: 9053, upstream: 9153 }, catchAll: false })
  const result = translateTexts([{ file: 'l4.yaml', text }], { now: NOW })
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [])
  for (const kind of ['TLSRoute', 'TCPRoute', 'UDPRoute']) {
    const r = result.statuses.find((s) => s.kind === kind)
    assert.equal((r?.status as RouteStatus | undefined)?.parents[0]?.conditions.find((c) => c.type === 'Accepted')?.status, 'True', `${kind} is not accepted`)
  }
})

test('HAProxy is given a maxconn its open-file limit can hold (two descriptors per connection)', { timeout: 10_000 }, () => {
  assert.equal(haproxyMaxconn(20_000), 9950)
  assert.equal(haproxyMaxconn(1_048_576), 30_000)
  assert.match(haproxyConf({ dir: '/d', http: { port: 1, upstream: 2 } }, 20_000), /^\s+maxconn 9950$/m)
})

function which(name: string): string | null {
  for (const d of ['/usr/sbin', '/usr/bin', '/sbin', '/usr/local/sbin', '/usr/local/bin']) if (existsSync(join(d, name))) return join(d, name)
  return null
}

test('nginx accepts the generated backend and proxy configurations (nginx -t)', { timeout: 30_000, skip: which('nginx') ? false : 'nginx is not installed' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-config-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
  const env = { user: null, streamModule: existsSync('/usr/lib/nginx/modules/ngx_stream_module.so') ? '/usr/lib/nginx/modules/ngx_stream_module.so' : null }
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  for (const name of ['backend', 'nginx']) mkdirSync(join(dir, `${name}-temp`))
  const confs = {
    backend: nginxBackendConf({ dir, port: 18001, tlsPort: 18002, cert, key, www: dir }, env),
    proxy: nginxProxyConf({ dir, http: { port: 18003, upstream: 18001, revision: 4 }, https: { port: 18004, upstream: 18001, cert, key, pem: cert } }, env),
    stream: nginxProxyConf({ dir, tlsPassthrough: { port: 18005, sni: 'localhost', upstream: 18002 }, tcp: { port: 18006, upstream: 18001 } }, env),
  }
  for (const [name, text] of Object.entries(confs)) {
    if (name === 'stream' && !env.streamModule) continue
    const file = join(dir, `${name}.conf`)
    writeFileSync(file, text)
    execFileSync(which('nginx')!, ['-t', '-q', '-p', dir, '-e', join(dir, 'error.log'), '-c', file], { stdio: 'pipe' })
  }
})

test('HAProxy accepts the generated configuration (haproxy -c)', { timeout: 30_000, skip: which('haproxy') ? false : 'HAProxy is not installed' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-config-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' })
  const pem = join(dir, 'both.pem')
  writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'))
  const file = join(dir, 'haproxy.cfg')
  writeFileSync(file, haproxyConf({ dir, http: { port: 18003, upstream: 18001 }, https: { port: 18004, upstream: 18001, cert, key, pem }, tlsPassthrough: { port: 18005, sni: 'localhost', upstream: 18002 }, tcp: { port: 18006, upstream: 18001 } }, 4000))
  execFileSync(which('haproxy')!, ['-c', '-q', '-f', file], { stdio: 'pipe' })
})
