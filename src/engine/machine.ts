import {costsWith, type Costs} from '../core/costs.ts'
import {Observer} from '../observe/observer.ts'
import type {ModuleSpec, NormalSched, Scenario, TaskSpec} from '../scenario/types.ts'
import type {ChoiceSource} from './choice.ts'
import {Cpu} from './cpu.ts'
import {EventQueue} from './event-queue.ts'
import {Module} from './module.ts'
import {CPU_FIELDS, MOD_FIELDS, type AccessTracer} from './tracer.ts'
import {Task, type SchedPolicy, type StepGen} from './task.ts'
import type {Variant} from './variant.ts'
import {VariantError} from './variant-error.ts'

/** Each trace's module entries by name (the first of a name), made once per trace, not per run. */
const SPECS = new WeakMap<readonly ModuleSpec[], ReadonlyMap<string, ModuleSpec>>()

/** One line of the event log. */
export interface LogLine {
  readonly t: number
  readonly cpu: number
  readonly task: string
  readonly what: string
}

/** How a run is bounded and what it records. */
export interface RunOptions {
  readonly choices: ChoiceSource
  /** The seed the choices came from (reported, not used). */
  readonly seed: number
  /** Simulated steps before the run is cut off. */
  readonly stepBudget?: number
  /** Record the event log. */
  readonly log?: boolean
  /** Also log module gets, puts and calls (for the lanes of a replayed schedule). */
  readonly logOps?: boolean
  /**
   * Untimed mode (schedule exploration, see untimed-loop.ts): any pending event may run next,
   * not only those due at the earliest instant. No jitter and no delays are drawn.
   */
  readonly untimed?: boolean
  /** Told what each untimed dispatch touched (partial-order reduction); see tracer.ts. */
  readonly tracer?: AccessTracer
}

/** The default step budget: far beyond any shipped trace, small enough to end in seconds. */
export const DEFAULT_STEP_BUDGET = 50_000_000

/**
 * The simulated machine's state, owned here and mutated by the engine's collaborators
 * (cpu-time.ts, scheduler.ts, interrupts.ts, dispatch.ts) and the kernel API: the clock and
 * event queue, CPUs, tasks, module instances, the observer, the event log, and which task
 * is executing. Also the bookkeeping every part shares: creating tasks and module
 * instances, lookups, the log, and the preempt/irq regions the observer measures.
 */
export class Machine {
  now = 0
  steps = 0
  readonly q = new EventQueue()
  readonly cpus: Cpu[]
  readonly tasks: Task[] = []
  /** Current instance of each module by name (loaded or freed). */
  readonly modules = new Map<string, Module>()
  readonly obs: Observer
  readonly costs: Costs
  readonly logLines: LogLine[] | null
  readonly logOps: boolean
  /** The task whose generator is executing, and its CPU. */
  current: Task | null = null
  currentCpu = -1
  kthreadd!: Task
  /** The step budget. */
  readonly budget: number
  readonly untimed: boolean
  /** The normal-class scheduler: the trace's `machine.sched`, else the variant's era (default CFS). */
  readonly normalSched: NormalSched
  readonly tracer: AccessTracer | null
  private readonly instances = new Map<string, number>()
  private nextId = 0

  constructor(
    readonly scenario: Scenario,
    readonly variant: Variant,
    readonly opts: RunOptions,
  ) {
    const iso = new Set(scenario.machine.isolated)
    // A loop: Array.from({length}, f) takes the generic array-like path, a cost every run pays.
    const cpus: Cpu[] = []
    for (let i = 0; i < scenario.machine.cpus; i++) cpus.push(new Cpu(i, iso.has(i)))
    this.cpus = cpus
    this.obs = new Observer(scenario)
    // Of one shape whatever made the scenario (a spread of a trace's overrides, immer's frozen copy).
    this.costs = costsWith(scenario.machine.costs)
    this.logLines = opts.log ? [] : null
    this.untimed = opts.untimed === true
    this.normalSched = scenario.machine.sched ?? variant.normalSched ?? 'cfs'
    this.budget = opts.stepBudget ?? DEFAULT_STEP_BUDGET
    this.logOps = opts.logOps === true && this.logLines !== null
    this.tracer = opts.tracer ?? null
    if (this.tracer !== null) {
      for (const c of this.cpus) this.tracer.alloc(c, CPU_FIELDS)
      this.tracer.alloc(this.tasks, 1)
      for (const m of scenario.modules) this.tracer.alloc(m, 1)
    }
  }

  // ---- tasks and modules ------------------------------------------------------------------

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

  /** The trace's entry for the module named `name`. */
  moduleSpec(name: string): ModuleSpec | undefined {
    const list = this.scenario.modules
    let byName = SPECS.get(list)
    if (byName === undefined) {
      const map = new Map<string, ModuleSpec>()
      for (const m of list) if (!map.has(m.name)) map.set(m.name, m)
      SPECS.set(list, (byName = map))
    }
    return byName.get(name)
  }

  /** Makes a new module instance current under its name. */
  newInstance(name: string): Module {
    const spec = this.moduleSpec(name)
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

  /** All CPUs that are not isolated (the default affinity). */
  defaultCpus(): number[] {
    const all = this.cpus.filter((c) => !c.isolated).map((c) => c.id)
    return all.length ? all : [0]
  }

  /** The live task with this name (or the last one that had it), for setaffinity/kill. */
  findTask(name: string): Task | undefined {
    let found: Task | undefined
    if (this.tracer !== null) this.tracer.access(this.tasks, 0, false)
    for (const t of this.tasks) {
      if (t.name !== name) continue
      if (this.tracer !== null) this.tracer.access(t, 0, false)
      if (t.where !== 'exited') return t
      found = t
    }
    return found
  }

  /** References held on `mod` by tasks through gets, plus those held since load. */
  refsHeld(mod: Module): number {
    let n = mod.baseRefs
    for (const t of this.tasks) n += t.refs.get(mod) ?? 0
    for (const c of this.cpus) n += c.irqTask?.refs.get(mod) ?? 0
    return n
  }

  /** Appends to the event log when it is being recorded. */
  log(cpu: number, t: Task | null, what: string): void {
    if (this.logLines) this.logLines.push({t: this.now, cpu, task: t ? t.name : '-', what})
  }

  // ---- preempt/irq regions (observed for stalls and irq-off time) ------------------------

  /** Called after preempt_count or the irq flag changed on `c`. */
  regionChanged(c: Cpu): void {
    const closed = c.preempt === 0 && !c.irqsOff
    if (!closed && c.regionStart < 0) {
      // A preempt- or irq-off region is measured as such: it ends a hold from waiting tasks.
      this.heldFromWaiters(c)
      c.regionStart = this.now
      c.regionSpun = false
    } else if (closed && c.regionStart >= 0) {
      if (c.regionSpun) this.obs.held(c.id, c.regionStart, this.now, false, false)
      c.regionStart = -1
    }
  }

  // ---- busy-waits (observed for livelocks and for CPUs held from waiting tasks) ---------

  /** `t` on `c` is about to busy-wait (a failed check of its spin or yield loop). */
  busyWaiting(c: Cpu, t: Task): void {
    if (t.busyWaitStart < 0) {
      t.busyWaitStart = this.now
      t.busyWaitAtomic = c.preempt > 0 || c.irqsOff
      t.busyWaitOff = 0
    }
    if (c.behindStart < 0 && c.regionStart < 0 && c.rq.topRank() >= 0 && c.rq.lowestRank() < t.rank) c.behindStart = this.now
  }

  /** `t`'s busy-wait loop on `c` ended: its condition came true. */
  busyWaitEnded(c: Cpu, t: Task): void {
    this.obs.busyWaited(t.name, c.id, t.busyWaitStart, this.now, t.busyWaitOff, t.busyWaitAtomic, false)
    t.busyWaitStart = -1
    this.heldFromWaiters(c)
  }

  /** `c` no longer keeps queued tasks waiting behind a busy-waiter (it switched, the wait ended, or a preempt-off region began). */
  heldFromWaiters(c: Cpu): void {
    if (c.behindStart < 0) return
    this.obs.held(c.id, c.behindStart, this.now, false, true)
    c.behindStart = -1
  }

  /** Interrupts were just disabled on `c`. */
  irqsOffNow(c: Cpu): void {
    c.irqOffStart = this.now
  }

  /** Interrupts were just enabled on `c`. */
  irqsOn(c: Cpu): void {
    if (c.irqOffStart >= 0) {
      this.obs.irqOff(c.irqOffStart, this.now)
      c.irqOffStart = -1
    }
  }
}
