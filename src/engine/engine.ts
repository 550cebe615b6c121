import {formatDuration} from '../scenario/duration.ts'
import type {Op, Scenario, TaskSpec} from '../scenario/types.ts'
import {Observer} from '../observe/observer.ts'
import type {EndReason, RunResult} from '../observe/result.ts'
import {JITTER_LEVELS, type ChoiceSource} from './choice.ts'
import {beat, BEAT_MASK} from './heartbeat.ts'
import {Cpu} from './cpu.ts'
import {EventQueue, type SimEvent} from './event-queue.ts'
import {Kernel} from './kernel.ts'
import {Module, type Word} from './module.ts'
import {finishObservation} from './finish.ts'
import {irqProgram, loadModule, runOps, taskProgram} from './program.ts'
import {migrationThread, kthreadd} from './system-threads.ts'
import {untimedLoop} from './untimed-loop.ts'
import {EV_IPI, EV_IRQ, EV_SLICE, EV_START, EV_STEP, EV_TIMER} from './event-kinds.ts'
import {CPU_ATOMIC, CPU_SCHED, MOD_FIELDS, MOD_MEMORY, type AccessTracer} from './tracer.ts'
import {
  PARK,
  SCHEDULE,
  TASK_RUNNING,
  Task,
  YIELD,
  timesliceOf,
  type SchedPolicy,
  type StepGen,
} from './task.ts'
import type {Variant} from './variant.ts'
import {VariantError} from './variant-error.ts'

export {VariantError}


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
 * The discrete-event simulation of one SMP machine running one scenario against one
 * variant. Time advances from event to event; every task runs a generator whose yields
 * are atomic steps. All mutation of the simulated world happens here or in Kernel.
 */
export class Engine {
  now = 0
  steps = 0
  readonly q = new EventQueue()
  readonly cpus: Cpu[]
  readonly tasks: Task[] = []
  /** Current instance of each module by name (loaded or freed). */
  readonly modules = new Map<string, Module>()
  private readonly instances = new Map<string, number>()
  readonly obs: Observer
  readonly k: Kernel
  readonly logLines: LogLine[] | null
  /** The task whose generator is executing, and its CPU. */
  current: Task | null = null
  currentCpu = -1
  kthreadd!: Task
  private nextId = 0
  private readonly batch: SimEvent[] = []
  private readonly jitter: number
  /** @internal The step budget (read by the untimed loop). */
  readonly budget: number
  /** The delay choice point's lengths when the ChoiceSource opted in (timed runs only), else null. */
  private readonly delays: readonly number[] | null
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
    this.k = new Kernel(this)
    this.logLines = opts.log ? [] : null
    this.untimed = opts.untimed === true
    this.jitter = this.untimed ? 0 : scenario.machine.jitter
    this.delays = this.untimed ? null : (opts.choices.delays ?? null)
    this.budget = opts.stepBudget ?? DEFAULT_STEP_BUDGET
    this.logOps = opts.logOps === true && this.logLines !== null
    this.tracer = opts.tracer ?? null
    if (this.tracer !== null) {
      for (const c of this.cpus) this.tracer.alloc(c, 2)
      this.tracer.alloc(this.tasks, 1)
      for (const m of scenario.modules) this.tracer.alloc(m, 1)
    }
  }

  /** Runs the scenario to its end and returns the result. */
  run(): RunResult {
    let ended: EndReason
    try {
      this.boot()
      ended = this.untimed ? untimedLoop(this) : this.loop()
    } catch (err) {
      const where = this.current ? ` in ${this.current.name} on cpu${this.currentCpu}` : ''
      const msg = err instanceof Error ? err.message : String(err)
      throw new VariantError(`${this.variant.meta.id}: at ${formatDuration(this.now)}${where}: ${msg}`, {cause: err})
    }
    finishObservation(this, ended)
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

  // ---- the event loop -------------------------------------------------------------------

  private loop(): EndReason {
    const q = this.q
    const batch = this.batch
    const horizon = this.scenario.horizon
    for (;;) {
      let e: SimEvent
      if (batch.length === 0) {
        if (q.size === 0) return 'idle'
        e = q.pop()
        if (this.stale(e)) {
          q.recycle(e)
          continue
        }
        if (e.t > horizon) {
          this.now = horizon
          return 'horizon'
        }
        const next = q.peek()
        if (next !== undefined && next.t === e.t) {
          batch.push(e)
          e = this.pickFromBatch()!
        }
      } else {
        const picked = this.pickFromBatch()
        if (picked === null) continue
        e = picked
      }
      this.now = e.t
      this.dispatch(e)
      q.recycle(e)
      if (this.steps >= this.budget) return 'step-budget'
    }
  }

  /**
   * Several events are ready at the same instant: gathers them all and lets the
   * ChoiceSource decide which runs first. The rest stay batched for the next rounds.
   */
  private pickFromBatch(): SimEvent | null {
    const q = this.q
    const batch = this.batch
    const bt = batch[0].t
    while (q.size && q.peek()!.t === bt) batch.push(q.pop())
    for (let j = batch.length - 1; j >= 0; j--) {
      if (this.stale(batch[j])) {
        q.recycle(batch[j])
        batch[j] = batch[batch.length - 1]
        batch.pop()
      }
    }
    if (batch.length === 0) return null
    const i = batch.length > 1 ? this.opts.choices.pick(batch.length, 'order') : 0
    const e = batch[i]
    batch[i] = batch[batch.length - 1]
    batch.pop()
    return e
  }

  /** @internal Whether a queued event was superseded (a CPU's step, a slice, a timer). */
  stale(e: SimEvent): boolean {
    if (e.kind === EV_STEP) return e.tag !== this.cpus[e.cpu].stepGen
    if (e.kind === EV_SLICE) return e.tag !== this.cpus[e.cpu].sliceGen
    if (e.kind === EV_TIMER) return (e.data as Task).timerToken !== e.tag
    return false
  }

  /** @internal Handles one event at `now`. */
  dispatch(e: SimEvent): void {
    switch (e.kind) {
      case EV_STEP:
        this.stepCpu(this.cpus[e.cpu])
        return
      case EV_TIMER:
        this.interrupt(this.cpus[e.cpu], 'timer', e.data)
        return
      case EV_IRQ:
        this.raiseIrq(e.tag, e.data as number)
        return
      case EV_IPI:
        this.interrupt(this.cpus[e.cpu], 'ipi', null)
        return
      case EV_START: {
        this.wakeUp(e.data as Task, -2)
        return
      }
      case EV_SLICE:
        this.sliceExpired(this.cpus[e.cpu])
        return
    }
  }

  /** Runs one step on a CPU: a deliverable interrupt, a preemption, or the next atomic step. */
  private stepCpu(c: Cpu): void {
    const tr = this.tracer
    if (tr !== null) tr.access(c, CPU_SCHED, true)
    c.stepEnd = -1
    if (c.pending.length && !c.irqsOff && c.irqTask === null) {
      this.deliverPending(c)
      if (c.stepEnd >= 0) return
    }
    const irq = c.irqTask
    const t = irq ?? c.curr
    if (t === null) return
    if (irq === null) {
      if (c.needResched && c.preempt === 0 && !c.irqsOff) {
        this.preempt(c)
        return
      }
      if (t.remaining > 0) {
        const r = t.remaining
        t.remaining = 0
        this.busyRaw(c, r)
        return
      }
    }
    if (t.parkedOn !== null) this.unpark(t)
    if (tr !== null) tr.access(t, 0, true)
    if (t.text.length) {
      const m = t.text[t.text.length - 1]
      if (tr !== null) tr.access(m, MOD_MEMORY, false)
      if (m.freed) this.obs.useAfterFree(this.now, c.id, t.name, m.name, m.instance, 'executed code')
    }
    this.current = t
    this.currentCpu = c.id
    const arg = t.resume
    t.resume = undefined
    const r = t.gen!.next(arg)
    if ((++this.steps & BEAT_MASK) === 0) beat()
    this.current = null
    this.currentCpu = -1
    if (r.done) {
      if (irq !== null) this.exitIrq(c)
      else {
        // do_exit(threadfn's return value): what kthread_stop() and waitpid() hand back.
        if (typeof r.value === 'number') t.exitCode = r.value
        this.exitTask(c, t)
      }
      return
    }
    const v = r.value
    if (typeof v === 'number') this.busy(c, v)
    else if (v === SCHEDULE) this.doSchedule(c, t)
    else if (v === YIELD) this.doYield(c, t)
    else if (v === PARK) {
      this.park(c, t)
      if (tr !== null) tr.parked(t.parkedOn!, c)
    }
    else throw new VariantError(`${t.name} yielded ${JSON.stringify(v)}; a step yields a cost in ns`)
  }

  /** The CPU is busy for `cost` ns (jittered), then takes its next step. */
  busy(c: Cpu, cost: number): void {
    if (this.jitter > 0 && cost > 0) {
      const u = (2 * this.opts.choices.pick(JITTER_LEVELS, 'jitter')) / (JITTER_LEVELS - 1) - 1
      cost = Math.max(1, Math.round(cost * (1 + this.jitter * u)))
    }
    if (this.delays !== null) cost += this.heldUp(c)
    this.busyRaw(c, cost)
  }

  /** The delay choice point (exploration only): how long this step is held up, logged. */
  private heldUp(c: Cpu): number {
    const d = this.delays![this.opts.choices.pick(this.delays!.length, 'delay')]
    if (d > 0 && this.logLines) this.log(c.id, c.irqTask ?? c.curr, `held up ${formatDuration(d)} (injected delay)`)
    return d
  }

  private busyRaw(c: Cpu, cost: number): void {
    const end = this.now + cost
    c.stepEnd = end
    this.q.push(end, EV_STEP, c.id, ++c.stepGen, null)
  }

  /**
   * A busy-wait that cannot succeed until a watched word changes: the CPU stays busy with
   * the task (held, interruptible, preemptible as before) but takes no steps until a write
   * to one of the words, then re-checks one cpu_relax later. Equivalent to simulating each
   * cpu_relax iteration, up to the phase of the last iteration.
   */
  private park(c: Cpu, t: Task): void {
    const words = t.parkedOn
    if (words === null) throw new VariantError(`${t.name} parked without words to watch`)
    for (const w of words) (w.watchers ??= []).push(t)
    c.stepEnd = -1
    c.stepGen++
  }

  private unpark(t: Task): void {
    t.parkedYielding = false
    for (const w of t.parkedOn!) {
      const ws = w.watchers!
      const i = ws.indexOf(t)
      if (i >= 0) ws.splice(i, 1)
    }
    t.parkedOn = null
  }

  /** A word was written: busy-waiters parked on it re-check. */
  notify(w: Word): void {
    const ws = w.watchers!
    if (!ws.length) return
    for (const t of ws.splice(0)) {
      if (t.parkedOn === null) continue
      this.unpark(t)
      const c = this.cpus[t.cpu]
      if (t.where === 'running' && c.curr === t && c.irqTask === null && c.stepEnd < 0) {
        this.busyRaw(c, this.scenario.machine.costs.cpu_relax)
      }
    }
  }

  /** Cancels the CPU's in-flight step, saving what remained of it in `t`. */
  private interruptStep(c: Cpu, t: Task | null): void {
    if (c.stepEnd >= 0) {
      if (t) t.remaining += c.stepEnd - this.now
      c.stepEnd = -1
    }
    c.stepGen++
  }

  // ---- scheduling -----------------------------------------------------------------------

  /** Puts the running task back on its queue and switches to the best one. */
  private preempt(c: Cpu): void {
    const prev = c.curr
    c.needResched = false
    if (prev) {
      this.log(c.id, prev, 'preempted')
      this.interruptStep(c, prev)
      // A preempted task keeps its place (the O(1) scheduler never dequeued it); one
      // whose timeslice ran out goes behind its peers.
      const sliceEnded = this.stopRunning(c, prev)
      this.enqueueLocal(c, prev, !sliceEnded)
    }
    this.pickNext(c)
  }

  /**
   * Accounts the end of `t`'s stint on `c`; returns whether its timeslice ran out (it was
   * then refilled, and a normal task moved to the expired array).
   */
  private stopRunning(c: Cpu, t: Task): boolean {
    let ended = false
    if (t.slice !== Infinity) {
      t.slice -= this.now - c.runStart
      if (t.slice <= 0) {
        ended = true
        t.slice = this.freshSlice(t)
        if (t.rank <= 1) t.expired = true
      }
    }
    c.sliceGen++
    c.curr = null
    return ended
  }

  private freshSlice(t: Task): number {
    return timesliceOf(t.policy, t.priority)
  }

  /** Switches the CPU to its best queued task (or idle). */
  pickNext(c: Cpu): void {
    const next = c.rq.pop() ?? null
    c.curr = next
    c.lastSwitch = this.now
    if (next === null) {
      c.stepGen++
      c.stepEnd = -1
      return
    }
    next.where = 'running'
    next.cpu = c.id
    c.runStart = this.now
    if (next.runnableSince >= 0) {
      if (next.rt && next.spec) {
        this.obs.rtWaited(next.name, c.id, this.now, this.now - next.runnableSince, next.spec.latency_budget)
      }
      next.runnableSince = -1
    }
    if (next.slice !== Infinity) this.q.push(this.now + next.slice, EV_SLICE, c.id, ++c.sliceGen, null)
    this.log(c.id, next, 'switch in')
    this.busyRaw(c, this.scenario.machine.costs.context_switch)
  }

  private sliceExpired(c: Cpu): void {
    if (this.tracer !== null) this.tracer.access(c, CPU_SCHED, true)
    const t = c.curr
    if (!t) return
    if (c.rq.topRank() < 0) {
      t.slice = this.freshSlice(t)
      c.runStart = this.now
      this.q.push(this.now + t.slice, EV_SLICE, c.id, ++c.sliceGen, null)
      return
    }
    c.needResched = true
    if (c.preemptible) this.preempt(c)
  }

  /** schedule(): the task sleeps unless a wakeup already set it running again. */
  private doSchedule(c: Cpu, t: Task): void {
    if (c.preempt > 0) throw new VariantError(`${t.name}: scheduling while atomic (preempt_count ${c.preempt})`)
    if (t.state === TASK_RUNNING) {
      this.busyRaw(c, this.scenario.machine.costs.step)
      return
    }
    this.stopRunning(c, t)
    t.where = 'blocked'
    t.blockedSince = this.now
    if (this.logLines) this.log(c.id, t, `sleep (${t.blockedOn || 'schedule'})`)
    this.pickNext(c)
  }

  /**
   * sched_yield() in the O(1) scheduler: an RT task goes to the tail of its priority list;
   * a normal task goes to the expired array, behind every task still in the active one.
   */
  private doYield(c: Cpu, t: Task): void {
    if (c.preempt > 0) throw new VariantError(`${t.name}: yield while atomic`)
    if (c.rq.topRank() < 0) {
      this.busy(c, this.scenario.machine.costs.syscall)
      return
    }
    this.stopRunning(c, t)
    if (t.rank <= 1) t.expired = true
    t.where = 'queued'
    c.rq.enqueue(t)
    const next = c.rq.pop()!
    if (next === t) {
      c.curr = t
      t.where = 'running'
      c.runStart = this.now
      if (t.slice !== Infinity) this.q.push(this.now + t.slice, EV_SLICE, c.id, ++c.sliceGen, null)
      this.busy(c, this.scenario.machine.costs.syscall)
      return
    }
    c.rq.enqueue(next, true)
    this.pickNext(c)
  }

  private exitTask(c: Cpu, t: Task): void {
    if (c.preempt > 0 || c.irqsOff) {
      throw new VariantError(`${t.name} exited with preemption or interrupts disabled`)
    }
    this.stopRunning(c, t)
    t.where = 'exited'
    t.gen = null
    this.log(c.id, t, 'exit')
    for (const w of t.exitWaiters.splice(0)) this.wakeUp(w, c.id)
    this.pickNext(c)
  }

  /** Makes a blocked task sleep on `why` (used for threads created asleep). */
  block(t: Task, why: string, state: number): void {
    t.where = 'blocked'
    t.state = state
    t.blockedOn = why
    t.blockedSince = this.now
  }

  /**
   * try_to_wake_up(): a sleeping task becomes runnable on a CPU it may use, preempting the
   * running task there when it ranks higher (after an IPI if the CPU is remote). A task
   * that set its state but has not slept yet is just set running. `from` is the waker's CPU.
   */
  wakeUp(t: Task, from: number): boolean {
    if (this.tracer !== null) this.tracer.access(t, 0, true)
    if (t.where === 'exited') return false
    if (t.where !== 'blocked' && t.where !== 'new') {
      if (t.state === TASK_RUNNING) return false
      t.state = TASK_RUNNING
      return true
    }
    t.state = TASK_RUNNING
    t.blockedOn = ''
    t.blockedSince = -1
    t.waitsFor = null
    t.timerToken++
    const c = this.selectCpu(t)
    if (this.logLines) this.log(from >= 0 ? from : c.id, t, `wakeup on cpu${c.id}`)
    this.enqueue(c, t, from)
    return true
  }

  /** select_task_rq: the previous CPU if allowed, else the least loaded allowed one. */
  selectCpu(t: Task): Cpu {
    if (t.allowed.includes(t.cpu)) return this.cpus[t.cpu]
    let best: Cpu | null = null
    for (const id of t.allowed) {
      const c = this.cpus[id]
      if (this.tracer !== null) this.tracer.access(c, CPU_SCHED, false)
      if (best === null || this.load(c) < this.load(best) || (best.isolated && !c.isolated && this.load(c) === this.load(best))) best = c
    }
    return best!
  }

  private load(c: Cpu): number {
    return c.rq.length + (c.curr ? 1 : 0)
  }

  /** Queues a runnable task on `c` and arranges the preemption or idle wakeup it causes. */
  enqueue(c: Cpu, t: Task, from: number): void {
    if (this.tracer !== null) this.tracer.access(c, CPU_SCHED, true)
    t.cpu = c.id
    t.where = 'queued'
    t.runnableSince = this.now
    c.rq.enqueue(t)
    const cur = c.curr
    if (cur !== null && cur.parkedYielding && t.rank >= cur.rank && c.irqTask === null && c.stepEnd < 0) {
      // A yield() loop now has a task to yield to.
      this.unpark(cur)
      this.busyRaw(c, 0)
    }
    if (cur !== null && t.rank <= cur.rank) return
    if (from === c.id) {
      // The waker runs on this CPU. With no current task it is an exiting or sleeping
      // task (or an irq on an idle CPU) whose path picks the next task right after.
      if (cur !== null) c.needResched = true
    } else if (from === -2) {
      this.kick(c)
    } else {
      this.q.push(this.now + this.scenario.machine.costs.ipi, EV_IPI, c.id, 0, null)
    }
  }

  private enqueueLocal(c: Cpu, t: Task, head: boolean): void {
    t.where = 'queued'
    t.runnableSince = this.now
    c.rq.enqueue(t, head)
  }

  /** A reschedule request arrived on `c` (IPI or local timer): preempt or leave idle. */
  private kick(c: Cpu): void {
    if (c.curr === null && c.irqTask === null) {
      if (c.stepEnd < 0) this.pickNext(c)
      return
    }
    const cur = c.curr
    if (cur !== null && c.rq.topRank() > cur.rank) {
      c.needResched = true
      if (c.preemptible) this.preempt(c)
    }
  }

  /** Moves a queued (not running) task to another CPU's queue. */
  moveQueued(t: Task, to: Cpu, from: number): void {
    if (this.logLines) this.log(t.cpu, t, `migrate to cpu${to.id}`)
    if (this.tracer !== null) this.tracer.access(this.cpus[t.cpu], CPU_SCHED, true)
    this.cpus[t.cpu].rq.remove(t)
    this.enqueue(to, t, from)
  }

  // ---- interrupts -----------------------------------------------------------------------

  private raiseIrq(index: number, n: number): void {
    const irq = this.scenario.irqs[index]
    const cpu = irq.cpus[n % irq.cpus.length]
    if (irq.every !== null) this.q.push(this.now + irq.every, EV_IRQ, -1, index, n + 1)
    this.interrupt(this.cpus[cpu], 'irq', index)
  }

  /** An interrupt arrives at `c`: handled now, or held pending while interrupts are off. */
  private interrupt(c: Cpu, kind: 'irq' | 'timer' | 'ipi', data: unknown): void {
    if (this.tracer !== null) {
      this.tracer.access(c, CPU_SCHED, true)
      this.tracer.access(c, CPU_ATOMIC, false)
    }
    if (c.irqsOff || c.irqTask !== null) {
      c.pending.push({raised: this.now, kind, data})
      if (kind === 'irq' && this.logLines) this.log(c.id, null, `irq ${this.scenario.irqs[data as number].name} pending (interrupts off)`)
      return
    }
    this.handle(c, kind, data)
  }

  private handle(c: Cpu, kind: 'irq' | 'timer' | 'ipi', data: unknown): void {
    if (kind === 'timer') {
      const t = data as Task
      this.wakeUp(t, -2)
      return
    }
    if (kind === 'ipi') {
      this.kick(c)
      return
    }
    const irq = this.scenario.irqs[data as number]
    const h = new Task(-1, `irq/${irq.name}`, 'fifo', 99, [c.id], true, null)
    if (this.tracer !== null) {
      this.tracer.alloc(h, 1)
      this.tracer.access(c, CPU_ATOMIC, true)
    }
    h.gen = irqProgram(this.k, irq)
    this.interruptStep(c, c.curr)
    c.irqTask = h
    h.where = 'running'
    h.cpu = c.id
    this.log(c.id, h, 'irq entry')
    this.busyRaw(c, irq.cost)
  }

  private deliverPending(c: Cpu): void {
    while (c.pending.length && c.irqTask === null) {
      const p = c.pending.shift()!
      this.obs.irqDelayed(this.now - p.raised)
      if (p.kind === 'irq' && this.logLines) this.log(c.id, null, `irq ${this.scenario.irqs[p.data as number].name} delivered ${this.now - p.raised} ns late`)
      this.handle(c, p.kind, p.data)
    }
  }

  private exitIrq(c: Cpu): void {
    const h = c.irqTask!
    if (this.tracer !== null) this.tracer.access(c, CPU_ATOMIC, true)
    if (c.irqsOff) {
      c.irqsOff = false
      this.irqsOn(c)
    }
    c.irqTask = null
    this.log(c.id, h, 'irq exit')
    if (c.curr === null) {
      this.pickNext(c)
      return
    }
    this.busyRaw(c, 0)
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
