import type {Signal} from '../../scenario/types.ts'
import type {Kernel, ThreadFn} from '../kernel.ts'
import type {KernelHost} from '../kernel-host.ts'
import {TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE, type SchedPolicy, type StepGen, type Task} from '../task.ts'
import type {Step} from '../step.ts'
import {EINTR} from './errno.ts'
import {KernelPart} from './kernel-part.ts'
import type {Completion, KernelScheduling} from './kernel-scheduling.ts'

/** A request to kthreadd (struct kthread_create_info). */
interface CreateRequest {
  readonly fn: ThreadFn
  readonly name: string
  readonly done: Completion
  result: Task | null
}

/**
 * The kernel API's threads and signals: kernel_thread, the kthread family (with kthreadd's
 * queue of creation requests, which this part owns), boot-time threads, and signals.
 */
export class KernelThreads extends KernelPart {
  /** kthreadd's queue (kthread_create_list). */
  readonly createQueue: CreateRequest[] = []

  constructor(
    host: KernelHost,
    /** Completions, wakeups and schedule() for the kthread handshakes. */
    private readonly scheduling: KernelScheduling,
    /** The API a new thread's code is handed. */
    private readonly k: Kernel,
  ) {
    super(host)
  }

  /**
   * kernel_thread(fn, CLONE_KERNEL) in the 2.6 era: a fork of current, with its policy,
   * priority and cpus_allowed, queued on current's CPU.
   */
  *kernelThread(fn: ThreadFn, name: string): StepGen<Task> {
    const p = this.current
    const child = this.m.spawn(name, p.policy, p.priority, p.allowed, true, null, fn(this.k))
    this.m.tracer?.spawned?.(child, fn)
    child.cpu = this.m.currentCpu
    yield this.costs.thread_create
    child.where = 'blocked'
    this.sched.wakeUp(child, this.m.currentCpu)
    return child
  }

  /** Creates a thread at boot, asleep until woken (smpboot/cpu_stop threads). */
  bootThread(name: string, cpu: number, policy: SchedPolicy, priority: number, fn: ThreadFn): Task {
    const t = this.m.spawn(name, policy, priority, [cpu], true, null, fn(this.k))
    this.m.tracer?.spawned?.(t, fn)
    this.sched.block(t, 'created', TASK_INTERRUPTIBLE)
    return t
  }

  /** kthread_create(): kthreadd forks the thread, which sleeps until woken. */
  *kthreadCreate(fn: ThreadFn, name: string): StepGen<Task> {
    const req: CreateRequest = {fn, name, done: this.scheduling.completion(), result: null}
    this.createQueue.push(req)
    yield* this.scheduling.wakeUpProcess(this.m.kthreadd)
    yield* this.scheduling.waitForCompletion(req.done, 'kthread_create', this.m.kthreadd)
    return req.result!
  }

  /** @internal kthreadd's half of kthread_create: fork the thread and hand it back. */
  *forkKthread(): StepGen<boolean> {
    const req = this.createQueue.shift()
    if (!req) return false
    const kthreadd = this.current
    const t = this.m.spawn(req.name, 'normal', 0, kthreadd.allowed, true, null, this.kthreadMain(req.fn))
    this.m.tracer?.spawned?.(t, req.fn)
    t.cpu = kthreadd.cpu
    yield this.costs.thread_create
    // Asleep until woken, unless a wakeup (kthread_stop) already found it while it was forked.
    if (t.where === 'new') this.sched.block(t, 'created', TASK_UNINTERRUPTIBLE)
    req.result = t
    yield* this.scheduling.complete(req.done)
    return true
  }

  /** kthread(): the wrapper that runs threadfn unless stopped before its first wakeup. */
  private *kthreadMain(fn: ThreadFn): StepGen<number> {
    if (this.current.shouldStop) return EINTR
    return yield* fn(this.k)
  }

  /** kthread_run(): kthread_create, then wake_up_process. */
  *kthreadRun(fn: ThreadFn, name: string): StepGen<Task> {
    const t = yield* this.kthreadCreate(fn, name)
    yield* this.scheduling.wakeUpProcess(t)
    return t
  }

  /** kthread_bind(): pins a thread that has not run yet, with no migration. */
  kthreadBind(t: Task, cpu: number): Step {
    this.taskAccess(t, true)
    t.allowed = [cpu]
    t.cpu = cpu
    return this.stepped(this.costs.step)
  }

  /** kthread_should_stop(). */
  kthreadShouldStop(): Step<boolean> {
    return this.stepped(this.costs.step, this.current.shouldStop)
  }

  /** kthread_stop(): set the flag, wake the thread, and wait (uninterruptibly) for it to exit. */
  *kthreadStop(t: Task): StepGen<number> {
    this.log(`kthread_stop(${t.name})`)
    this.taskAccess(t, true)
    t.shouldStop = true
    yield* this.scheduling.wakeUpProcess(t)
    return yield* this.waitForExit(t, 'kthread_stop')
  }

  /**
   * call_usermodehelper(path, argv, envp, UMH_WAIT_PROC), as request_module() uses it: a
   * user process (SCHED_NORMAL nice 0, any CPU, made on this CPU) runs `fn`, and the
   * caller sleeps uninterruptibly until it has exited; returns its exit code. The process
   * is named `name` (modprobe): what khelper's thread execs.
   */
  *callUsermodehelper(fn: ThreadFn, name: string): StepGen<number> {
    const child = this.m.spawn(name, 'normal', 0, this.m.defaultCpus(), false, null, fn(this.k))
    this.m.tracer?.spawned?.(child, fn)
    child.cpu = this.m.currentCpu
    yield this.costs.thread_create
    child.where = 'blocked'
    this.sched.wakeUp(child, this.m.currentCpu)
    return yield* this.waitForExit(child, name)
  }

  /** Sleeps uninterruptibly (waiting for `t`, as the deadlock detector follows) until `t` has exited; its exit code. */
  private *waitForExit(t: Task, why: string): StepGen<number> {
    const me = this.current
    for (;;) {
      this.taskAccess(t, true)
      if (t.where === 'exited') break
      t.exitWaiters.push(me)
      me.state = TASK_UNINTERRUPTIBLE
      yield* this.scheduling.schedule(why, t)
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
    if (t.state === TASK_INTERRUPTIBLE) this.sched.wakeUp(t, this.m.currentCpu)
    return true
  }

  /**
   * force_sig(): in-kernel delivery that a kernel thread cannot refuse (the kernel unblocks
   * the signal and resets an ignoring handler), then signal_wake_up(): a task in
   * TASK_INTERRUPTIBLE is woken, whether it is already asleep or just about to sleep.
   */
  forceSig(t: Task, sig: Signal): Step<boolean> {
    this.taskAccess(t, true)
    if (t.where === 'exited') return this.stepped(this.costs.step, false)
    t.pendingSignals.add(sig)
    this.log(`force_sig(SIG${sig}, ${t.name})`)
    if (t.state === TASK_INTERRUPTIBLE) this.sched.wakeUp(t, this.m.currentCpu)
    return this.stepped(this.costs.wakeup, true)
  }

  /** allow_signal(). */
  allowSignal(sig: Signal): Step {
    this.current.allowedSignals.add(sig)
    return this.stepped(this.costs.step)
  }

  /** signal_pending(current). */
  signalPending(): Step<boolean> {
    return this.stepped(this.costs.step, this.current.pendingSignals.size > 0)
  }
}
