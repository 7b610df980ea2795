import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'
import { renderApp, type Manifest } from '../../src/recipes/index.ts'
import { readInputs, ROOT } from '../examples.ts'
import { startKubeApi, writeKubeconfig, type KubeApi } from './kube-api-server.ts'
import { selfSignedCert } from './serve-helpers.ts'

// `switchyard deploy` as a user runs it (a child process, the kubeconfig found through KUBECONFIG
// or HOME), against a stand-in API server on 127.0.0.1 that records what the official client sent.

const MAIN = join(ROOT, 'src/cli/main.ts')
const SHOP = join(ROOT, 'examples/shop')
const OURS = { 'app.kubernetes.io/managed-by': 'switchyard', 'radapp.io/application': 'shop' }

interface Run {
  code: number
  stdout: string
  stderr: string
  ms: number
}

function run(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  const started = Date.now()
  const childEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', ...env })) if (v !== undefined) childEnv[k] = v
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, 'deploy', ...args], { cwd: ROOT, env: childEnv, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr, ms: Date.now() - started })
    })
  })
}

/** A stand-in cluster and a kubeconfig pointing at it, for the length of `body`. */
async function withCluster(options: Parameters<typeof startKubeApi>[0], body: (api: KubeApi, env: Record<string, string | undefined>) => Promise<void>): Promise<void> {
  const api = await startKubeApi(options)
  const kc = api.kubeconfig('test-cluster')
  try {
    await body(api, { KUBECONFIG: kc.path })
  } finally {
    kc.remove()
    await api.close()
  }
}

function shopObjects(namespace?: string): readonly Manifest[] {
  const r = renderApp(readInputs([SHOP]), namespace ? { namespace } : {})
  assert.deepEqual(r.diagnostics, [])
  return r.objects
}

const patches = (api: KubeApi) => api.requests.filter((r) => r.method === 'PATCH')

test('deploy applies every rendered object with server-side apply as field manager switchyard, and says what it did', { timeout: 60_000 }, async () => {
  await withCluster({}, async (api, env) => {
    const first = await run([SHOP], env)
    assert.equal(first.code, 0, first.stderr)
    const objects = shopObjects()
    assert.deepEqual(first.stdout.trim().split('\n'), ['service/accounts created', 'service/frontend created', 'deployment.apps/accounts created', 'deployment.apps/frontend created', 'httproute.gateway.networking.k8s.io/ingress created'])
    assert.match(first.stderr, /deploying shop to context "test-cluster" \(https:\/\/127\.0\.0\.1:\d+\), namespace default/)
    const sent = patches(api)
    assert.equal(sent.length, objects.length)
    for (const [i, r] of sent.entries()) {
      assert.equal(r.headers['content-type'], 'application/apply-patch+yaml')
      assert.equal(r.query.get('fieldManager'), 'switchyard')
      assert.equal(r.query.get('dryRun'), null)
      assert.equal(r.query.get('force'), null, 'conflicts are not forced unless asked')
      assert.match(r.path, /\/namespaces\/default\//)
      // What reached the server is exactly what `render` prints.
      assert.deepEqual(parse(r.body), objects[i])
    }
    assert.equal(api.store.size, objects.length)

    const again = await run([SHOP], env)
    assert.equal(again.code, 0, again.stderr)
    assert.deepEqual(again.stdout.trim().split('\n'), objects.map((o) => `${o.kind === 'Deployment' ? 'deployment.apps' : o.kind === 'HTTPRoute' ? 'httproute.gateway.networking.k8s.io' : 'service'}/${o.metadata.name} unchanged`))
  })
})

test('a changed object is reported configured', { timeout: 60_000 }, async () => {
  await withCluster({}, async (api, env) => {
    for (const o of shopObjects()) api.seed({ ...o, metadata: { ...o.metadata, namespace: 'default', labels: { ...o.metadata.labels } } })
    const route = api.store.get('HTTPRoute/default/ingress')!
    api.store.set('HTTPRoute/default/ingress', { ...route, spec: { ...(route.spec as object), hostnames: ['old.example.com'] } })
    const r = await run([SHOP], env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^httproute\.gateway\.networking\.k8s\.io\/ingress configured$/m)
    assert.match(r.stdout, /^service\/frontend unchanged$/m)
  })
})

test('--dry-run sends dryRun=All on every write and stores nothing', { timeout: 60_000 }, async () => {
  await withCluster({}, async (api, env) => {
    api.seed({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'stale', namespace: 'default', labels: OURS }, spec: {} })
    const r = await run([SHOP, '--dry-run'], env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^service\/frontend created \(server dry run\)$/m)
    assert.match(r.stdout, /^httproute\.gateway\.networking\.k8s\.io\/stale pruned \(server dry run\)$/m)
    const writes = api.requests.filter((x) => x.method === 'PATCH' || x.method === 'DELETE')
    assert.equal(writes.length, shopObjects().length + 1)
    for (const w of writes) assert.equal(w.query.get('dryRun'), 'All', `${w.method} ${w.path}`)
    assert.deepEqual([...api.store.keys()], ['HTTPRoute/default/stale'])
  })
})

test('--namespace puts every object in that namespace', { timeout: 60_000 }, async () => {
  await withCluster({}, async (api, env) => {
    const r = await run([SHOP, '--namespace', 'shop-prod'], env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /namespace shop-prod/)
    const sent = patches(api)
    assert.equal(sent.length, shopObjects().length)
    for (const p of sent) {
      assert.match(p.path, /\/namespaces\/shop-prod\//)
      assert.equal((parse(p.body) as Manifest).metadata.namespace, 'shop-prod')
    }
    // The route still attaches to the Gateway where the environment says it is.
    const route = parse(sent.find((p) => p.path.includes('httproutes'))!.body) as { spec: { parentRefs: { namespace: string }[] } }
    assert.equal(route.spec.parentRefs[0]!.namespace, 'default')
  })
})

test('prune deletes exactly the labelled object the app no longer renders, and --no-prune keeps it', { timeout: 60_000 }, async () => {
  await withCluster({}, async (api, env) => {
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }
    api.seed({ ...route, metadata: { name: 'old-ingress', namespace: 'default', labels: OURS }, spec: {} })
    api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'hand-made', namespace: 'default' }, spec: {} })
    api.seed({ ...route, metadata: { name: 'other-app', namespace: 'default', labels: { ...OURS, 'radapp.io/application': 'other' } }, spec: {} })
    api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'helm-made', namespace: 'default', labels: { ...OURS, 'app.kubernetes.io/managed-by': 'Helm' } }, spec: {} })
    api.seed({ ...route, metadata: { name: 'elsewhere', namespace: 'other-ns', labels: OURS }, spec: {} })

    const kept = await run([SHOP, '--no-prune'], env)
    assert.equal(kept.code, 0, kept.stderr)
    assert.deepEqual(api.requests.filter((r) => r.method === 'DELETE' || (r.method === 'GET' && r.query.has('labelSelector'))), [])

    const r = await run([SHOP], env)
    assert.equal(r.code, 0, r.stderr)
    const deletes = api.requests.filter((x) => x.method === 'DELETE')
    assert.deepEqual(deletes.map((d) => d.path), ['/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/old-ingress'])
    assert.equal(deletes[0]!.query.get('propagationPolicy'), 'Background')
    assert.match(r.stdout, /^httproute\.gateway\.networking\.k8s\.io\/old-ingress pruned$/m)
    const lists = api.requests.filter((x) => x.method === 'GET' && x.query.has('labelSelector'))
    assert.ok(lists.length >= 9, `every kind the recipe renders is listed, got ${lists.length}`)
    for (const l of lists) {
      assert.equal(l.query.get('labelSelector'), 'app.kubernetes.io/managed-by=switchyard,radapp.io/application=shop')
      assert.match(l.path, /\/namespaces\/default\//)
    }
    assert.ok(!api.store.has('HTTPRoute/default/old-ingress'))
    for (const k of ['Service/default/hand-made', 'HTTPRoute/default/other-app', 'Service/default/helm-made', 'HTTPRoute/other-ns/elsewhere', 'HTTPRoute/default/ingress']) assert.ok(api.store.has(k), k)
  })
})

test('a field owned by another manager stops the deploy with the conflict; --force-conflicts takes it over', { timeout: 60_000 }, async () => {
  await withCluster({ conflicts: ['Deployment/default/frontend'] }, async (api, env) => {
    const r = await run([SHOP], env)
    assert.equal(r.code, 2)
    assert.match(r.stderr, /apply deployment\.apps\/frontend in namespace default: Apply failed with 1 conflict: conflict with "kubectl-edit" using apps\/v1: \.spec\.replicas.*--force-conflicts.*\[DEPLOY_APPLY_CONFLICT\]/)
    const forced = await run([SHOP, '--force-conflicts'], env)
    assert.equal(forced.code, 0, forced.stderr)
    assert.ok(patches(api).slice(-5).every((p) => p.query.get('force') === 'true'))
  })
})

test('a kind the cluster does not serve stops the deploy before anything is written', { timeout: 60_000 }, async () => {
  await withCluster({ notServed: ['HTTPRoute'] }, async (api, env) => {
    const r = await run([SHOP], env)
    assert.equal(r.code, 2)
    assert.match(r.stderr, /does not serve HTTPRoute \(gateway\.networking\.k8s\.io\/v1\): install the Gateway API CRDs.*Nothing was changed \[DEPLOY_KIND_NOT_SERVED\]/)
    assert.deepEqual(patches(api), [])
  })
})

test('an API server that refuses the connection fails fast, naming the context and the server', { timeout: 30_000 }, async () => {
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
  const kc = writeKubeconfig('gone', `https://127.0.0.1:${closed}`, '', 'token')
  try {
    const r = await run([SHOP], { KUBECONFIG: kc.path })
    assert.equal(r.code, 2)
    assert.match(r.stderr, new RegExp(`cannot reach the cluster of kubeconfig context "gone" at https://127\\.0\\.0\\.1:${closed} .*connection refused.*\\[DEPLOY_CLUSTER_UNREACHABLE\\]`))
    assert.equal(r.stdout, '')
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`)
  } finally {
    kc.remove()
  }
})

test('an API server that accepts but never answers fails after --request-timeout', { timeout: 30_000 }, async () => {
  const sockets = new Set<net.Socket>()
  const silent = net.createServer((s) => sockets.add(s))
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
  const port = (silent.address() as net.AddressInfo).port
  const kc = writeKubeconfig('silent', `https://127.0.0.1:${port}`, '', 'token')
  try {
    const r = await run([SHOP, '--request-timeout', '500ms'], { KUBECONFIG: kc.path })
    assert.equal(r.code, 2)
    assert.match(r.stderr, /context "silent" .*no answer within 0\.5s.*\[DEPLOY_CLUSTER_UNREACHABLE\]/)
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`)
  } finally {
    kc.remove()
    for (const s of sockets) s.destroy()
    await new Promise<void>((r) => silent.close(() => r()))
  }
})

test('a server that refuses the credentials, or presents a certificate the kubeconfig does not trust, is named in the error', { timeout: 30_000 }, async () => {
  await withCluster({}, async (api) => {
    const wrongToken = writeKubeconfig('wrong-user', api.url, api.caPem, 'not-the-token')
    const wrongCa = writeKubeconfig('wrong-ca', api.url, selfSignedCert(['IP:127.0.0.1']).certPem, api.token)
    try {
      const a = await run([SHOP], { KUBECONFIG: wrongToken.path })
      assert.equal(a.code, 2)
      assert.match(a.stderr, new RegExp(`the API server at ${api.url.replaceAll('.', '\\.')} answered 401: Unauthorized \\(context "wrong-user": check the credentials and RBAC of this user\\) \\[DEPLOY_REFUSED\\]`))
      const b = await run([SHOP], { KUBECONFIG: wrongCa.path })
      assert.equal(b.code, 2)
      assert.match(b.stderr, /context "wrong-ca" .*TLS failed: .*\[DEPLOY_CLUSTER_UNREACHABLE\]/)
      assert.deepEqual(patches(api), [])
    } finally {
      wrongToken.remove()
      wrongCa.remove()
    }
  })
})

test('no kubeconfig at all is a clear error: KUBECONFIG naming a missing file, or no ~/.kube/config', { timeout: 30_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'switchyard-home-'))
  try {
    const missing = join(home, 'no-such-config')
    const a = await run([SHOP], { KUBECONFIG: missing, HOME: home })
    assert.equal(a.code, 2)
    assert.match(a.stderr, new RegExp(`no kubeconfig to deploy with: KUBECONFIG is "${missing}" and that file does not exist.*\\[DEPLOY_NO_KUBECONFIG\\]`))
    const b = await run([SHOP], { KUBECONFIG: undefined, HOME: home, KUBERNETES_SERVICE_HOST: undefined })
    assert.equal(b.code, 2)
    assert.match(b.stderr, new RegExp(`KUBECONFIG is not set and ${join(home, '.kube', 'config')} does not exist.*\\[DEPLOY_NO_KUBECONFIG\\]`))
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
})

test('KUBECONFIG with several files: missing ones are skipped, and the first to name a context wins', { timeout: 30_000 }, async () => {
  await withCluster({}, async (api, env) => {
    const shadow = writeKubeconfig('test-cluster', 'https://127.0.0.1:1', api.caPem, 'other-token')
    try {
      const r = await run([SHOP, '--dry-run'], { KUBECONFIG: [join(tmpdir(), 'switchyard-no-such-kubeconfig'), env.KUBECONFIG, shadow.path].join(delimiter) })
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stderr, new RegExp(`context "test-cluster" \\(${api.url.replaceAll('.', '\\.')}\\)`))
      assert.equal(patches(api).length, shopObjects().length)
    } finally {
      shadow.remove()
    }
  })
})

test('--context names a context of the kubeconfig, with a suggestion when it is misspelt', { timeout: 30_000 }, async () => {
  await withCluster({}, async (api, env) => {
    const r = await run([SHOP, '--context', 'test-clustr', '--dry-run'], env)
    assert.equal(r.code, 2)
    assert.match(r.stderr, /context "test-clustr" is not in the kubeconfig .*did you mean "test-cluster"\? \[DEPLOY_KUBECONFIG_INVALID\]/)
    assert.deepEqual(api.requests, [])
    const ok = await run([SHOP, '--context', 'test-cluster', '--dry-run'], env)
    assert.equal(ok.code, 0, ok.stderr)
  })
})

test('an app with errors is reported and nothing is sent', { timeout: 30_000 }, async () => {
  await withCluster({}, async (api, env) => {
    const r = await run([join(ROOT, 'src/model/testdata/six-mistakes.in.yaml')], env)
    assert.equal(r.code, 1)
    assert.match(r.stderr, /6 errors/)
    assert.deepEqual(api.requests, [])
  })
})
