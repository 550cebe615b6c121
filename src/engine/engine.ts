import {formatDuration} from '../scenario/duration.ts'
import type {Scenario, TaskSpec} from '../scenario/types.ts'
import type {EndReason, RunResult} from '../core/result.ts'
import {RunStop} from './choice.ts'
import {beat} from './heartbeat.ts'
import {Kernel} from './kernel.ts'
import {Module} from './module.ts'
import {observeEnd} from '../observe/end-of-run.ts'
import {loadModule, taskProgram} from './program.ts'
import {migrationThread, kthreadd} from './system-threads.ts'
import {untimedLoop} from './untimed-loop.ts'
import {EV_IRQ, EV_START} from './event-kinds.ts'
import {MOD_FIELDS} from './tracer.ts'
import {Task, type SchedPolicy, type StepGen} from './task.ts'
import type {Variant} from './variant.ts'
import {VariantError} from './variant-error.ts'
import type {RunOptions} from './engine/engine-base.ts'
import {EngineLoop} from './engine/engine-loop.ts'

export {VariantError}
export {DEFAULT_STEP_BUDGET} from './engine/engine-base.ts'
export type {LogLine, RunOptions} from './engine/engine-base.ts'

/**
 * The discrete-event simulation of one SMP machine running one scenario against one
 * variant. Time advances from event to event; every task runs a generator whose yields
 * are atomic steps. All mutation of the simulated world happens here or in Kernel.
 *
 * The engine is a chain of layers, each file extending the one before and using only what
 * is below it: engine/engine-base.ts (state, preempt/irq regions, timers, lookups, the
 * log), engine/engine-steps.ts (step timing, parked busy-waits), engine/engine-scheduling.ts
 * (the scheduler), engine/engine-interrupts.ts (interrupts, timers and IPIs),
 * engine/engine-loop.ts (the timed event loop and each CPU's next step), and this class
 * (set-up and the run).
 */
export class Engine extends EngineLoop {
  readonly k: Kernel
  private readonly instances = new Map<string, number>()
  private nextId = 0

  constructor(scenario: Scenario, variant: Variant, opts: RunOptions) {
    super(scenario, variant, opts)
    this.k = new Kernel(this)
  }

  /** Runs the scenario to its end and returns the result. */
  run(): RunResult {
    let ended: EndReason
    try {
      this.boot()
      ended = this.untimed ? untimedLoop(this) : this.loop()
    } catch (err) {
      if (err instanceof RunStop) throw err
      const where = this.current ? ` in ${this.current.name} on cpu${this.currentCpu}` : ''
      const msg = err instanceof Error ? err.message : String(err)
      throw new VariantError(`${this.variant.meta.id}: at ${formatDuration(this.now)}${where}: ${msg}`, {cause: err})
    }
    observeEnd(this.obs, this, ended, this.scenario.machine.hung_task)
    beat()
    return {
      trace: this.scenario.name,
      variant: this.variant.meta.id,
      seed: this.opts.seed,
      ended,
      findings: this.obs.sortedFindings(),
      metrics: this.obs.metrics(this.steps, this.now),
    }
  }

  // ---- set-up --------------------------------------------------------------------------

  private boot(): void {
    const s = this.scenario
    const migrationPolicy: SchedPolicy = this.variant.migrationClass === 'stop' ? 'stop' : 'fifo'
    for (const c of this.cpus) {
      const m = this.spawn(`migration/${c.id}`, migrationPolicy, 99, [c.id], true, null, migrationThread(this.k, c))
      c.migration = m
      this.block(m, 'migration queue empty', 1)
    }
    this.kthreadd = this.spawn('kthreadd', 'normal', -5, this.defaultCpus(), true, null, kthreadd(this.k))
    this.block(this.kthreadd, 'no threads to create', 1)
    this.variant.boot?.(this.k)
    for (const m of s.modules) {
      if (!m.loaded) continue
      const mod = this.newInstance(m.name)
      mod.baseRefs = m.refs
      mod.priv = this.variant.moduleUnloadInit(this.k, mod, m.refs)
      if (m.init.length) {
        const t = this.spawn(`insmod/${m.name}`, 'normal', 0, this.defaultCpus(), false, null, null)
        t.gen = loadModule(this.k, mod)
        this.q.push(0, EV_START, -1, 0, t)
      } else {
        mod.state = 'live'
      }
    }
    for (const spec of s.tasks) {
      const t = this.spawn(spec.name, spec.policy, spec.priority, spec.cpus, false, spec, taskProgram(this.k, spec.program))
      t.lastSetAffinity = spec.cpus
      this.q.push(spec.start, EV_START, -1, 0, t)
    }
    s.irqs.forEach((irq, i) => {
      if (irq.every !== null) this.q.push(irq.every, EV_IRQ, -1, i, 0)
      else irq.at.forEach((at, n) => this.q.push(at, EV_IRQ, -1, i, n))
    })
  }

  /** All CPUs that are not isolated (the default affinity). */
  defaultCpus(): number[] {
    const all = this.cpus.filter((c) => !c.isolated).map((c) => c.id)
    return all.length ? all : [0]
  }

  /** Makes a new module instance current under its name. */
  newInstance(name: string): Module {
    const spec = this.scenario.modules.find((m) => m.name === name)
    if (!spec) throw new VariantError(`no module named ${name}`)
    const n = this.instances.get(name) ?? 0
    this.instances.set(name, n + 1)
    const mod = new Module(spec, n)
    this.modules.set(name, mod)
    if (this.tracer !== null) {
      this.tracer.access(spec, 0, true)
      this.tracer.alloc(mod, MOD_FIELDS)
    }
    return mod
  }

  /** Creates a task (not yet runnable). */
  spawn(
    name: string,
    policy: SchedPolicy,
    priority: number,
    cpus: readonly number[],
    kthread: boolean,
    spec: TaskSpec | null,
    gen: StepGen<unknown> | null,
  ): Task {
    const t = new Task(this.nextId++, name, policy, priority, cpus, kthread, spec)
    t.gen = gen
    this.tasks.push(t)
    if (this.tracer !== null) {
      this.tracer.access(this.tasks, 0, true)
      this.tracer.alloc(t, 1)
    }
    return t
  }
}
