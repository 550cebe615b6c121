import type {Costs, Signal} from '../scenario/types.ts'
import type {Cpu} from './cpu.ts'
import type {Engine} from './engine.ts'
import {VariantError} from './variant-error.ts'
import {
  CPU_ATOMIC,
  CPU_SCHED,
  MOD_MEMORY,
  MOD_STATE,
  OP_ADD,
  OP_ADD_UNLESS,
  OP_DEC_IF_POSITIVE,
  OP_READ,
  OP_SET,
} from './tracer.ts'
import type {Module, PerCpuWord, Word} from './module.ts'
import {
  PARK,
  SCHEDULE,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  TASK_UNINTERRUPTIBLE,
  YIELD,
  type SchedPolicy,
  type StepGen,
  type Task,
} from './task.ts'

export {TASK_INTERRUPTIBLE, TASK_RUNNING, TASK_UNINTERRUPTIBLE}
export type {StepGen, Task}

/** Negative errno values the kernel API returns. */
export const EINTR = -4
export const ENOENT = -2
export const EBUSY = -16
export const EEXIST = -17
export const EWOULDBLOCK = -11

/** A thread's code: returns its exit value, as threadfn does. */
export type ThreadFn = (k: Kernel) => StepGen<number>

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

/** A request to kthreadd (struct kthread_create_info). */
interface CreateRequest {
  readonly fn: ThreadFn
  readonly name: string
  readonly done: Completion
  result: Task | null
}

/**
 * The kernel API that variants and trace programs are written against. Each generator
 * method is one atomic step (or, for waits, a sequence of them): its effect happens when
 * the step starts, then the CPU is busy for the step's cost. Names follow the kernel's.
 * `yield*` every call: `const cpu = yield* k.getCpu()`.
 */
export class Kernel {
  readonly costs: Costs
  /** Per-CPU migration request queues. */
  readonly migrationQueues: MigrationRequest[][]
  /** kthreadd's queue (kthread_create_list). */
  readonly createQueue: CreateRequest[] = []
  /** @internal Variants' per-run state (kernel-state.ts), by slot. */
  readonly statics: unknown[] = []

  /** @internal The engine behind this API; variants must not use it. */
  constructor(readonly engine: Engine) {
    this.costs = engine.scenario.machine.costs
    this.migrationQueues = engine.scenario.machine.cpus > 0 ? Array.from({length: engine.scenario.machine.cpus}, () => []) : []
  }

  // ---- who and where ---------------------------------------------------------------------

  /** The task executing this code (`current`). */
  get current(): Task {
    const t = this.engine.current
    if (t === null) throw new VariantError('kernel API used outside a task')
    return t
  }

  private get cpu(): Cpu {
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

  // ---- preemption and interrupts ----------------------------------------------------------

  /** Tells the explorer's tracer (if any) that this step changed `c`'s atomic context. */
  private atomicContext(c: Cpu): void {
    const tr = this.engine.tracer
    if (tr !== null) tr.access(c, CPU_ATOMIC, true)
  }

  /** Tells the explorer's tracer (if any) that this step read (or wrote) task `t`. */
  private taskAccess(t: Task, write: boolean): void {
    const tr = this.engine.tracer
    if (tr !== null) tr.access(t, 0, write)
  }

  *preemptDisable(): StepGen {
    const c = this.cpu
    this.atomicContext(c)
    c.preempt++
    this.engine.regionChanged(c)
    yield this.costs.step
  }

  /** preempt_enable(): a pending reschedule happens at the next step boundary. */
  *preemptEnable(): StepGen {
    const c = this.cpu
    if (c.preempt === 0) throw new VariantError('preempt_enable without preempt_disable')
    this.atomicContext(c)
    c.preempt--
    this.engine.regionChanged(c)
    yield this.costs.step
  }

  /** preempt_enable_no_resched(); the engine reschedules at the next preemption point. */
  *preemptEnableNoResched(): StepGen {
    yield* this.preemptEnable()
  }

  /** get_cpu(): preempt_disable() and return this CPU. */
  *getCpu(): StepGen<number> {
    const c = this.cpu
    this.atomicContext(c)
    c.preempt++
    this.engine.regionChanged(c)
    yield this.costs.step
    return c.id
  }

  /** put_cpu(): preempt_enable(). */
  *putCpu(): StepGen {
    yield* this.preemptEnable()
  }

  *localIrqDisable(): StepGen {
    const c = this.cpu
    if (!c.irqsOff) {
      this.atomicContext(c)
      c.irqsOff = true
      this.engine.irqsOffNow(c)
      this.engine.regionChanged(c)
    }
    yield this.costs.step
  }

  /** hard_irq_disable(): the same as local_irq_disable() in this model. */
  *hardIrqDisable(): StepGen {
    yield* this.localIrqDisable()
  }

  /** local_irq_enable(): interrupts held pending are taken at the next step boundary. */
  *localIrqEnable(): StepGen {
    const c = this.cpu
    if (c.irqsOff) {
      this.atomicContext(c)
      c.irqsOff = false
      this.engine.irqsOn(c)
      this.engine.regionChanged(c)
    }
    yield this.costs.step
  }

  irqsDisabled(): boolean {
    return this.cpu.irqsOff
  }

  /**
   * Whether `cpu` is in an RCU-sched quiescent state at this instant: not inside a
   * preempt- or interrupt-disabled region and not in an interrupt handler, as the
   * scheduling-clock tick would report it. Costs nothing (synchronize_rcu samples it).
   */
  rcuQuiescent(cpu: number): boolean {
    const c = this.engine.cpus[cpu]
    const tr = this.engine.tracer
    if (tr !== null) tr.access(c, CPU_ATOMIC, false)
    return c.preempt === 0 && !c.irqsOff && c.irqTask === null
  }

  /** local_irq_save(): returns whether interrupts were off. */
  *localIrqSave(): StepGen<boolean> {
    const was = this.cpu.irqsOff
    yield* this.localIrqDisable()
    return was
  }

  *localIrqRestore(wasOff: boolean): StepGen {
    if (wasOff) yield* this.localIrqDisable()
    else yield* this.localIrqEnable()
  }

  /** cpu_relax(): one iteration of a busy-wait loop. */
  *cpuRelax(): StepGen {
    const c = this.cpu
    if (c.regionStart >= 0) c.regionSpun = true
    yield this.costs.cpu_relax
  }

  /**
   * `while (!pred()) cpu_relax();` where `pred` reads only `words`: the busy-wait loops of
   * the stop protocols. Simulated exactly but cheaply: the CPU parks until one of the
   * words is written, then re-checks after one cpu_relax.
   */
  *spinUntil(words: Word[], pred: () => boolean): StepGen {
    for (;;) {
      const c = this.cpu
      if (c.regionStart >= 0) c.regionSpun = true
      for (const w of words) this.touch(w.owner, w.name, 'read')
      this.spinRead(words)
      if (pred()) break
      this.current.parkedOn = words
      yield PARK
    }
    yield this.costs.step
  }

  /**
   * `while (!pred()) yield();` where `pred` reads only `words`: the 2.6 stop protocols'
   * wait loops. While no task the yield could switch to is queued on this CPU, each
   * yield() returns at once, so the loop is a busy-wait: the CPU parks until one of the
   * words is written or such a task arrives, then goes on yielding for real.
   */
  *yieldUntil(words: Word[], pred: () => boolean): StepGen {
    for (;;) {
      for (const w of words) this.touch(w.owner, w.name, 'read')
      this.spinRead(words)
      if (pred()) break
      const me = this.current
      if (this.cpu.rq.topRank() < me.rank) {
        me.parkedOn = words
        me.parkedYielding = true
        yield PARK
        yield this.costs.syscall
      } else {
        yield* this.yield()
      }
    }
    yield this.costs.step
  }

  /** A busy-wait's check reads its words (a failed check that parks is a stutter: tracer.ts). */
  private spinRead(words: readonly Word[]): void {
    const tr = this.engine.tracer
    if (tr !== null) for (const w of words) tr.word(w, 0, OP_READ, 0, 0, w.value)
  }

  /** mdelay()/udelay(): busy-wait for `ns` without scheduling. */
  *mdelay(ns: number): StepGen {
    const c = this.cpu
    if (c.regionStart >= 0) c.regionSpun = true
    yield ns
  }

  /** Memory barriers: one step each (ordering is sequentially consistent in this model). */
  *mb(): StepGen {
    yield this.costs.step
  }

  // ---- scheduling -------------------------------------------------------------------------

  /** set_current_state(). */
  *setCurrentState(state: number): StepGen {
    this.current.state = state
    yield this.costs.step
  }

  /**
   * schedule(): sleeps unless the state is TASK_RUNNING again. As the kernel's does, it
   * does not put a TASK_INTERRUPTIBLE task with a signal pending to sleep.
   */
  *schedule(why = 'schedule'): StepGen {
    const t = this.current
    if (t.state === TASK_INTERRUPTIBLE && t.pendingSignals.size) t.state = TASK_RUNNING
    if (t.state !== TASK_RUNNING) t.blockedOn = why
    yield SCHEDULE
  }

  /** yield(): sched_yield() with the O(1) scheduler's semantics. */
  *yield(): StepGen {
    yield YIELD
  }

  /** wake_up_process(): true when the task was asleep. */
  *wakeUpProcess(t: Task): StepGen<boolean> {
    const woke = this.engine.wakeUp(t, this.engine.currentCpu)
    yield this.costs.wakeup
    return woke
  }

  /** msleep()/ssleep() (uninterruptible), or msleep_interruptible() when `interruptible`. */
  *msleep(ns: number, interruptible = false): StepGen {
    const t = this.current
    const deadline = this.engine.now + ns
    while (this.engine.now < deadline) {
      if (interruptible && t.pendingSignals.size) return
      t.state = interruptible ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE
      this.engine.armTimer(t, deadline, this.engine.currentCpu)
      yield* this.schedule('sleep')
    }
  }

  /** sched_setscheduler() (or sched_set_stop_task() for the `stop` policy). */
  *schedSetscheduler(t: Task, policy: SchedPolicy, priority: number): StepGen {
    const queued = t.where === 'queued'
    const c = this.engine.cpus[t.cpu]
    this.taskAccess(t, true)
    const tr = this.engine.tracer
    if (tr !== null && queued) tr.access(c, CPU_SCHED, true)
    if (queued) c.rq.remove(t)
    t.setPolicy(policy, priority)
    if (queued) this.engine.enqueue(c, t, this.engine.currentCpu)
    yield this.costs.syscall
  }

  /** The task's cpus_allowed. */
  cpusAllowed(t: Task): readonly number[] {
    this.taskAccess(t, false)
    return t.allowed
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
      t.cpu = this.engine.selectCpu(t).id
      return
    }
    if (t.where === 'queued') {
      this.engine.moveQueued(t, this.engine.selectCpu(t), this.engine.currentCpu)
      return
    }
    const req: MigrationRequest = {task: t, done: this.completion()}
    this.migrationQueues[t.cpu].push(req)
    yield* this.wakeUpProcess(this.engine.cpus[t.cpu].migration!)
    yield* this.waitForCompletion(req.done, 'migration')
  }

  /** __migrate_task(): moves a task that is not running to a CPU it may use. */
  *migrateTask(t: Task): StepGen {
    this.taskAccess(t, true)
    if (t.where === 'queued') this.engine.moveQueued(t, this.engine.selectCpu(t), this.engine.currentCpu)
    else if (t.where === 'blocked') {
      t.cpu = this.engine.selectCpu(t).id
      this.log(`migrate ${t.name} to cpu${t.cpu}`)
    }
    yield this.costs.step
  }

  // ---- threads ----------------------------------------------------------------------------

  /**
   * kernel_thread(fn, CLONE_KERNEL) in the 2.6 era: a fork of current, with its policy,
   * priority and cpus_allowed, queued on current's CPU.
   */
  *kernelThread(fn: ThreadFn, name: string): StepGen<Task> {
    const p = this.current
    const child = this.engine.spawn(name, p.policy, p.priority, p.allowed, true, null, fn(this))
    child.cpu = this.engine.currentCpu
    yield this.costs.thread_create
    child.where = 'blocked'
    this.engine.wakeUp(child, this.engine.currentCpu)
    return child
  }

  /** Creates a thread at boot, asleep until woken (smpboot/cpu_stop threads). */
  bootThread(name: string, cpu: number, policy: SchedPolicy, priority: number, fn: ThreadFn): Task {
    const t = this.engine.spawn(name, policy, priority, [cpu], true, null, fn(this))
    this.engine.block(t, 'created', TASK_INTERRUPTIBLE)
    return t
  }

  /** kthread_create(): kthreadd forks the thread, which sleeps until woken. */
  *kthreadCreate(fn: ThreadFn, name: string): StepGen<Task> {
    const req: CreateRequest = {fn, name, done: this.completion(), result: null}
    this.createQueue.push(req)
    yield* this.wakeUpProcess(this.engine.kthreadd)
    yield* this.waitForCompletion(req.done, 'kthread_create')
    return req.result!
  }

  /** @internal kthreadd's half of kthread_create: fork the thread and hand it back. */
  *forkKthread(): StepGen<boolean> {
    const req = this.createQueue.shift()
    if (!req) return false
    const kthreadd = this.current
    const t = this.engine.spawn(req.name, 'normal', 0, kthreadd.allowed, true, null, this.kthreadMain(req.fn))
    t.cpu = kthreadd.cpu
    yield this.costs.thread_create
    this.engine.block(t, 'created', TASK_UNINTERRUPTIBLE)
    req.result = t
    yield* this.complete(req.done)
    return true
  }

  /** kthread(): the wrapper that runs threadfn unless stopped before its first wakeup. */
  private *kthreadMain(fn: ThreadFn): StepGen<number> {
    if (this.current.shouldStop) return EINTR
    return yield* fn(this)
  }

  /** kthread_run(): kthread_create, then wake_up_process. */
  *kthreadRun(fn: ThreadFn, name: string): StepGen<Task> {
    const t = yield* this.kthreadCreate(fn, name)
    yield* this.wakeUpProcess(t)
    return t
  }

  /** kthread_bind(): pins a thread that has not run yet, with no migration. */
  *kthreadBind(t: Task, cpu: number): StepGen {
    this.taskAccess(t, true)
    t.allowed = [cpu]
    t.cpu = cpu
    yield this.costs.step
  }

  /** kthread_should_stop(). */
  *kthreadShouldStop(): StepGen<boolean> {
    const s = this.current.shouldStop
    yield this.costs.step
    return s
  }

  /** kthread_stop(): set the flag, wake the thread, and wait (uninterruptibly) for it to exit. */
  *kthreadStop(t: Task): StepGen<number> {
    this.log(`kthread_stop(${t.name})`)
    this.taskAccess(t, true)
    t.shouldStop = true
    yield* this.wakeUpProcess(t)
    const me = this.current
    for (;;) {
      this.taskAccess(t, true)
      if (t.where === 'exited') break
      t.exitWaiters.push(me)
      me.state = TASK_UNINTERRUPTIBLE
      me.waitsFor = t
      yield* this.schedule('kthread_stop')
    }
    return t.exitCode
  }

  /** Sends a signal; a kernel thread drops it unless it called allow_signal(). */
  *sendSignal(t: Task, sig: Signal): StepGen<boolean> {
    yield this.costs.syscall
    this.taskAccess(t, true)
    if (t.where === 'exited') return false
    if (t.kthread && !t.allowedSignals.has(sig)) {
      this.log(`${sig} to ${t.name} ignored (kernel thread)`)
      return false
    }
    t.pendingSignals.add(sig)
    this.log(`${sig} to ${t.name} pending`)
    if (t.state === TASK_INTERRUPTIBLE) this.engine.wakeUp(t, this.engine.currentCpu)
    return true
  }

  /**
   * force_sig(): in-kernel delivery that a kernel thread cannot refuse (the kernel unblocks
   * the signal and resets an ignoring handler), then signal_wake_up(): a task in
   * TASK_INTERRUPTIBLE is woken, whether it is already asleep or just about to sleep.
   */
  *forceSig(t: Task, sig: Signal): StepGen<boolean> {
    this.taskAccess(t, true)
    if (t.where === 'exited') {
      yield this.costs.step
      return false
    }
    t.pendingSignals.add(sig)
    this.log(`force_sig(SIG${sig}, ${t.name})`)
    if (t.state === TASK_INTERRUPTIBLE) this.engine.wakeUp(t, this.engine.currentCpu)
    yield this.costs.wakeup
    return true
  }

  /** allow_signal(). */
  *allowSignal(sig: Signal): StepGen {
    this.current.allowedSignals.add(sig)
    yield this.costs.step
  }

  /** signal_pending(current). */
  *signalPending(): StepGen<boolean> {
    const p = this.current.pendingSignals.size > 0
    yield this.costs.step
    return p
  }

  // ---- sleeping synchronisation ----------------------------------------------------------

  completion(): Completion {
    return this.allocated({done: 0, waiters: []})
  }

  /** Registers a new shared object with the explorer's tracer, if any (ids follow allocation order). */
  private allocated<T extends object>(obj: T, span = 1): T {
    const tr = this.engine.tracer
    if (tr !== null) tr.alloc(obj, span)
    return obj
  }

  /** Tells the explorer's tracer (if any) that this step updated a completion or a mutex. */
  private syncAccess(obj: Completion | Mutex): void {
    const tr = this.engine.tracer
    if (tr !== null) tr.access(obj, 0, true)
  }

  /** wait_for_completion(): uninterruptible. */
  *waitForCompletion(c: Completion, why = 'completion'): StepGen {
    const me = this.current
    for (;;) {
      this.syncAccess(c)
      if (c.done !== 0) break
      c.waiters.push(me)
      me.state = TASK_UNINTERRUPTIBLE
      yield* this.schedule(why)
    }
    c.done--
  }

  /** complete(): wakes one waiter. */
  *complete(c: Completion): StepGen {
    this.syncAccess(c)
    c.done++
    const w = c.waiters.shift()
    if (w) this.engine.wakeUp(w, this.engine.currentCpu)
    yield this.costs.wakeup
  }

  mutex(name: string): Mutex {
    return this.allocated({name, owner: null, waiters: []})
  }

  /** mutex_lock()/down(): sleeps uninterruptibly while another task holds it. */
  *mutexLock(m: Mutex): StepGen {
    const me = this.current
    for (;;) {
      this.syncAccess(m)
      if (m.owner === null) break
      m.waiters.push(me)
      me.state = TASK_UNINTERRUPTIBLE
      me.waitsFor = m.owner
      yield* this.schedule(`lock ${m.name}`)
    }
    m.owner = me
    yield this.costs.atomic
  }

  /** mutex_unlock()/up(): wakes the first waiter. */
  *mutexUnlock(m: Mutex): StepGen {
    this.syncAccess(m)
    m.owner = null
    const w = m.waiters.shift()
    if (w) this.engine.wakeUp(w, this.engine.currentCpu)
    yield this.costs.atomic
  }

  // ---- memory -----------------------------------------------------------------------------

  /** Allocates a word in core memory (`owner` null) or in a module's data. */
  word(name: string, value: number, owner: Module | null = null): Word {
    return this.allocated({name, value, owner})
  }

  /** Allocates a per-CPU array of local_t counters. */
  perCpu(name: string, owner: Module | null = null): PerCpuWord {
    return this.allocated({name, owner, values: new Int32Array(this.engine.cpus.length)}, this.engine.cpus.length)
  }

  private touch(owner: Module | null, name: string, how: string): void {
    if (owner !== null && this.engine.tracer !== null) this.engine.tracer.access(owner, MOD_MEMORY, false)
    if (owner !== null && owner.freed) {
      const t = this.current
      this.engine.obs.useAfterFree(this.engine.now, this.engine.currentCpu, t.name, owner.name, owner.instance, `${how} ${name}`)
    }
  }

  /** atomic_read() / READ_ONCE(). */
  *atomicRead(w: Word): StepGen<number> {
    this.touch(w.owner, w.name, 'read')
    const v = w.value
    const tr = this.engine.tracer
    if (tr !== null) tr.word(w, 0, OP_READ, 0, 0, v)
    yield this.costs.step
    return v
  }

  /** atomic_set() / WRITE_ONCE(). */
  *atomicSet(w: Word, v: number): StepGen {
    this.touch(w.owner, w.name, 'wrote')
    const tr = this.engine.tracer
    if (tr !== null) tr.word(w, 0, OP_SET, v, 0, w.value)
    w.value = v
    if (w.watchers) this.engine.notify(w)
    yield this.costs.step
  }

  /** atomic_add_return(): an RMW; returns the new value. */
  *atomicAddReturn(w: Word, n: number): StepGen<number> {
    return yield* this.atomicAdd(w, n, 2)
  }

  /**
   * The atomic add behind the atomic_*() family; `observed` says what the caller looks at
   * (0 nothing, 1 whether the result is 0, 2 the result), which tells the explorer which
   * adds commute.
   */
  private *atomicAdd(w: Word, n: number, observed: number): StepGen<number> {
    this.touch(w.owner, w.name, 'modified')
    const tr = this.engine.tracer
    if (tr !== null) tr.word(w, 0, OP_ADD, n, observed, w.value)
    w.value += n
    const v = w.value
    if (w.watchers) this.engine.notify(w)
    yield this.costs.atomic
    return v
  }

  *atomicInc(w: Word): StepGen {
    yield* this.atomicAdd(w, 1, 0)
  }

  *atomicDec(w: Word): StepGen {
    yield* this.atomicAdd(w, -1, 0)
  }

  /** atomic_dec_and_test(): true when the new value is 0. */
  *atomicDecAndTest(w: Word): StepGen<boolean> {
    return (yield* this.atomicAdd(w, -1, 1)) === 0
  }

  /** atomic_sub_return(). */
  *atomicSubReturn(w: Word, n: number): StepGen<number> {
    return yield* this.atomicAdd(w, -n, 2)
  }

  /** atomic_inc_not_zero(): one successful cmpxchg; false (no change) at 0. */
  *atomicIncNotZero(w: Word): StepGen<boolean> {
    return yield* this.atomicAddUnless(w, 1, 0)
  }

  /** atomic_add_unless(w, a, u): adds unless the value is `u`; true when it added. */
  *atomicAddUnless(w: Word, a: number, u: number): StepGen<boolean> {
    this.touch(w.owner, w.name, 'modified')
    const tr = this.engine.tracer
    if (tr !== null) tr.word(w, 0, OP_ADD_UNLESS, a, u, w.value)
    const ok = w.value !== u
    if (ok) w.value += a
    if (ok && w.watchers) this.engine.notify(w)
    yield this.costs.atomic
    return ok
  }

  /** atomic_dec_if_positive(): returns old - 1; decrements only when that is >= 0. */
  *atomicDecIfPositive(w: Word): StepGen<number> {
    this.touch(w.owner, w.name, 'modified')
    const tr = this.engine.tracer
    if (tr !== null) tr.word(w, 0, OP_DEC_IF_POSITIVE, 0, 0, w.value)
    const r = w.value - 1
    if (r >= 0) w.value = r
    if (r >= 0 && w.watchers) this.engine.notify(w)
    yield this.costs.atomic
    return r
  }

  /** local_inc() on `cpu`'s counter (atomic only against interrupts on that CPU). */
  *localInc(pc: PerCpuWord, cpu: number): StepGen {
    this.touch(pc.owner, pc.name, 'incremented')
    const tr = this.engine.tracer
    if (tr !== null) tr.word(pc, cpu, OP_ADD, 1, 0, pc.values[cpu])
    pc.values[cpu]++
    yield this.costs.step
  }

  /** local_dec() on `cpu`'s counter. */
  *localDec(pc: PerCpuWord, cpu: number): StepGen {
    this.touch(pc.owner, pc.name, 'decremented')
    const tr = this.engine.tracer
    if (tr !== null) tr.word(pc, cpu, OP_ADD, -1, 0, pc.values[cpu])
    pc.values[cpu]--
    yield this.costs.step
  }

  /** A plain read of `cpu`'s counter. */
  *localRead(pc: PerCpuWord, cpu: number): StepGen<number> {
    this.touch(pc.owner, pc.name, 'read')
    const v = pc.values[cpu]
    const tr = this.engine.tracer
    if (tr !== null) tr.word(pc, cpu, OP_READ, 0, 0, v)
    yield this.costs.step
    return v
  }

  // ---- modules ----------------------------------------------------------------------------

  /** module_is_live(): state != GOING (reading the state touches the module). */
  *moduleIsLive(mod: Module): StepGen<boolean> {
    this.touch(mod, 'state', 'read')
    if (this.engine.tracer !== null) this.engine.tracer.access(mod, MOD_STATE, false)
    const live = mod.state === 'live' || mod.state === 'coming'
    yield this.costs.step
    return live
  }

  /** mod->state = s. */
  *setModuleState(mod: Module, s: 'live' | 'going'): StepGen {
    this.touch(mod, 'state', 'wrote')
    if (this.engine.tracer !== null) this.engine.tracer.access(mod, MOD_STATE, true)
    mod.state = s
    yield this.costs.step
  }

  /** Runs mod->exit() in module text. */
  *moduleExit(mod: Module): StepGen {
    if (this.engine.tracer !== null) this.engine.tracer.access(mod, MOD_STATE, true)
    mod.exiting = true
    yield* this.engine.runModuleCode(mod, mod.spec.exit)
  }

  /** free_module(): unlinks the module and frees its text and data. */
  *freeModule(mod: Module): StepGen {
    this.touch(mod, 'struct module', 'freed')
    const tr = this.engine.tracer
    if (tr !== null) {
      tr.access(mod, MOD_STATE, true)
      tr.access(mod, MOD_MEMORY, true)
    }
    const held = this.engine.refsHeld(mod)
    this.engine.obs.freed(this.engine.now, this.engine.currentCpu, this.current.name, mod.name, mod.instance, held)
    mod.freed = true
    mod.freedAt = this.engine.now
    mod.state = 'gone'
    this.log(`free_module(${mod.name})`)
    yield this.costs.step
  }
}
