import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { ReloadOutcome } from '../../src/pipeline/index.ts'
import { certificates, httpsGet, secretYaml } from './bad-config-fixtures.ts'
import { configDir, echoBackend, gatewayWith, get, serve, service, until } from './serve-helpers.ts'

// Bad configuration while serving: each breakage is refused with a diagnostic in /status `errors`
// that names the file (and line where there is one), the last good configuration keeps serving
// HTTP and HTTPS (proved by requests before and after), and repairing the file clears the errors.
const pem = certificates('a.test')
const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ matches: [{ path: { type: PathPrefix, value: /ok } }], backendRefs: [{ name: echo, port: 80 }] }]
`
/** The good files (routes.yaml gets the backend's Service once the backend listens). */
const GOOD: Record<'gw.yaml' | 'routes.yaml' | 'cert.yaml', string> = {
  'gw.yaml': `${gatewayWith('{ name: http, port: 8095, protocol: HTTP }', '{ name: https, port: 8495, protocol: HTTPS, hostname: a.test, tls: { certificateRefs: [{ name: cert }] } }')}`,
  'routes.yaml': '',
  'cert.yaml': secretYaml('cert', pem.certPem, pem.keyPem),
}
let echo: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
const outcomes: ReloadOutcome[] = []
let fingerprint = ''

interface Status {
  generation: number
  errors: { code: string; severity: string; message: string; source?: { file: string; line: number } }[]
}
const status = async () => (await (await fetch(`${s.adminUrl}/status`)).json()) as Status

/** Both listeners answer as configured: HTTP 200 from the backend, HTTPS 200 with the original certificate. */
async function serving(): Promise<void> {
  const r = await get(s.portOf(8095), '/ok', { host: 'x' })
  assert.equal(r.status, 200)
  assert.equal(r.json().backend, 'echo')
  const t = await httpsGet(s.portOf(8495), 'a.test', pem.certPem, '/ok')
  assert.equal(t.status, 200)
  assert.equal(t.fingerprint, fingerprint)
}

/** Does `change`, then waits for a reload that is (or is not) rejected; a save may fire several. */
async function reloadAfter(change: () => void, rejected: boolean): Promise<ReloadOutcome> {
  const n = outcomes.length
  change()
  await until(() => outcomes.slice(n).some((o) => (o.kind === 'rejected') === rejected), 5000)
  return outcomes.slice(n).find((o) => (o.kind === 'rejected') === rejected)!
}

before(async () => {
  echo = await echoBackend('echo')
  GOOD['routes.yaml'] = `${service('echo', [echo.port])}---\n${ROUTE}`
  cfg = configDir(GOOD)
  // Files named one by one, so that deleting one is an error rather than a smaller configuration.
  s = await serve(Object.keys(GOOD).map((f) => join(cfg.dir, f)), { onReload: (o) => void outcomes.push(o) })
  fingerprint = (await httpsGet(s.portOf(8495), 'a.test', pem.certPem, '/ok')).fingerprint
  assert.ok(fingerprint)
})

after(async () => {
  await s.close()
  await echo.close()
  cfg.remove()
})

/** Breaks the configuration, checks what /status says and that traffic flows, then repairs it. */
async function breakAndRepair(change: () => void, repair: () => void, expect: (errors: Status['errors']) => void): Promise<void> {
  await serving()
  const before = await status()
  assert.deepEqual(before.errors, [])
  await reloadAfter(change, true)
  const during = await status()
  assert.equal(during.generation, before.generation, 'no new configuration went live')
  assert.ok(during.errors.length > 0 && during.errors.every((e) => e.message.length > 0))
  expect(during.errors)
  await serving()
  await reloadAfter(repair, false)
  assert.deepEqual((await status()).errors, [])
  await serving()
}

test('broken YAML is refused with its file and line; the last good configuration keeps serving', { timeout: 20000 }, async () => {
  await breakAndRepair(
    () => cfg.write('routes.yaml', `${GOOD['routes.yaml']}---\nkind: HTTPRoute\nmetadata: { name: x\n  spec: [oops`),
    () => cfg.write('routes.yaml', GOOD['routes.yaml']),
    (errors) => {
      const e = errors.find((x) => x.code === 'INPUT_YAML_SYNTAX')
      assert.ok(e, JSON.stringify(errors))
      assert.ok(e.source?.file.endsWith('routes.yaml') && e.source.line > GOOD['routes.yaml'].split('\n').length - 1, JSON.stringify(e.source))
    },
  )
})

test('an object a cluster would refuse (schema, CEL rule) is refused with its field; the last good configuration keeps serving', { timeout: 20000 }, async () => {
  const invalid = [
    ['K8S_SCHEMA_VIOLATION', GOOD['routes.yaml'].replace(ROUTE, ROUTE.replace('port: 80 }]', 'port: eighty }]'))],
    ['K8S_VALIDATION_RULE', GOOD['routes.yaml'].replace(ROUTE, ROUTE.replace('value: /ok', 'value: //ok'))],
    ['K8S_MISSING_KIND', `${GOOD['routes.yaml']}---\nmetadata: { name: nameless }\n`],
  ] as const
  for (const [code, text] of invalid) {
    await breakAndRepair(
      () => cfg.write('routes.yaml', text),
      () => cfg.write('routes.yaml', GOOD['routes.yaml']),
      (errors) => {
        const e = errors.find((x) => x.code === code)
        assert.ok(e, `${code} in ${JSON.stringify(errors)}`)
        assert.ok(e.source?.file.endsWith('routes.yaml') && e.source.line > 0)
      },
    )
  }
})

test('a certificate whose key does not match is refused; HTTPS keeps its last good certificate', { timeout: 20000 }, async () => {
  await breakAndRepair(
    () => cfg.write('cert.yaml', secretYaml('cert', pem.certPem, pem.otherKeyPem)),
    () => cfg.write('cert.yaml', GOOD['cert.yaml']),
    (errors) => {
      const e = errors.find((x) => x.code === 'TRANSLATE_INVALID_CERTIFICATE')
      assert.ok(e, JSON.stringify(errors))
      assert.equal(e.severity, 'error')
      assert.match(e.message, /Secret default\/cert: tls\.key does not match tls\.crt; listener https .*last good configuration stays live/)
    },
  )
  // Data that is not PEM at all is refused the same way.
  await breakAndRepair(
    () => cfg.write('cert.yaml', secretYaml('cert', pem.certPem, 'not a key')),
    () => cfg.write('cert.yaml', GOOD['cert.yaml']),
    (errors) => assert.ok(errors.some((x) => x.code === 'TRANSLATE_INVALID_CERTIFICATE' && /not valid PEM/.test(x.message)), JSON.stringify(errors)),
  )
})

test('a file deleted is refused with its path; the last good configuration keeps serving until it is back', { timeout: 20000 }, async () => {
  await breakAndRepair(
    () => rmSync(join(cfg.dir, 'routes.yaml')),
    () => cfg.write('routes.yaml', GOOD['routes.yaml']),
    (errors) => assert.ok(errors.some((x) => x.code === 'PIPELINE_REJECTED' && x.message.includes('routes.yaml') && /no such file/.test(x.message)), JSON.stringify(errors)),
  )
})
