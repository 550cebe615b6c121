import type {Op} from '../scenario/types.ts'
import type {CpuTime} from './cpu-time.ts'
import type {Interrupts} from './interrupts.ts'
import type {Machine} from './machine.ts'
import type {Module} from './module.ts'
import type {Scheduler} from './scheduler.ts'
import type {StepGen} from './task.ts'

/**
 * What the kernel API (kernel.ts) may use of the engine: the machine's state, and the few
 * operations of the scheduler, the CPU clock and the interrupt controller that kernel code
 * triggers. Never the event loop, the dispatcher or the run.
 */
export interface KernelHost {
  /** The simulated machine: clock, CPUs, tasks, modules, the observer, the log, who is running. */
  readonly m: Machine
  /** try_to_wake_up, sleeping, enqueueing, resched_task, select_task_rq, migration. */
  readonly sched: Pick<Scheduler, 'wakeUp' | 'block' | 'enqueue' | 'resched' | 'selectCpu' | 'moveQueued'>
  /** A write to a word that busy-waiters watch. */
  readonly time: Pick<CpuTime, 'notify'>
  /** Sleep timers. */
  readonly irqs: Pick<Interrupts, 'armTimer'>
  /** Runs trace ops as code inside `mod`'s text (its init or exit). */
  runModuleCode(mod: Module, ops: readonly Op[]): StepGen
}
