import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hostnameMatches, intersectHostnames, selectMostSpecific } from './hostnames.ts'

// gateway-api.md §4.2: listener hostname ∩ route hostname.
const intersections: [string, string | null, string | null, string | null | undefined][] = [
  ['two equal precise hostnames intersect as themselves', 'a.example.com', 'a.example.com', 'a.example.com'],
  ['precise hostnames compare case-insensitively', 'a.example.com', 'A.Example.COM', 'a.example.com'],
  ['two different precise hostnames do not intersect', 'a.example.com', 'b.example.com', undefined],
  ['a wildcard listener takes a precise route hostname under it', '*.example.com', 'a.example.com', 'a.example.com'],
  ['a wildcard listener takes a precise hostname several labels down', '*.example.com', 'a.b.example.com', 'a.b.example.com'],
  ['a wildcard does not match its own bare domain', '*.example.com', 'example.com', undefined],
  ['a precise listener takes a wildcard route that covers it', 'very.specific.com', '*.specific.com', 'very.specific.com'],
  ['a precise listener rejects a wildcard route that does not cover it', 'very.specific.com', '*.other.com', undefined],
  ['two wildcards intersect as the more specific one (listener wider)', '*.com', '*.example.com', '*.example.com'],
  ['two wildcards intersect as the more specific one (route wider)', '*.foo.example.com', '*.example.com', '*.foo.example.com'],
  ['two unrelated wildcards do not intersect', '*.example.com', '*.example.org', undefined],
  ['a listener without hostname takes the route hostname', null, 'a.example.com', 'a.example.com'],
  ['a route without hostname takes the listener hostname', '*.example.com', null, '*.example.com'],
  ['neither side having a hostname means any host', null, null, null],
  ['*.com matches a two-label name', '*.com', 'example.com', 'example.com'],
]
for (const [name, listener, route, want] of intersections) test(`hostname intersection: ${name}`, () => assert.equal(intersectHostnames(listener, route), want))

// gateway-api.md §4.1: matching a Host header.
const matches: [string, string | null, string, boolean][] = [
  ['a Host header is matched without its port', 'very.specific.com', 'very.specific.com:1234', true],
  ['a wildcard matches one label', '*.example.com', 'a.example.com', true],
  ['a wildcard matches more than one label', '*.example.com', 'a.b.example.com', true],
  ['a wildcard does not match the bare domain', '*.example.com', 'example.com', false],
  ['a wildcard does not match a name merely ending in the same letters', '*.example.com', 'aexample.com', false],
  ['no hostname matches everything', null, 'anything.at.all', true],
  ['matching is case-insensitive', 'a.example.com', 'A.EXAMPLE.com', true],
]
for (const [name, pattern, host, want] of matches) test(`hostname match: ${name}`, () => assert.equal(hostnameMatches(pattern, host), want))

// gateway-api.md §4.3: listeners sharing a port are chosen by the most specific hostname.
const listeners = [null, '*.example.com', '*.foo.example.com', 'abc.foo.example.com']
const selection: [string, string, string | null | undefined][] = [
  ['an exact listener hostname wins over every wildcard', 'abc.foo.example.com', 'abc.foo.example.com'],
  ['a wildcard with more labels wins over a shorter wildcard', 'x.foo.example.com', '*.foo.example.com'],
  ['the shorter wildcard catches names the longer one does not', 'bar.example.com', '*.example.com'],
  ['the listener without hostname catches everything else', 'example.org', null],
  ['the bare domain falls through wildcards to the hostname-less listener', 'example.com', null],
]
for (const [name, host, want] of selection)
  test(`listener selection: ${name}`, () => assert.equal(selectMostSpecific(listeners, (h) => h, host), want))

test('listener selection: with no hostname-less listener, an unmatched host selects nothing', () => {
  assert.equal(selectMostSpecific(['a.example.com', '*.foo.example.com'], (h) => h, 'b.example.com'), undefined)
})
