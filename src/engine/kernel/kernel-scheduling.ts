import type {KernelHost} from '../kernel-host.ts'
import type {Module} from '../module.ts'
import type {Step} from '../step.ts'
import {CPU_RQ, CPU_SCHED} from '../tracer.ts'
import {
  SCHEDULE,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  TASK_UNINTERRUPTIBLE,
  YIELD,
  type SchedPolicy,
  type StepGen,
  type Task,
} from '../task.ts'
import {VariantError} from '../variant-error.ts'
import {KernelPart} from './kernel-part.ts'

/** struct completion. */
export interface Completion {
  done: number
  readonly waiters: Task[]
}

/** A sleeping lock (struct mutex, or a semaphore used as one). */
export interface Mutex {
  readonly name: string
  owner: Task | null
  readonly waiters: Task[]
}

/** A request to a CPU's migration thread (migration_req_t). */
export interface MigrationRequest {
  readonly task: Task
  readonly done: Completion
}

/**
 * The kernel API's scheduling: task state, schedule(), waking, sleeping, policies and CPU
 * masks (with the migration threads' queues), and the sleeping synchronisation built on
 * them (completions and mutexes).
 */
export class KernelScheduling extends KernelPart {
  /** Per-CPU migration request queues. */
  readonly migrationQueues: MigrationRequest[][]
  /** Every completion and mutex made (their waiters can be woken: the hang detector's roots). */
  readonly waitObjects: (Completion | Mutex)[] = []

  constructor(host: KernelHost) {
    super(host)
    // A loop: Array.from({length}, f) takes the generic array-like path, a cost every run pays.
    this.migrationQueues = []
    for (let i = 0; i < host.m.scenario.machine.cpus; i++) this.migrationQueues.push([])
  }

  // ---- scheduling -------------------------------------------------------------------------

  /** set_current_state(). */
  setCurrentState(state: number): Step {
    this.current.state = state
    return this.stepped(this.costs.step)
  }

  /**
   * schedule(): sleeps unless the state is TASK_RUNNING again. As the kernel's does, it
   * does not put a TASK_INTERRUPTIBLE task with a signal pending to sleep. `why` and
   * `waitsFor` say what the sleep waits on, for the hang and deadlock detectors
   * (Task.waitsFor: a task that must act, a module whose count must read 0, or a mutex).
   */
  schedule(why = 'schedule', waitsFor: Task | Module | Mutex | null = null): Step {
    const t = this.current
    if (t.state === TASK_INTERRUPTIBLE && t.pendingSignals.size) t.state = TASK_RUNNING
    if (t.state !== TASK_RUNNING) {
      t.blockedOn = why
      t.waitsFor = waitsFor
    }
    return this.stepped(SCHEDULE)
  }

  /** yield(): sched_yield() with the O(1) scheduler's semantics. */
  yield(): Step {
    return this.stepped(YIELD)
  }

  /** wake_up_process(): true when the task was asleep. */
  wakeUpProcess(t: Task): Step<boolean> {
    return this.stepped(this.costs.wakeup, this.sched.wakeUp(t, this.m.currentCpu))
  }

  /** msleep()/ssleep() (uninterruptible), or msleep_interruptible() when `interruptible`. */
  *msleep(ns: number, interruptible = false): StepGen {
    const t = this.current
    const deadline = this.m.now + ns
    while (this.m.now < deadline) {
      if (interruptible && t.pendingSignals.size) return
      t.state = interruptible ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE
      this.irqs.armTimer(t, deadline, this.m.currentCpu)
      yield* this.schedule('sleep')
    }
  }

  /**
   * `do msleep(ns); while (!done());`: a polling wait, such as synchronize_rcu()'s check at
   * each tick. `done` keeps what it accumulates in objects the kernel API handed out
   * (`Kernel.cpumask`), never in the caller's locals: a stateful search records nothing of
   * the polls in between (ControlRecorder), so that a poll that finds nothing new leaves
   * the state as it was.
   */
  *msleepUntil(ns: number, done: () => boolean): StepGen {
    do yield* this.msleep(ns)
    while (!done())
  }

  /** sched_setscheduler() (or sched_set_stop_task() for the `stop` policy). */
  schedSetscheduler(t: Task, policy: SchedPolicy, priority: number): Step {
    const queued = t.where === 'queued'
    const c = this.m.cpus[t.cpu]
    this.taskAccess(t, true)
    const tr = this.m.tracer
    // A running task's new rank changes what a wakeup on its CPU preempts: CPU_SCHED.
    if (tr !== null) tr.access(c, queued ? CPU_RQ : CPU_SCHED, true)
    if (queued) c.rq.remove(t)
    t.setPolicy(policy, priority)
    if (queued) {
      this.sched.enqueue(c, t, this.m.currentCpu)
    } else if (t.where === 'running' && c.curr === t) {
      // 2.6 sched_setscheduler(): a running task that no longer ranks first gives way (resched_task).
      if (tr !== null) tr.access(c, CPU_RQ, false)
      if (c.rq.topRank() > t.rank) this.sched.resched(c, this.m.currentCpu)
    }
    return this.stepped(this.costs.syscall)
  }

  /**
   * The task's cpus_allowed, as a copy: the task's own array stays the task's (a state
   * capture writes it by content, which is exact only while nothing else can hold it).
   */
  cpusAllowed(t: Task): readonly number[] {
    this.taskAccess(t, false)
    return [...t.allowed]
  }

  /**
   * set_cpus_allowed(): a running task off its new mask is moved by its CPU's migration
   * thread, and the caller waits for that to complete (2.6's migrate_task + migration_req).
   */
  *setCpusAllowed(t: Task, cpus: readonly number[]): StepGen {
    if (!cpus.length) throw new VariantError('set_cpus_allowed with an empty mask')
    this.taskAccess(t, true)
    t.allowed = [...cpus]
    yield this.costs.step
    if (cpus.includes(t.cpu) || t.where === 'exited') return
    if (t.where === 'blocked' || t.where === 'new') {
      t.cpu = this.sched.selectCpu(t).id
      return
    }
    if (t.where === 'queued') {
      this.sched.moveQueued(t, this.sched.selectCpu(t), this.m.currentCpu)
      return
    }
    const req: MigrationRequest = {task: t, done: this.completion()}
    this.migrationQueues[t.cpu].push(req)
    yield* this.wakeUpProcess(this.m.cpus[t.cpu].migration!)
    yield* this.waitForCompletion(req.done, 'migration', this.m.cpus[t.cpu].migration)
  }

  /** __migrate_task(): moves a task that is not running to a CPU it may use. */
  migrateTask(t: Task): Step {
    this.taskAccess(t, true)
    if (t.where === 'queued') this.sched.moveQueued(t, this.sched.selectCpu(t), this.m.currentCpu)
    else if (t.where === 'blocked') {
      t.cpu = this.sched.selectCpu(t).id
      this.log(`migrate ${t.name} to cpu${t.cpu}`)
    }
    return this.stepped(this.costs.step)
  }

  // ---- sleeping synchronisation ----------------------------------------------------------

  completion(): Completion {
    const c: Completion = this.allocated({done: 0, waiters: []})
    this.waitObjects.push(c)
    return c
  }

  /** Tells the explorer's tracer (if any) that this step updated a completion or a mutex. */
  private syncAccess(obj: Completion | Mutex): void {
    const tr = this.m.tracer
    if (tr !== null) tr.access(obj, 0, true)
  }

  /**
   * wait_for_completion(): uninterruptible. `completer`, when the kernel or the variant
   * knows the one task that will complete it (kthreadd, a migration thread, a kthread
   * the caller started), is the task the wait graph follows.
   */
  *waitForCompletion(c: Completion, why = 'completion', completer: Task | null = null): StepGen {
    const me = this.current
    for (;;) {
      this.syncAccess(c)
      if (c.done !== 0) break
      c.waiters.push(me)
      me.state = TASK_UNINTERRUPTIBLE
      yield* this.schedule(why, completer)
    }
    c.done--
  }

  /** complete(): wakes one waiter. */
  complete(c: Completion): Step {
    this.syncAccess(c)
    c.done++
    const w = c.waiters.shift()
    if (w) this.sched.wakeUp(w, this.m.currentCpu)
    return this.stepped(this.costs.wakeup)
  }

  mutex(name: string): Mutex {
    const mu: Mutex = this.allocated({name, owner: null, waiters: []})
    this.waitObjects.push(mu)
    return mu
  }

  /** mutex_lock()/down(): sleeps uninterruptibly while another task holds it. */
  *mutexLock(m: Mutex): StepGen {
    const me = this.current
    for (;;) {
      this.syncAccess(m)
      if (m.owner === null) break
      m.waiters.push(me)
      me.state = TASK_UNINTERRUPTIBLE
      yield* this.schedule(`lock ${m.name}`, m)
    }
    m.owner = me
    yield this.costs.atomic
  }

  /** mutex_unlock()/up(): wakes the first waiter. */
  mutexUnlock(m: Mutex): Step {
    this.syncAccess(m)
    m.owner = null
    const w = m.waiters.shift()
    if (w) this.sched.wakeUp(w, this.m.currentCpu)
    return this.stepped(this.costs.atomic)
  }
}
