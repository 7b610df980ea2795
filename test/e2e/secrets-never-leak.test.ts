import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { certificates, httpsGet, secretYaml } from './bad-config-fixtures.ts'
import { runCli, spawnServe } from './cli-process.ts'
import { assertHasKeyMaterial, assertNoKeyMaterial, keyNeedles } from './key-material.ts'
import { configDir, echoBackend, gatewayWith, get, selfSignedCert, service, until } from './serve-helpers.ts'

// Private keys never show in what Switchyard prints or serves: not in serve's stdout (access log)
// or stderr (events, rejected reloads, startup failures), not in /config, /status, /metrics or
// /explain, not in the diagnostics `validate` and `render` print (source excerpts included), even
// when the file holding the key is the broken one. Keys are generated here, and every output is
// searched for their PEM body lines and for pieces of their base64.
const pem = certificates('a.test')
const third = selfSignedCert(['DNS:a.test'])
const needles = [pem.keyPem, pem.otherKeyPem, third.keyPem].flatMap(keyNeedles)
const b64 = (s: string) => Buffer.from(s).toString('base64')

/** cert.yaml variants that are wrong in ways that put key material next to an error. */
const BROKEN_SECRETS: Record<string, string> = {
  'key of another certificate': secretYaml('cert', pem.certPem, pem.otherKeyPem),
  'unclosed flow mapping': `apiVersion: v1\nkind: Secret\nmetadata: { name: cert }\ntype: kubernetes.io/tls\ndata: { tls.crt: ${b64(pem.certPem)}, tls.key: ${b64(third.keyPem)}\n  more: [\n`,
  'key indented wrong': `apiVersion: v1\nkind: Secret\nmetadata: { name: cert }\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(pem.certPem)}\n tls.key: ${b64(third.keyPem)}\n`,
  'raw PEM where base64 belongs': `apiVersion: v1\nkind: Secret\nmetadata: { name: cert }\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(pem.certPem)}\n  tls.key: ${JSON.stringify(third.keyPem)}\n`,
  'PEM pasted without quoting': `apiVersion: v1\nkind: Secret\nmetadata: { name: cert }\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: x\n  tls.key: ${third.keyPem}`,
  'key in a list where a string belongs': `apiVersion: v1\nkind: Secret\nmetadata: { name: cert }\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(pem.certPem)}\n  tls.key: [${b64(third.keyPem)}]\n`,
}

test('serve never prints or serves a private key, through good reloads and bad ones', { timeout: 60000 }, async () => {
  const echo = await echoBackend('echo')
  const cfg = configDir({
    'gw.yaml': gatewayWith('{ name: http, port: 8096, protocol: HTTP }', '{ name: https, port: 8496, protocol: HTTPS, hostname: a.test, tls: { certificateRefs: [{ name: cert }] } }'),
    'routes.yaml': `${service('echo', [echo.port])}---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: r }\nspec: { parentRefs: [{ name: gw }], rules: [{ backendRefs: [{ name: echo, port: 80 }] }] }\n`,
    'cert.yaml': secretYaml('cert', pem.certPem, pem.keyPem),
  })
  assertHasKeyMaterial('cert.yaml', readFileSync(join(cfg.dir, 'cert.yaml'), 'utf8'), needles)
  const served: string[] = []
  const serve = await spawnServe(['-f', cfg.dir])
  try {
    const admin = async (path: string) => {
      const text = await (await fetch(`http://${serve.admin}${path}`)).text()
      served.push(`${path}: ${text}`)
      return text
    }
    assert.equal((await get(serve.portOf(8096), '/x?token=1', { host: 'a.test' })).status, 200)
    assert.equal((await httpsGet(serve.portOf(8496), 'a.test', pem.certPem, '/y')).status, 200)
    for (const p of ['/healthz', '/readyz', '/status', '/config', '/metrics', `/explain?url=${encodeURIComponent('https://a.test:8496/y')}`]) await admin(p)
    assert.match(served.find((x) => x.startsWith('/config'))!, /BEGIN CERTIFICATE/, '/config shows certificates, so it is looked at')

    for (const [what, text] of Object.entries(BROKEN_SECRETS)) {
      cfg.write('cert.yaml', text)
      await until(async () => JSON.parse(await admin('/status')).errors.length > 0, 5000).catch(() => assert.fail(`${what}: the reload was not refused`))
      await admin('/config')
      cfg.write('cert.yaml', secretYaml('cert', pem.certPem, pem.keyPem))
      await until(async () => JSON.parse(await admin('/status')).errors.length === 0, 5000)
    }
    assert.equal((await httpsGet(serve.portOf(8496), 'a.test', pem.certPem, '/z')).status, 200)
  } finally {
    assert.equal(await serve.stop(), 0)
    await echo.close()
  }
  assert.match(serve.stdout(), /"msg":"access"/)
  assert.match(serve.stderr(), /config rejected/)
  assertNoKeyMaterial('serve stdout', serve.stdout(), needles)
  assertNoKeyMaterial('serve stderr', serve.stderr(), needles)
  for (const text of served) assertNoKeyMaterial(`admin ${text.slice(0, text.indexOf(':'))}`, text, needles)

  // A broken key file at startup: serve refuses to start (or starts without that listener), and
  // says why without the key.
  for (const what of ['key of another certificate', 'unclosed flow mapping', 'PEM pasted without quoting']) {
    const text = BROKEN_SECRETS[what]!
    cfg.write('cert.yaml', text)
    const r = await spawnServe(['-f', cfg.dir]).then(
      async (s) => ({ started: true, out: s.stdout(), err: s.stderr(), code: await s.stop() }),
      (e: Error) => ({ started: false, out: '', err: e.message, code: 1 }),
    )
    assertNoKeyMaterial(`serve at startup with ${what}`, r.out + r.err, needles)
  }
  cfg.remove()
})

const APP = (key: string) => `- type: Applications.Core/applications@2023-10-01-preview
  name: legacy
- type: Applications.Core/containers@2023-10-01-preview
  name: web
  properties:
    application: legacy
    container: { image: ghcr.io/example/web:1.0, ports: { web: { containerPort: 3000 } } }
- type: Applications.Core/secretStores@2023-10-01-preview
  name: tls
  properties:
    application: legacy
    type: certificate
    data:
      tls.crt: { encoding: base64, value: ${b64(pem.certPem)} }
      tls.key: { encoding: base64, value: ${key} }
- type: Applications.Core/gateways@2023-10-01-preview
  name: public
  properties:
    application: legacy
    hostname: { fullyQualifiedHostname: a.test }
    tls: { certificateFrom: tls }
    routes: [{ path: /, destination: http://web:3000 }]
`
const ENV = (cert: string, key: string) => `- type: Radius.Core/environments@2025-08-01-preview
  name: local
  properties:
    certificates:
      inline: { cert: ${JSON.stringify(cert)}, key: ${JSON.stringify(key)} }
`

test('validate and render print no private key, from secret stores or environment certificates, valid or not', { timeout: 60000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-secrets-'))
  try {
    const cases: Record<string, { app: string; env: string }> = {
      valid: { app: APP(b64(pem.keyPem)), env: ENV(pem.certPem, pem.keyPem) },
      'key of another certificate': { app: APP(b64(pem.otherKeyPem)), env: ENV(pem.certPem, pem.otherKeyPem) },
      'key that is not base64': { app: APP(JSON.stringify(third.keyPem)), env: ENV(pem.certPem, third.keyPem.slice(0, 100)) },
      'broken YAML around the key': { app: APP(b64(third.keyPem)).replace('tls.key: {', 'tls.key: {{'), env: ENV(pem.certPem, third.keyPem).replace('key:', 'key::') },
    }
    for (const [what, c] of Object.entries(cases)) {
      writeFileSync(join(dir, 'app.yaml'), c.app)
      writeFileSync(join(dir, 'env.yaml'), c.env)
      for (const args of [['validate', join(dir, 'app.yaml'), join(dir, 'env.yaml')], ['validate', '-o', 'json', join(dir, 'app.yaml'), join(dir, 'env.yaml')]]) {
        const r = runCli(args)
        assert.ok(r.stdout.length + r.stderr.length > 0)
        assertNoKeyMaterial(`${args.join(' ')} (${what}) stdout`, r.stdout, needles)
        assertNoKeyMaterial(`${args.join(' ')} (${what}) stderr`, r.stderr, needles)
      }
      const out = join(dir, `out-${Object.keys(cases).indexOf(what)}`)
      const r = runCli(['render', join(dir, 'app.yaml'), '--target', 'kubernetes', '-o', out])
      assertNoKeyMaterial(`render (${what}) stdout`, r.stdout, needles)
      assertNoKeyMaterial(`render (${what}) stderr`, r.stderr, needles)
      if (what === 'valid') {
        // The rendered Secret is the one place the key belongs: it is what kubectl applies.
        assert.equal(r.code, 0, r.stderr)
        assertHasKeyMaterial('the rendered Secret', readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')).join('\n'), needles)
      } else assert.equal(r.code, 1, `render should refuse ${what}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
