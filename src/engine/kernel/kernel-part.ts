import type {Costs} from '../../core/costs.ts'
import type {Cpu} from '../cpu.ts'
import type {CpuTime} from '../cpu-time.ts'
import type {Interrupts} from '../interrupts.ts'
import type {KernelHost} from '../kernel-host.ts'
import type {Machine} from '../machine.ts'
import {StepToken, type Step} from '../step.ts'
import {MOD_MEMORY} from '../tracer.ts'
import type {Module} from '../module.ts'
import type {Task, Yielded} from '../task.ts'
import {VariantError} from '../variant-error.ts'

/**
 * What every part of the kernel API (kernel-memory.ts, kernel-scheduling.ts,
 * kernel-preemption.ts, kernel-threads.ts) stands on: the host it runs on, the costs, who
 * and where the calling code runs, and the tracer and observer hooks they share. The
 * parts are composed by `Kernel` (kernel.ts), the one object variants see.
 */
export abstract class KernelPart {
  readonly costs: Costs
  /** The machine this API runs on (KernelHost.m). */
  protected readonly m: Machine
  /** The scheduler's operations kernel code triggers. */
  protected readonly sched: KernelHost['sched']
  /** Busy-wait wakeups on word writes. */
  protected readonly time: Pick<CpuTime, 'notify'>
  /** Sleep timers. */
  protected readonly irqs: Pick<Interrupts, 'armTimer'>
  private readonly token: StepToken

  constructor(protected readonly host: KernelHost) {
    this.m = host.m
    this.sched = host.sched
    this.time = host.time
    this.irqs = host.irqs
    this.costs = host.m.costs
    this.token = new StepToken(host.m)
  }

  /**
   * A primitive of one step that has taken effect: the caller's `yield*` yields `cost` (ns,
   * or a scheduler request) and then evaluates to `value` (step.ts).
   */
  protected stepped<R = void>(cost: Yielded, value?: R): Step<R> {
    return this.token.take(cost, value as R)
  }

  /** The task executing this code (`current`). */
  get current(): Task {
    const t = this.m.current
    if (t === null) throw new VariantError('kernel API used outside a task')
    return t
  }

  /** The CPU this code runs on. */
  protected get cpu(): Cpu {
    return this.m.cpus[this.m.currentCpu]
  }

  /** Writes a line to the event log (costs nothing). */
  log(what: string): void {
    this.m.log(this.m.currentCpu, this.m.current, what)
  }

  /** Tells the explorer's tracer (if any) that this step read (or wrote) task `t`. */
  protected taskAccess(t: Task, write: boolean): void {
    const tr = this.m.tracer
    if (tr !== null) tr.access(t, 0, write)
  }

  /** Registers a new shared object with the explorer's tracer, if any (ids follow allocation order). */
  protected allocated<T extends object>(obj: T, span = 1): T {
    const tr = this.m.tracer
    if (tr !== null) tr.alloc(obj, span)
    return obj
  }

  /** Tells the tracer (if any) the step reads `owner`'s memory; after freeModule, a use-after-free. */
  protected touch(owner: Module | null, name: string, how: string): void {
    if (owner !== null && this.m.tracer !== null) this.m.tracer.access(owner, MOD_MEMORY, false)
    if (owner !== null && owner.freed) {
      const t = this.current
      this.m.obs.useAfterFree(this.m.now, this.m.currentCpu, t.name, owner.name, owner.instance, `${how} ${name}`)
    }
  }
}
