import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The CPU quota of this process's cgroup, in cores (a container's CPU limit: cgroup v2 `cpu.max`,
 * v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`), or null when there is none or none can be read.
 * The tightest level counts: a quota on a parent cgroup binds its children.
 *
 * Why: busy-polling spends CPU while it waits, which under a quota is spent quota; once a period's
 * quota is gone the kernel stops the process until the next period (100 ms by default), which is
 * far worse for latency than the wake-ups polling saves. `serve` therefore polls by default only
 * where no quota applies.
 *
 * `root` is where `/proc` and `/sys` are found (tests give a directory laid out like them).
 */
export function cpuQuota(root = '/'): number | null {
  const mounts = read(join(root, 'proc/self/mountinfo'))
  const groups = read(join(root, 'proc/self/cgroup'))
  if (mounts === null || groups === null) return null
  let tightest: number | null = null
  for (const m of cgroupMounts(mounts)) {
    const path = ownCgroup(groups, m.v2)
    if (path === undefined) continue
    // Inside a container the mount's root is the container's own cgroup, and /proc/self/cgroup may
    // name it from the host's side: start where the path lies under the mount, else at the mount.
    const below = path.startsWith(m.root) ? path.slice(m.root.length) : ''
    const top = join(root, m.at)
    let dir = join(top, below)
    if (!dir.startsWith(top)) dir = top
    for (;;) {
      const cores = m.v2 ? v2Quota(dir) : v1Quota(dir)
      if (cores !== null && (tightest === null || cores < tightest)) tightest = cores
      if (dir.length <= top.length) break
      dir = dirname(dir)
    }
  }
  return tightest
}

interface CgroupMount {
  readonly v2: boolean
  /** The cgroup this mount shows at its top. */
  readonly root: string
  /** Where it is mounted. */
  readonly at: string
}

/** cgroup2 mounts and cgroup v1 mounts carrying the cpu controller, from /proc/self/mountinfo. */
function cgroupMounts(mountinfo: string): CgroupMount[] {
  const found: CgroupMount[] = []
  for (const line of mountinfo.split('\n')) {
    // "36 25 0:31 / /sys/fs/cgroup/cpu rw,… shared:15 - cgroup cgroup rw,cpu" (proc(5)).
    const [pre, post] = line.split(' - ')
    if (pre === undefined || post === undefined) continue
    const f = pre.split(' ')
    const [fstype, , options] = post.split(' ')
    if (fstype === 'cgroup2') found.push({ v2: true, root: unescape(f[3]!), at: unescape(f[4]!) })
    else if (fstype === 'cgroup' && options?.split(',').includes('cpu')) found.push({ v2: false, root: unescape(f[3]!), at: unescape(f[4]!) })
  }
  return found
}

/** This process's cgroup in the v2 hierarchy, or in the v1 one with the cpu controller (/proc/self/cgroup: "id:controllers:path"). */
function ownCgroup(cgroupFile: string, v2: boolean): string | undefined {
  for (const line of cgroupFile.split('\n')) {
    const [id, controllers, ...path] = line.split(':')
    if (path.length === 0) continue
    if (v2 ? id === '0' && controllers === '' : controllers!.split(',').includes('cpu')) return path.join(':')
  }
  return undefined
}

/** cgroup v2 `cpu.max`: "max 100000" (no quota) or "<quota> <period>" in microseconds. */
function v2Quota(dir: string): number | null {
  const m = read(join(dir, 'cpu.max'))?.trim().match(/^(\d+) (\d+)$/)
  return m ? Number(m[1]) / Number(m[2]) : null
}

/** cgroup v1: `cpu.cfs_quota_us` (-1: no quota) over `cpu.cfs_period_us`. */
function v1Quota(dir: string): number | null {
  const quota = Number(read(join(dir, 'cpu.cfs_quota_us')))
  const period = Number(read(join(dir, 'cpu.cfs_period_us')))
  return quota > 0 && period > 0 ? quota / period : null
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040). */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)))
}
