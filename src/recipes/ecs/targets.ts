import type { Destination } from '../../model/index.ts'
import { logicalId } from './names.ts'

/** A target group: one per (ECS service, container, port, load balancer), as ELB allows a target group on one load balancer only. */
export interface TargetUse {
  readonly id: string
  readonly destination: Destination
  readonly lb: 'alb' | 'nlb'
  readonly protocol: 'HTTP' | 'TCP' | 'UDP'
  /** Logical IDs of the listeners or rules that forward to it: the ECS service must wait for them (platforms.md §1.2). */
  readonly users: string[]
}

export class Targets {
  readonly byId = new Map<string, TargetUse>()

  use(d: Destination, lb: 'alb' | 'nlb', protocol: TargetUse['protocol'], user: string): string {
    const container = d.containerName === d.resource ? [] : [d.containerName]
    const id = logicalId(d.resource, ...container, d.containerPort, lb === 'nlb' ? protocol : '', 'Target', 'Group')
    const t = this.byId.get(id) ?? { id, destination: d, lb, protocol, users: [] }
    t.users.push(user)
    this.byId.set(id, t)
    return id
  }
}
