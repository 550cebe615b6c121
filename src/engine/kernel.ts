import type {Signal} from '../scenario/types.ts'
import type {KernelHost} from './kernel-host.ts'
import type {Machine} from './machine.ts'
import type {Module, PerCpuWord, Word} from './module.ts'
import {StepToken, type Step} from './step.ts'
import {KernelMemory} from './kernel/kernel-memory.ts'
import {KernelPreemption} from './kernel/kernel-preemption.ts'
import {KernelScheduling, type Completion, type MigrationRequest, type Mutex} from './kernel/kernel-scheduling.ts'
import {KernelThreads} from './kernel/kernel-threads.ts'
import {TASK_INTERRUPTIBLE, TASK_RUNNING, TASK_UNINTERRUPTIBLE, type SchedPolicy, type StepGen, type Task} from './task.ts'
import {VariantError} from './variant-error.ts'

export type {Completion, MigrationRequest, Mutex} from './kernel/kernel-scheduling.ts'
export {EBUSY, EEXIST, EINTR, ENOENT, EWOULDBLOCK} from './kernel/errno.ts'
export {TASK_INTERRUPTIBLE, TASK_RUNNING, TASK_UNINTERRUPTIBLE}
export type {Step, StepGen, Task}

/**
 * A thread's code: returns its exit value, as threadfn does. Every thread is handed the
 * run's Kernel; variants type it as the KernelApi (src/api.ts), the engine's own thread
 * code as the whole Kernel.
 */
export type ThreadFn<K = Kernel> = (k: K) => StepGen<number>

/**
 * The kernel API as variants see it (src/api.ts): every primitive, nothing of the engine.
 * Left out are the machine behind it and the queues of kthreadd and the migration
 * threads with the halves those threads run.
 */
export type KernelApi = Omit<Kernel, 'm' | 'createQueue' | 'migrationQueues' | 'waitObjects' | 'forkKthread' | 'migrateTask'>

/**
 * The kernel API that variants and trace programs are written against: one method per
 * kernel primitive, each handed to the part of the API that implements it:
 * kernel/kernel-memory.ts (words, atomics, per-CPU counters, module lifetime),
 * kernel/kernel-scheduling.ts (task state, sleeping and waking, CPU masks, completions,
 * mutexes), kernel/kernel-preemption.ts (preemption, interrupts, busy-waits) and
 * kernel/kernel-threads.ts (threads and signals). A method that returns a Step is one
 * atomic step, one that returns a StepGen a sequence of them (waits, thread handshakes):
 * each step's effect happens when the step starts, then the CPU is busy for its cost.
 * Names follow the kernel's. `yield*` every call, either kind: `const cpu = yield*
 * k.getCpu()`. The parts reach the engine only through a KernelHost.
 */
export class Kernel {
  /** @internal The machine behind this API (KernelHost.m); variants must not use it. */
  readonly m: Machine
  readonly costs: KernelHost['m']['costs']
  /** @internal Variants' per-run state (kernel-state.ts), by slot. */
  readonly statics: unknown[] = []
  private readonly mem: KernelMemory
  private readonly scheduling: KernelScheduling
  private readonly atomic: KernelPreemption
  private readonly threads: KernelThreads
  /** Every CPU's number, made once: for_each_online_cpu allocates nothing. */
  private readonly online: readonly number[]
  /** What smpProcessorId and step return (step.ts). */
  private readonly token: StepToken

  /** @internal The host behind this API (kernel-host.ts); variants must not use it. */
  constructor(host: KernelHost) {
    this.m = host.m
    this.costs = host.m.costs
    this.mem = new KernelMemory(host)
    this.scheduling = new KernelScheduling(host)
    this.atomic = new KernelPreemption(host, this.scheduling)
    this.threads = new KernelThreads(host, this.scheduling, this)
    this.online = Object.freeze(host.m.cpus.map((c) => c.id))
    this.token = new StepToken(host.m)
  }

  // ---- who and where ---------------------------------------------------------------------

  /** `current`: the task executing this code (no step). */
  get current(): Task {
    const t = this.m.current
    if (t === null) throw new VariantError('kernel API used outside a task')
    return t
  }

  /**
   * The head of a persistent kernel thread's loop (smpboot_thread_fn's, kthreadd's): the
   * thread carries nothing it computed in earlier rounds past this point, only what the
   * machine and kernel objects hold (no step). A stateful search then matches the thread's
   * state across work items instead of telling each round apart (ControlRecorder).
   */
  loopTop(where: string): void {
    this.m.tracer?.loopTop?.(where)
  }

  /** `for_each_online_cpu`: every CPU's number, in order (every CPU of the machine is online; no step). The same frozen array every call. */
  onlineCpus(): readonly number[] {
    return this.online
  }

  /** `cpumask_var_t` set to `cpus` (`alloc_cpumask_var` + `cpumask_copy`): a mask the caller owns and changes (no step). */
  cpumask(cpus: readonly number[]): Set<number> {
    return new Set(cpus)
  }

  /** `num_online_cpus()`: how many CPUs (no step). */
  numOnlineCpus(): number {
    return this.m.cpus.length
  }

  /** `isolcpus=`: whether `cpu` is isolated (no step). */
  cpuIsolated(cpu: number): boolean {
    return this.m.cpus[cpu].isolated
  }

  /** `raw_smp_processor_id()`: the CPU this code runs on right now (no step). */
  rawSmpProcessorId(): number {
    return this.m.currentCpu
  }

  /** `smp_processor_id()`: this CPU's number, stale as soon as preemption can move us (step). */
  smpProcessorId(): Step<number> {
    return this.token.take(this.costs.step, this.m.currentCpu)
  }

  /** `printk`: a line in the event log (no step). */
  log(what: string): void {
    this.m.log(this.m.currentCpu, this.m.current, what)
  }

  /** Any plain statement: a step of kernel code of the given cost (step). */
  step(cost: number = this.costs.step): Step {
    return this.token.take(cost, undefined)
  }

  /** @internal kthreadd's queue (kthread_create_list). */
  get createQueue(): KernelThreads['createQueue'] {
    return this.threads.createQueue
  }

  /** @internal Every completion and mutex made so far (wait queues the hang detector follows). */
  get waitObjects(): readonly object[] {
    return this.scheduling.waitObjects
  }

  /** @internal Per-CPU migration request queues. */
  get migrationQueues(): readonly MigrationRequest[][] {
    return this.scheduling.migrationQueues
  }

  // ---- KernelMemory (kernel-memory.ts) ----------------------------------------------------


  /** `atomic_t`, a variable: allocates a word in core memory or in `owner`'s data (no step). */
  word(name: string, value: number, owner?: Module | null): Word { return this.mem.word(name, value, owner) }
  /** `DEFINE_PER_CPU(local_t)`: allocates a per-CPU counter array (no step). */
  perCpu(name: string, owner?: Module | null): PerCpuWord { return this.mem.perCpu(name, owner) }
  /** `atomic_read`, `READ_ONCE`: the word's value (step). */
  atomicRead(w: Word): Step<number> { return this.mem.atomicRead(w) }
  /** `atomic_set`, `WRITE_ONCE`: stores `v` (step). */
  atomicSet(w: Word, v: number): Step { return this.mem.atomicSet(w, v) }
  /** `atomic_add_return`: adds `n`, returns the new value (atomic). */
  atomicAddReturn(w: Word, n: number): Step<number> { return this.mem.atomicAddReturn(w, n) }
  /** `atomic_inc`: adds 1 (atomic). */
  atomicInc(w: Word): Step { return this.mem.atomicInc(w) }
  /** `atomic_dec`: subtracts 1 (atomic). */
  atomicDec(w: Word): Step { return this.mem.atomicDec(w) }
  /** `atomic_dec_and_test`: subtracts 1, true when that left 0 (atomic). */
  atomicDecAndTest(w: Word): Step<boolean> { return this.mem.atomicDecAndTest(w) }
  /** `atomic_sub_return`: subtracts `n`, returns the new value (atomic). */
  atomicSubReturn(w: Word, n: number): Step<number> { return this.mem.atomicSubReturn(w, n) }
  /** `atomic_inc_not_zero`: adds 1 unless 0; true when it added (atomic). */
  atomicIncNotZero(w: Word): Step<boolean> { return this.mem.atomicIncNotZero(w) }
  /** `atomic_add_unless`: adds `a` unless the value is `u`; true when it added (atomic). */
  atomicAddUnless(w: Word, a: number, u: number): Step<boolean> { return this.mem.atomicAddUnless(w, a, u) }
  /** `atomic_dec_if_positive`: returns value − 1, stored only when ≥ 0 (atomic). */
  atomicDecIfPositive(w: Word): Step<number> { return this.mem.atomicDecIfPositive(w) }
  /** cpu_stop's `ack_state`: the last of `n` acks re-arms `ack` and advances `phase` (atomic). */
  barrierAck(ack: Word, n: number, phase: Word): Step { return this.mem.barrierAck(ack, n, phase) }
  /** `local_inc`: adds 1 to `cpu`'s counter (step). */
  localInc(pc: PerCpuWord, cpu: number): Step { return this.mem.localInc(pc, cpu) }
  /** `local_dec`: subtracts 1 from `cpu`'s counter (step). */
  localDec(pc: PerCpuWord, cpu: number): Step { return this.mem.localDec(pc, cpu) }
  /** `local_read`: `cpu`'s counter (step). */
  localRead(pc: PerCpuWord, cpu: number): Step<number> { return this.mem.localRead(pc, cpu) }
  /** `module_is_live`: state is not GOING (step). */
  moduleIsLive(mod: Module): Step<boolean> { return this.mem.moduleIsLive(mod) }
  /** `mod->state = s`: `'live'` or `'going'` (step). */
  setModuleState(mod: Module, s: 'live' | 'going'): Step { return this.mem.setModuleState(mod, s) }
  /** `mod->exit()`: runs the trace's exit ops in module text. */
  moduleExit(mod: Module): StepGen { return this.mem.moduleExit(mod) }
  /** `free_module`: frees the module's text and data; later touches are use-after-free (step). */
  freeModule(mod: Module): Step { return this.mem.freeModule(mod) }

  // ---- KernelScheduling (kernel-scheduling.ts) --------------------------------------------


  /** `set_current_state`: task state for the next `schedule()` (step). */
  setCurrentState(state: number): Step { return this.scheduling.setCurrentState(state) }
  /**
   * `schedule()`: sleeps unless the state is TASK_RUNNING again (a signal wakes an
   * interruptible sleeper); `waitsFor`: the task the sleep waits for, or the module whose
   * count it waits to read 0 (it then waits for every task holding a reference).
   */
  schedule(why?: string, waitsFor?: Task | Module): Step { return this.scheduling.schedule(why, waitsFor) }
  /** `yield()`: sched_yield with the O(1) scheduler's semantics. */
  yield(): Step { return this.scheduling.yield() }
  /** `wake_up_process`: wakes `t`; true when it was asleep (wakeup). */
  wakeUpProcess(t: Task): Step<boolean> { return this.scheduling.wakeUpProcess(t) }
  /** `msleep`, `msleep_interruptible`: sleeps on a timer. */
  msleep(ns: number, interruptible?: boolean): StepGen { return this.scheduling.msleep(ns, interruptible) }
  /** `do msleep(ns); while (!done())`: `done` keeps its state in kernel objects (`cpumask`), not in locals. */
  msleepUntil(ns: number, done: () => boolean): StepGen { return this.scheduling.msleepUntil(ns, done) }
  /** `sched_setscheduler`: a new policy (`'stop'`: sched_set_stop_task) (syscall). */
  schedSetscheduler(t: Task, policy: SchedPolicy, priority: number): Step { return this.scheduling.schedSetscheduler(t, policy, priority) }
  /** `t->cpus_allowed`: `t`'s CPU mask (no step). */
  cpusAllowed(t: Task): readonly number[] { return this.scheduling.cpusAllowed(t) }
  /** `set_cpus_allowed`: a new mask; a running task is moved by its CPU's migration thread. */
  setCpusAllowed(t: Task, cpus: readonly number[]): StepGen { return this.scheduling.setCpusAllowed(t, cpus) }
  /** See KernelScheduling.migrateTask. */
  migrateTask(t: Task): Step { return this.scheduling.migrateTask(t) }
  /** `DECLARE_COMPLETION`: a new completion (no step). */
  completion(): Completion { return this.scheduling.completion() }
  /**
   * `wait_for_completion`: sleeps uninterruptibly until completed; `by`, when one known
   * task will complete it, is the task the wait graph follows.
   */
  waitForCompletion(c: Completion, why?: string, by?: Task): StepGen { return this.scheduling.waitForCompletion(c, why, by) }
  /** `complete`: wakes one waiter (wakeup). */
  complete(c: Completion): Step { return this.scheduling.complete(c) }
  /** `DEFINE_MUTEX`, a semaphore: a new sleeping lock (no step). */
  mutex(name: string): Mutex { return this.scheduling.mutex(name) }
  /** `mutex_lock`, `down`: sleeps uninterruptibly while another task holds it (atomic). */
  mutexLock(m: Mutex): StepGen { return this.scheduling.mutexLock(m) }
  /** `mutex_unlock`, `up`: releases it and wakes the first waiter (atomic). */
  mutexUnlock(m: Mutex): Step { return this.scheduling.mutexUnlock(m) }

  // ---- KernelPreemption (kernel-preemption.ts) --------------------------------------------


  /** `preempt_disable`: preempt_count + 1 (step). */
  preemptDisable(): Step { return this.atomic.preemptDisable() }
  /** `preempt_enable`: preempt_count − 1; a pending reschedule happens at the next step (step). */
  preemptEnable(): Step { return this.atomic.preemptEnable() }
  /** `preempt_enable_no_resched`: the same in this model (step). */
  preemptEnableNoResched(): Step { return this.atomic.preemptEnableNoResched() }
  /** `get_cpu()`: preempt_disable, returns this CPU (step). */
  getCpu(): Step<number> { return this.atomic.getCpu() }
  /** `put_cpu()`: preempt_enable (step). */
  putCpu(): Step { return this.atomic.putCpu() }
  /** `local_irq_disable`: interrupts off on this CPU (step). */
  localIrqDisable(): Step { return this.atomic.localIrqDisable() }
  /** `hard_irq_disable`: the same in this model (step). */
  hardIrqDisable(): Step { return this.atomic.hardIrqDisable() }
  /** `local_irq_enable`: interrupts on; pending ones are taken at the next step (step). */
  localIrqEnable(): Step { return this.atomic.localIrqEnable() }
  /** `irqs_disabled()`: whether interrupts are off here (no step). */
  irqsDisabled(): boolean { return this.atomic.irqsDisabled() }
  /** the RCU-sched tick's check: whether `cpu` is outside every preempt-/irq-off region and handler (no step). */
  rcuQuiescent(cpu: number): boolean { return this.atomic.rcuQuiescent(cpu) }
  /** `local_irq_save`: interrupts off, returns whether they were (step). */
  localIrqSave(): Step<boolean> { return this.atomic.localIrqSave() }
  /** `local_irq_restore`: puts the flag back (step). */
  localIrqRestore(wasOff: boolean): Step { return this.atomic.localIrqRestore(wasOff) }
  /** `cpu_relax()`: one busy-wait iteration (cpu_relax). */
  cpuRelax(): Step { return this.atomic.cpuRelax() }
  /** `while (!pred) cpu_relax();`: busy-waits until `pred()`, which reads only `words`. */
  spinUntil(words: Word[], pred: () => boolean): StepGen { return this.atomic.spinUntil(words, pred) }
  /** `while (!pred) yield();`: the same, yielding to any task queued here. */
  yieldUntil(words: Word[], pred: () => boolean): StepGen { return this.atomic.yieldUntil(words, pred) }
  /** `mdelay`, `udelay`: busy-waits `ns` without scheduling. */
  mdelay(ns: number): Step { return this.atomic.mdelay(ns) }
  /** `smp_mb()`: a barrier; the model is sequentially consistent (step). */
  mb(): Step { return this.atomic.mb() }

  // ---- KernelThreads (kernel-threads.ts) --------------------------------------------------


  /** `kernel_thread` (2.6): forks current: same policy and mask, queued here (thread_create). */
  kernelThread(fn: ThreadFn, name: string): StepGen<Task> { return this.threads.kernelThread(fn, name) }
  /** smpboot threads: a thread made at boot, asleep until woken (no step). */
  bootThread(name: string, cpu: number, policy: SchedPolicy, priority: number, fn: ThreadFn): Task { return this.threads.bootThread(name, cpu, policy, priority, fn) }
  /** `kthread_create`: kthreadd forks the thread, which sleeps until woken. */
  kthreadCreate(fn: ThreadFn, name: string): StepGen<Task> { return this.threads.kthreadCreate(fn, name) }
  /** See KernelThreads.forkKthread. */
  forkKthread(): StepGen<boolean> { return this.threads.forkKthread() }
  /** `kthread_run`: kthread_create, then wake_up_process. */
  kthreadRun(fn: ThreadFn, name: string): StepGen<Task> { return this.threads.kthreadRun(fn, name) }
  /** `kthread_bind`: pins a thread that has not run yet (step). */
  kthreadBind(t: Task, cpu: number): Step { return this.threads.kthreadBind(t, cpu) }
  /** `kthread_should_stop`: whether kthread_stop was called on current (step). */
  kthreadShouldStop(): Step<boolean> { return this.threads.kthreadShouldStop() }
  /** `kthread_stop`: sets the flag, wakes `t`, waits for it to exit; its exit code. */
  kthreadStop(t: Task): StepGen<number> { return this.threads.kthreadStop(t) }
  /** `call_usermodehelper(UMH_WAIT_PROC)`: a user process runs `fn`; waits for it to exit; its exit code (thread_create). */
  callUsermodehelper(fn: ThreadFn, name: string): StepGen<number> { return this.threads.callUsermodehelper(fn, name) }
  /** `send_sig`: a kernel thread drops it unless it allowed it (syscall). */
  sendSignal(t: Task, sig: Signal): StepGen<boolean> { return this.threads.sendSignal(t, sig) }
  /** `force_sig`: delivery a kernel thread cannot refuse, then signal_wake_up (wakeup). */
  forceSig(t: Task, sig: Signal): Step<boolean> { return this.threads.forceSig(t, sig) }
  /** `allow_signal`: current accepts `sig` (step). */
  allowSignal(sig: Signal): Step { return this.threads.allowSignal(sig) }
  /** `signal_pending(current)`: whether a signal is pending (step). */
  signalPending(): Step<boolean> { return this.threads.signalPending() }
}
