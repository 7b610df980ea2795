import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, describe, test } from 'node:test'
import { cpuQuota } from './cpu-quota.ts'

const roots: string[] = []
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })))

/** A directory laid out like / with the given files (paths relative to it). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cpu-quota-'))
  roots.push(root)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

const V2_MOUNT = '30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n'
const V1_MOUNTS =
  '25 24 0:22 / /sys/fs/cgroup/memory rw,nosuid shared:9 - cgroup cgroup rw,memory\n' +
  '26 24 0:23 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:10 - cgroup cgroup rw,cpu,cpuacct\n'

describe('cpuQuota', () => {
  test('cgroup v2 without a limit ("max") has no quota', () => {
    const root = tree({ 'proc/self/mountinfo': V2_MOUNT, 'proc/self/cgroup': '0::/system.slice/app.service\n', 'sys/fs/cgroup/system.slice/app.service/cpu.max': 'max 100000\n', 'sys/fs/cgroup/system.slice/cpu.max': 'max 100000\n' })
    assert.equal(cpuQuota(root), null)
  })

  test("cgroup v2: the process's own cpu.max, in cores", () => {
    const root = tree({ 'proc/self/mountinfo': V2_MOUNT, 'proc/self/cgroup': '0::/kubepods/pod1/ctr\n', 'sys/fs/cgroup/kubepods/pod1/ctr/cpu.max': '150000 100000\n' })
    assert.equal(cpuQuota(root), 1.5)
  })

  test('cgroup v2: a tighter quota on a parent binds the child', () => {
    const root = tree({ 'proc/self/mountinfo': V2_MOUNT, 'proc/self/cgroup': '0::/kubepods/pod1/ctr\n', 'sys/fs/cgroup/kubepods/pod1/ctr/cpu.max': 'max 100000\n', 'sys/fs/cgroup/kubepods/pod1/cpu.max': '50000 100000\n' })
    assert.equal(cpuQuota(root), 0.5)
  })

  test("inside a container: the mount's top is the container's own cgroup, whatever /proc/self/cgroup calls it", () => {
    const mount = '30 23 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n'
    const root = tree({ 'proc/self/mountinfo': mount, 'proc/self/cgroup': '0::/\n', 'sys/fs/cgroup/cpu.max': '200000 100000\n' })
    assert.equal(cpuQuota(root), 2)
  })

  test('a path that leaves the mount (a cgroup outside the namespace) reads the mount top only', () => {
    const root = tree({ 'proc/self/mountinfo': V2_MOUNT, 'proc/self/cgroup': '0::/../../elsewhere\n', 'sys/fs/cgroup/cpu.max': '100000 100000\n' })
    assert.equal(cpuQuota(root), 1)
  })

  test('cgroup v1: cpu.cfs_quota_us over cpu.cfs_period_us, -1 meaning none', () => {
    const files = { 'proc/self/mountinfo': V1_MOUNTS, 'proc/self/cgroup': '5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n', 'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n' }
    assert.equal(cpuQuota(tree({ ...files, 'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '25000\n' })), 0.25)
    assert.equal(cpuQuota(tree({ ...files, 'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '-1\n' })), null)
  })

  test('no cgroup files (another OS, a sandbox) means no quota', () => {
    assert.equal(cpuQuota(tree({})), null)
  })
})
