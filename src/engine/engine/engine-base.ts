import type {Op, Scenario} from '../../scenario/types.ts'
import {Observer} from '../../observe/observer.ts'
import type {ChoiceSource} from '../choice.ts'
import {Cpu} from '../cpu.ts'
import {EV_TIMER} from '../event-kinds.ts'
import {EventQueue} from '../event-queue.ts'
import type {Kernel} from '../kernel.ts'
import type {Module} from '../module.ts'
import {runOps} from '../program.ts'
import {CPU_FIELDS, type AccessTracer} from '../tracer.ts'
import type {StepGen, Task} from '../task.ts'
import type {Variant} from '../variant.ts'

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
 * The first layer of the engine (`Engine`, engine.ts): the simulated world's state and the
 * run's options, the preempt/irq regions observed for stalls and irq-off time, timers,
 * lookups over tasks and modules, and the event log.
 */
export abstract class EngineBase {
  now = 0
  steps = 0
  readonly q = new EventQueue()
  readonly cpus: Cpu[]
  readonly tasks: Task[] = []
  /** Current instance of each module by name (loaded or freed). */
  readonly modules = new Map<string, Module>()
  readonly obs: Observer
  /** The kernel API over this engine, created by Engine's constructor (Kernel takes the whole Engine). */
  abstract readonly k: Kernel
  readonly logLines: LogLine[] | null
  /** The task whose generator is executing, and its CPU. */
  current: Task | null = null
  currentCpu = -1
  kthreadd!: Task
  protected readonly jitter: number
  /** @internal The step budget (read by the untimed loop). */
  readonly budget: number
  /** The delay choice point's lengths when the ChoiceSource opted in (timed runs only), else null. */
  protected readonly delays: readonly number[] | null
  readonly untimed: boolean
  readonly tracer: AccessTracer | null
  readonly logOps: boolean

  constructor(
    readonly scenario: Scenario,
    readonly variant: Variant,
    readonly opts: RunOptions,
  ) {
    const iso = new Set(scenario.machine.isolated)
    this.cpus = Array.from({length: scenario.machine.cpus}, (_, i) => new Cpu(i, iso.has(i)))
    this.obs = new Observer(scenario)
    this.logLines = opts.log ? [] : null
    this.untimed = opts.untimed === true
    this.jitter = this.untimed ? 0 : scenario.machine.jitter
    this.delays = this.untimed ? null : (opts.choices.delays ?? null)
    this.budget = opts.stepBudget ?? DEFAULT_STEP_BUDGET
    this.logOps = opts.logOps === true && this.logLines !== null
    this.tracer = opts.tracer ?? null
    if (this.tracer !== null) {
      for (const c of this.cpus) this.tracer.alloc(c, CPU_FIELDS)
      this.tracer.alloc(this.tasks, 1)
      for (const m of scenario.modules) this.tracer.alloc(m, 1)
    }
  }

  // ---- preempt/irq regions (observed for stalls and irq-off time) ------------------------

  /** Called after preempt_count or the irq flag changed on `c`. */
  regionChanged(c: Cpu): void {
    const closed = c.preempt === 0 && !c.irqsOff
    if (!closed && c.regionStart < 0) {
      c.regionStart = this.now
      c.regionSpun = false
    } else if (closed && c.regionStart >= 0) {
      if (c.regionSpun) this.obs.held(c.id, c.regionStart, this.now, false)
      c.regionStart = -1
    }
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

  /** Arms a timer that wakes `t` at `at` on CPU `cpu`. */
  armTimer(t: Task, at: number, cpu: number): void {
    this.q.push(at, EV_TIMER, cpu, ++t.timerToken, t)
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

  /** Runs trace ops as code inside `mod`'s text (init, exit). */
  *runModuleCode(mod: Module, ops: readonly Op[]): StepGen {
    const t = this.k.current
    t.text.push(mod)
    yield* runOps(this.k, ops)
    t.text.pop()
  }

  /** Appends to the event log when it is being recorded. */
  log(cpu: number, t: Task | null, what: string): void {
    if (this.logLines) this.logLines.push({t: this.now, cpu, task: t ? t.name : '-', what})
  }
}
