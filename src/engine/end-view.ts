import type {CpuView, MachineView, Wait} from '../observe/machine-view.ts'
import type {Kernel} from './kernel.ts'
import type {Machine} from './machine.ts'
import type {Task} from './task.ts'
import {waitGraph} from './wait-graph.ts'
import {wakeableTasks} from './wakeable.ts'

/**
 * The machine as the end-of-run detectors see it (observe/machine-view.ts), once the run
 * is over and nothing changes any more. The wait graph and the wakeable tasks are worked
 * out when a detector first asks: most runs end with no task in a wait, and never do.
 */
export class EndView implements MachineView {
  readonly now: number
  readonly cpus: readonly CpuView[]
  readonly tasks: readonly Task[]
  readonly pendingWork: boolean
  private wakeableSet: Set<Task> | null = null
  private waitMap: Map<Task, Wait> | null = null

  constructor(
    private readonly m: Machine,
    private readonly k: Kernel,
  ) {
    const now = m.now
    this.now = now
    this.cpus = m.cpus
    this.tasks = m.tasks
    this.pendingWork = m.scenario.irqs.some((irq) => irq.every !== null || irq.at.some((at) => at > now))
  }

  get wakeable(): ReadonlySet<Task> {
    if (this.wakeableSet === null) {
      const {m, k} = this
      const roots = [k.statics, [...m.modules.values()], k.createQueue, k.migrationQueues, k.waitObjects, m.tasks.map((t) => t.exitWaiters)]
      this.wakeableSet = wakeableTasks(roots, new Set(k.waitObjects))
    }
    return this.wakeableSet
  }

  get waits(): ReadonlyMap<Task, Wait> {
    return (this.waitMap ??= waitGraph(this.m.tasks))
  }
}
