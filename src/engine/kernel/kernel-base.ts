import type {Costs} from '../../scenario/types.ts'
import type {Cpu} from '../cpu.ts'
import type {Engine} from '../engine.ts'
import type {StepGen, Task} from '../task.ts'
import {VariantError} from '../variant-error.ts'

/**
 * The first layer of the kernel API (`Kernel`, kernel.ts): the engine and costs behind it,
 * who and where the calling code runs, and helpers the other layers share.
 */
export class KernelBase {
  readonly costs: Costs
  /** @internal Variants' per-run state (kernel-state.ts), by slot. */
  readonly statics: unknown[] = []

  /** @internal The engine behind this API; variants must not use it. */
  constructor(readonly engine: Engine) {
    this.costs = engine.scenario.machine.costs
  }

  // ---- who and where ---------------------------------------------------------------------

  /** The task executing this code (`current`). */
  get current(): Task {
    const t = this.engine.current
    if (t === null) throw new VariantError('kernel API used outside a task')
    return t
  }

  protected get cpu(): Cpu {
    return this.engine.cpus[this.engine.currentCpu]
  }

  /** Online CPU numbers (every CPU of the machine is online). */
  onlineCpus(): readonly number[] {
    return this.engine.cpus.map((c) => c.id)
  }

  numOnlineCpus(): number {
    return this.engine.cpus.length
  }

  /** Whether `cpu` is in the isolcpus= set. */
  cpuIsolated(cpu: number): boolean {
    return this.engine.cpus[cpu].isolated
  }

  /** raw_smp_processor_id(): the CPU this code runs on right now, no step. */
  rawSmpProcessorId(): number {
    return this.engine.currentCpu
  }

  /** smp_processor_id(): read the CPU number (stale as soon as preemption can move us). */
  *smpProcessorId(): StepGen<number> {
    const id = this.engine.currentCpu
    yield this.costs.step
    return id
  }

  /** Writes a line to the event log (costs nothing). */
  log(what: string): void {
    this.engine.log(this.engine.currentCpu, this.engine.current, what)
  }

  /** A plain step of kernel code of the given cost. */
  *step(cost: number = this.costs.step): StepGen {
    yield cost
  }

  // ---- helpers for the layers above -------------------------------------------------------

  /** Tells the explorer's tracer (if any) that this step read (or wrote) task `t`. */
  protected taskAccess(t: Task, write: boolean): void {
    const tr = this.engine.tracer
    if (tr !== null) tr.access(t, 0, write)
  }

  /** Registers a new shared object with the explorer's tracer, if any (ids follow allocation order). */
  protected allocated<T extends object>(obj: T, span = 1): T {
    const tr = this.engine.tracer
    if (tr !== null) tr.alloc(obj, span)
    return obj
  }
}
