import type {EndReason, RunResult} from '../core/result.ts'
import {observeEnd} from '../observe/end-of-run.ts'
import {formatDuration} from '../scenario/duration.ts'
import type {Op, Scenario} from '../scenario/types.ts'
import {StopRun} from './choice.ts'
import {CpuTime} from './cpu-time.ts'
import {Dispatcher} from './dispatch.ts'
import {EndView} from './end-view.ts'
import {EV_IRQ, EV_START} from './event-kinds.ts'
import {enterWatched, leaveWatched} from './heartbeat.ts'
import {Interrupts} from './interrupts.ts'
import {Kernel} from './kernel.ts'
import type {KernelHost} from './kernel-host.ts'
import {Machine, type RunOptions} from './machine.ts'
import type {Module} from './module.ts'
import {irqProgram, loadModule, runModuleCode, taskProgram} from './program.ts'
import {Scheduler} from './scheduler.ts'
import {migrationThread, kthreadd} from './system-threads.ts'
import {timedLoop} from './timed-loop.ts'
import {STOPPED, untimedLoop} from './untimed-loop.ts'
import type {SchedPolicy, StepGen, Task} from './task.ts'
import type {Variant} from './variant.ts'
import {VariantError} from './variant-error.ts'

export {VariantError}
export {DEFAULT_STEP_BUDGET} from './machine.ts'
export type {LogLine, RunOptions} from './machine.ts'

/**
 * The discrete-event simulation of one SMP machine running one scenario against one
 * variant. Time advances from event to event; every task runs a generator whose yields
 * are atomic steps. The engine is a few collaborators, each owning its part:
 * machine.ts (the state: clock, event queue, CPUs, tasks, modules, observer, log),
 * cpu-time.ts (how long each CPU is busy; parked busy-waits), scheduler.ts (context
 * switches, wakeups, run queues), interrupts.ts (irqs, timers, IPIs), dispatch.ts (what
 * each event does, a CPU's next step), timed-loop.ts and untimed-loop.ts (which event
 * comes next), and kernel.ts (the API variants are written against, which sees only a
 * KernelHost). This class wires them, boots the machine and runs it.
 */
export class Engine implements KernelHost {
  readonly m: Machine
  readonly time: CpuTime
  readonly sched: Scheduler
  readonly irqs: Interrupts
  readonly k: Kernel
  /** @internal What each event does (tests patch its `stale` to model variants of the loop). */
  readonly dispatcher: Dispatcher

  constructor(scenario: Scenario, variant: Variant, opts: RunOptions) {
    this.m = new Machine(scenario, variant, opts)
    this.time = new CpuTime(this.m)
    this.sched = new Scheduler(this.m, this.time)
    this.irqs = new Interrupts(this.m, this.time, this.sched, (irq) => irqProgram(this.k, irq))
    this.dispatcher = new Dispatcher(this.m, this.time, this.sched, this.irqs)
    this.k = new Kernel(this)
  }

  /** The observer of this run (findings so far, metrics). */
  get obs(): Machine['obs'] {
    return this.m.obs
  }

  /** Every task the machine has had. */
  get tasks(): readonly Task[] {
    return this.m.tasks
  }

  /** The event log, when recorded. */
  get logLines(): Machine['logLines'] {
    return this.m.logLines
  }

  /**
   * Runs the scenario to its end and returns the result; null when the choice source
   * ended it early by returning false from `candidates` (one that throws StopRun ends it
   * with that, as it is).
   */
  run(): RunResult | null {
    const m = this.m
    let ended: EndReason | typeof STOPPED
    enterWatched()
    try {
      this.boot()
      ended = m.untimed
        ? untimedLoop(m, this.dispatcher, m.opts.choices)
        : timedLoop(m, this.dispatcher, m.opts.choices)
    } catch (err) {
      if (err instanceof StopRun) throw err
      const where = m.current ? ` in ${m.current.name} on cpu${m.currentCpu}` : ''
      throw new VariantError(`${m.variant.meta.id}: at ${formatDuration(m.now)}${where}: ${errorText(err)}`, {cause: err})
    } finally {
      leaveWatched()
    }
    if (ended === STOPPED) return null
    observeEnd(m.obs, new EndView(m, this.k), m.scenario.machine.hung_task)
    return {
      trace: m.scenario.name,
      variant: m.variant.meta.id,
      seed: m.opts.seed,
      ended,
      findings: m.obs.sortedFindings(),
      metrics: m.obs.metrics(m.steps, m.now),
    }
  }

  /** Runs trace ops as code inside `mod`'s text (KernelHost). */
  runModuleCode(mod: Module, ops: readonly Op[]): StepGen {
    return runModuleCode(this.k, mod, ops)
  }

  // ---- set-up --------------------------------------------------------------------------

  private boot(): void {
    const m = this.m
    const s = m.scenario
    const variant = m.variant
    const migrationPolicy: SchedPolicy = variant.migrationClass === 'stop' ? 'stop' : 'fifo'
    for (const c of m.cpus) {
      const t = m.spawn(`migration/${c.id}`, migrationPolicy, 99, [c.id], true, null, migrationThread(this.k, c))
      c.migration = t
      this.sched.block(t, 'migration queue empty', 1)
    }
    m.kthreadd = m.spawn('kthreadd', 'normal', -5, m.defaultCpus(), true, null, kthreadd(this.k))
    this.sched.block(m.kthreadd, 'no threads to create', 1)
    variant.boot?.(this.k)
    for (const spec of s.modules) {
      if (!spec.loaded) continue
      const mod = m.newInstance(spec.name)
      mod.baseRefs = spec.refs
      mod.priv = variant.moduleUnloadInit(this.k, mod, spec.refs)
      if (spec.init.length) {
        const t = m.spawn(`insmod/${spec.name}`, 'normal', 0, m.defaultCpus(), false, null, null)
        t.gen = loadModule(this.k, mod)
        m.q.push(0, EV_START, -1, 0, t)
      } else {
        mod.state = 'live'
      }
    }
    for (const spec of s.tasks) {
      const t = m.spawn(spec.name, spec.policy, spec.priority, spec.cpus, false, spec, taskProgram(this.k, spec.program))
      t.lastSetAffinity = spec.cpus
      m.q.push(spec.start, EV_START, -1, 0, t)
    }
    s.irqs.forEach((irq, i) => {
      if (irq.every !== null) m.q.push(irq.every, EV_IRQ, -1, i, 0)
      else irq.at.forEach((at, n) => m.q.push(at, EV_IRQ, -1, i, n))
    })
  }
}

/**
 * What an error thrown in a run says. V8's message for `yield*` of something that is not
 * iterable spells out the expression, `(intermediate value)` hundreds of times for a hook
 * written as a plain function: said plainly instead.
 */
function errorText(err: unknown): string {
  if (err instanceof TypeError && /^yield\* .* is not iterable$/s.test(err.message)) {
    return 'yield* of something that is not a generator: a variant hook written as a plain function that returns a value? (a hook is a function*, or returns the generator of one)'
  }
  return err instanceof Error ? err.message : String(err)
}
