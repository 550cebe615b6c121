import type {Policy, Signal, TaskSpec} from '../scenario/types.ts'
import {TASK_INTERRUPTIBLE, TASK_RUNNING, TASK_UNINTERRUPTIBLE} from '../core/task-state.ts'
import type {SimEvent} from './event-queue.ts'
import type {Module, Word} from './module.ts'
import type {Mutex} from './kernel/kernel-scheduling.ts'
import type {BatchOwner, SameInstantBatch} from './same-instant-batch.ts'

/** The policy of a task as the engine sees it: the trace's policies plus the stop class. */
export type SchedPolicy = Policy | 'stop'

/** Linux's task->state: TASK_RUNNING, TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE. */
export {TASK_INTERRUPTIBLE, TASK_RUNNING, TASK_UNINTERRUPTIBLE}

/** Where a task is, from the engine's point of view. */
export type Where = 'new' | 'queued' | 'running' | 'blocked' | 'exited'

/** What a task's generator yields: a step's cost in ns, or a request to the scheduler. */
export type Yielded = number | SchedRequest

/** Requests a step may make of the scheduler instead of costing time. */
export interface SchedRequest {
  readonly req: 'schedule' | 'yield' | 'park'
}
export const SCHEDULE: SchedRequest = Object.freeze({req: 'schedule'})
export const YIELD: SchedRequest = Object.freeze({req: 'yield'})
/** Busy-wait until one of `Task.parkedOn` is written (see Kernel.spinUntil). */
export const PARK: SchedRequest = Object.freeze({req: 'park'})

/** The code a task runs: a generator of steps. */
export type StepGen<R = void> = Generator<Yielded, R, unknown>

/** The rank a task holds for preemption: stop > fifo/rr 99..1 > normal/batch > idle. */
export function rankOf(policy: SchedPolicy, priority: number): number {
  switch (policy) {
    case 'stop':
      return 200
    case 'fifo':
    case 'rr':
      return 100 + priority
    case 'normal':
    case 'batch':
      return 1
    case 'idle':
      return 0
  }
}

/** O(1)-scheduler timeslice for a nice value: 800 ms at -20, 100 ms at 0, 5 ms at 19. */
export function timesliceOf(policy: SchedPolicy, nice: number): number {
  if (policy === 'rr') return 100_000_000
  if (policy === 'fifo' || policy === 'stop') return Infinity
  const staticPrio = 120 + nice
  const ms = staticPrio < 120 ? (140 - staticPrio) * 20 : Math.max(5, (140 - staticPrio) * 5)
  return ms * 1_000_000
}

/**
 * A simulated task: a user process from the trace, a kernel thread, or a per-CPU system
 * thread. Plain mutable state; only the engine and the kernel API change it.
 */
export class Task implements BatchOwner {
  where: Where = 'new'
  state = TASK_RUNNING
  /** CPU the task runs on, is queued on, or last ran on. */
  cpu: number
  allowed: number[]
  rank: number
  /** Rest of the current timeslice, ns. */
  slice: number
  /** Remaining busy time of a step that was interrupted. */
  remaining = 0
  /** The value the next resume passes into the generator. */
  resume: unknown = undefined
  /** The value of the one-step kernel primitive the task is inside, handed back at its next resume (step.ts). */
  stepValue: unknown = undefined
  gen: StepGen<unknown> | null = null
  /** Module whose text the task is executing, innermost last. */
  readonly text: Module[] = []
  /** References this task holds through successful gets (the observers' ground truth); no entry holds 0. */
  readonly refs = new Map<Module, number>()
  readonly pendingSignals = new Set<Signal>()
  readonly allowedSignals = new Set<Signal>()
  shouldStop = false
  exitCode = 0
  /** Tasks blocked in kthread_stop or waiting for this one to exit. */
  readonly exitWaiters: Task[] = []
  /** When the task last became runnable without running (for RT latency), or -1. */
  runnableSince = -1
  /** When the task blocked, and on what (for hang and deadlock detection). */
  blockedSince = -1
  blockedOn = ''
  /**
   * What the task's sleep waits for, for the wait graph (observe/hang.ts, deadlock.ts);
   * set when it goes to sleep (schedule()), cleared when it is woken:
   * - a Task: that one task must act (a kthread_stop target or a usermode helper exit,
   *   a named completer complete);
   * - a Mutex: whoever owns it when the run ends must release it (the owner at the time
   *   of the sleep may have handed it on to another waiter since);
   * - a Module: its count must read 0 (wait_for_zero_refcount), an AND-wait on every
   *   task holding a reference to it when the run ends (`refs`), and on a wakeup;
   * - null: a condition nothing names (a completion with no known completer, a flag).
   */
  waitsFor: Task | Module | Mutex | null = null
  /** The affinity a user last asked for (trace tasks only; null for kernel threads). */
  lastSetAffinity: readonly number[] | null = null
  /** Whether the O(1) scheduler moved this task to the expired array (normal tasks). */
  expired = false
  /**
   * Its place among the normal tasks of a run queue, lowest first: the static priority
   * under O(1), the vruntime under CFS, 0 in untimed runs (scheduler.ts keeps it).
   */
  key = 0
  /** CFS's virtual runtime, ns weighted by nice (normal tasks). */
  vruntime = 0
  /** Whether it has ever run (its first wakeup is balanced like a fork). */
  everRan = false
  /** The words this task busy-waits on while parked, or null. */
  parkedOn: Word[] | null = null
  /** Parked in yieldUntil: also unparks when a task it would yield to is queued. */
  parkedYielding = false
  readonly batched: SimEvent[] = []
  batch: SameInstantBatch | null = null
  dirty = false
  #timer = 0
  /** When the current delete_module() call started, or -1. */
  syscallStart = -1
  /** When the busy-wait loop (spin or yield) this task is in began, or -1 (livelock detection). */
  busyWaitStart = -1
  /** Whether that loop began with preemption or interrupts off (a stall, not a livelock). */
  busyWaitAtomic = false
  /** How long, during that loop, the task was off its CPU (preempted or yielded away), ns. */
  busyWaitOff = 0
  /** Since when it has been off its CPU during that loop, or -1 while it runs. */
  busyWaitOffSince = -1

  constructor(
    readonly id: number,
    readonly name: string,
    public policy: SchedPolicy,
    /** rt_priority for fifo/rr, nice for normal/batch/idle. */
    public priority: number,
    cpus: readonly number[],
    /** A kernel thread: ignores signals unless allow_signal, runs kernel code. */
    readonly kthread: boolean,
    readonly spec: TaskSpec | null,
  ) {
    this.allowed = [...cpus]
    this.cpu = cpus[0]
    this.rank = rankOf(policy, priority)
    this.slice = timesliceOf(policy, priority)
  }

  /** Bumped on every wakeup; a timer event whose token differs is stale. */
  get timerToken(): number {
    return this.#timer
  }

  set timerToken(v: number) {
    this.#timer = v
    if (this.batch !== null) this.batch.superseded(this)
  }

  /** Whether the task is an RT task (fifo or rr). */
  get rt(): boolean {
    return this.policy === 'fifo' || this.policy === 'rr'
  }

  /** Changes the scheduling policy (sched_setscheduler); the caller requeues if needed. */
  setPolicy(policy: SchedPolicy, priority: number): void {
    this.policy = policy
    this.priority = priority
    this.rank = rankOf(policy, priority)
    this.slice = timesliceOf(policy, priority)
  }
}
