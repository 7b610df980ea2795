import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { buildDashboard } from '../../scripts/build-dashboard.ts'
import { configDir, echoBackend, gatewayWith, get, serve, service, until } from './serve-helpers.ts'

// The dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core, against
// `serve` on real sockets with an echo backend. `.ci/run` installs Chromium; elsewhere set
// CHROMIUM_PATH, or the tests are skipped (with a message saying so).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const OUT = join(import.meta.dirname, '../../.test-output/dashboard')
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`

const ROUTES = `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [shop.example]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /cart } }]
      backendRefs: [{ name: echo, port: 80 }]
---
apiVersion: v1
kind: Namespace
metadata: { name: team }
---
# Not accepted: the listener allows routes from its own namespace only.
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: intruder, namespace: team }
spec:
  parentRefs: [{ name: gw, namespace: default }]
  rules:
    - backendRefs: [{ name: echo, namespace: default, port: 80 }]
`

let backend: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
let browser: Browser
let page: Page

before(async () => {
  if (skip) return
  await buildDashboard()
  backend = await echoBackend('echo')
  cfg = configDir({ 'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---\n${service('echo', [backend.port])}${ROUTES}` })
  s = await serve([cfg.dir])
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  await page.goto(`${s.adminUrl}/`)
})

after(async () => {
  if (skip) return
  await browser?.close()
  await s?.close()
  await backend?.close()
  cfg?.remove()
})

test('the dashboard loads, goes live and lists the listener with its route', { skip, timeout: 30_000 }, async () => {
  assert.equal(await page.title(), 'Switchyard')
  await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor()
  await page.getByTestId('listener-default/gw/http').getByText('httproute/default/shop/rule/0/match/0').waitFor()
})

test('a route that is not accepted is highlighted with its reason', { skip, timeout: 30_000 }, async () => {
  const route = page.getByTestId('object-HTTPRoute-team/intruder')
  await route.getByTestId('reason').filter({ hasText: 'NotAllowedByListeners' }).waitFor()
  assert.match((await route.getAttribute('class')) ?? '', /problem/)
  // Accepted objects are not highlighted.
  assert.doesNotMatch((await page.getByTestId('object-HTTPRoute-default/shop').getAttribute('class')) ?? '', /problem/)
})

test('the request tester explains a request: the rule chosen and the backend', { skip, timeout: 30_000 }, async () => {
  await page.getByLabel('URL').fill('http://shop.example:8080/cart/items')
  await page.getByRole('button', { name: 'Explain' }).click()
  const answer = page.getByTestId('answer')
  await answer.filter({ hasText: 'default/echo:80' }).waitFor()
  await page.getByTestId('candidate-chosen').filter({ hasText: 'httproute/default/shop/rule/0/match/0' }).waitFor()
  // And a request no rule serves: 404 with the route that did not attach.
  await page.getByLabel('URL').fill('http://other.example:8080/')
  await page.getByRole('button', { name: 'Explain' }).click()
  await answer.filter({ hasText: '404' }).waitFor()
  await page.getByTestId('explanation').getByText('NotAllowedByListeners').waitFor()
})

test('counters move when traffic flows through the gateway', { skip, timeout: 30_000 }, async () => {
  const total = page.getByTestId('total-httproute/default/shop/rule/0')
  const before = Number(await total.textContent())
  const port = s.portOf(8080)
  for (let i = 0; i < 5; i++) assert.equal((await get(port, '/cart', { host: 'shop.example' })).status, 200)
  await until(async () => Number(await total.textContent()) === before + 5, 10_000)
  await page.getByTestId('traffic-backend-httproute/default/shop/rule/0/backend/0').getByTestId('total').filter({ hasText: String(before + 5) }).waitFor()
  assert.equal(backend.hits(), 5)
})

test('a rejected reload shows in the history with its error, and the last good configuration stays', { skip, timeout: 30_000 }, async () => {
  cfg.write('broken.yaml', 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: bad }\nspec: { rules: [ { matches: [ { path: { type: Nope, value: /x } } ] } ] }\n')
  await page.getByTestId('reload-rejected').first().waitFor({ timeout: 10_000 })
  assert.match((await page.getByTestId('reload-rejected').first().textContent()) ?? '', /broken\.yaml:\d+:\d+/)
  assert.equal((await get(s.portOf(8080), '/cart', { host: 'shop.example' })).status, 200)
  await page.getByTestId('graph').waitFor()
  mkdirSync(OUT, { recursive: true })
  await page.screenshot({ path: join(OUT, 'dashboard.png'), fullPage: true })
})
