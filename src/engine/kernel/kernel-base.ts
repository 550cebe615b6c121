import type {Costs} from '../../scenario/types.ts'
import type {Cpu} from '../cpu.ts'
import type {CpuTime} from '../cpu-time.ts'
import type {Interrupts} from '../interrupts.ts'
import type {KernelHost} from '../kernel-host.ts'
import type {Machine} from '../machine.ts'
import type {StepGen, Task} from '../task.ts'
import {VariantError} from '../variant-error.ts'

/**
 * The first layer of the kernel API (`Kernel`, kernel.ts): the host and costs behind it,
 * who and where the calling code runs, and helpers the other layers share.
 */
export class KernelBase {
  readonly costs: Costs
  /** @internal Variants' per-run state (kernel-state.ts), by slot. */
  readonly statics: unknown[] = []

  /** @internal The machine this API runs on (KernelHost.m); variants must not use it. */
  readonly m: Machine
  /** @internal The scheduler's operations kernel code triggers. */
  protected readonly sched: KernelHost['sched']
  /** @internal Busy-wait wakeups on word writes. */
  protected readonly time: Pick<CpuTime, 'notify'>
  /** @internal Sleep timers. */
  protected readonly irqs: Pick<Interrupts, 'armTimer'>

  /** @internal The host behind this API (kernel-host.ts); variants must not use it. */
  constructor(protected readonly host: KernelHost) {
    this.m = host.m
    this.sched = host.sched
    this.time = host.time
    this.irqs = host.irqs
    this.costs = host.m.costs
  }

  // ---- who and where ---------------------------------------------------------------------

  /** The task executing this code (`current`). */
  get current(): Task {
    const t = this.m.current
    if (t === null) throw new VariantError('kernel API used outside a task')
    return t
  }

  protected get cpu(): Cpu {
    return this.m.cpus[this.m.currentCpu]
  }

  /** Online CPU numbers (every CPU of the machine is online). */
  onlineCpus(): readonly number[] {
    return this.m.cpus.map((c) => c.id)
  }

  numOnlineCpus(): number {
    return this.m.cpus.length
  }

  /** Whether `cpu` is in the isolcpus= set. */
  cpuIsolated(cpu: number): boolean {
    return this.m.cpus[cpu].isolated
  }

  /** raw_smp_processor_id(): the CPU this code runs on right now, no step. */
  rawSmpProcessorId(): number {
    return this.m.currentCpu
  }

  /** smp_processor_id(): read the CPU number (stale as soon as preemption can move us). */
  *smpProcessorId(): StepGen<number> {
    const id = this.m.currentCpu
    yield this.costs.step
    return id
  }

  /** Writes a line to the event log (costs nothing). */
  log(what: string): void {
    this.m.log(this.m.currentCpu, this.m.current, what)
  }

  /** A plain step of kernel code of the given cost. */
  *step(cost: number = this.costs.step): StepGen {
    yield cost
  }

  // ---- helpers for the layers above -------------------------------------------------------

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
}
