/**
 * What the end-of-run detectors may read of the simulated machine: read-only views of its
 * CPUs and tasks. The engine's own Cpu and Task objects satisfy these interfaces, so the
 * detectors read them in place (nothing is copied), yet cannot change them nor reach
 * anything else of the engine.
 */

/** One CPU's observed intervals, as left at the end of the run. */
export interface CpuView {
  readonly id: number
  /** Start of the preempt- or irq-disabled region still open, or -1. */
  readonly regionStart: number
  /** Whether that region busy-waited. */
  readonly regionSpun: boolean
  /** Start of the interrupts-off interval still open, or -1. */
  readonly irqOffStart: number
  /** Since when its task has busy-waited with tasks it outranks queued behind it, or -1. */
  readonly behindStart: number
}

/** One task's state, as left at the end of the run. */
export interface TaskView {
  readonly name: string
  /** The CPU it runs on, is queued on, or last ran on. */
  readonly cpu: number
  /** 'new', 'queued', 'running', 'blocked' or 'exited'. */
  readonly where: string
  /** task->state (core/task-state.ts). */
  readonly state: number
  /** What it sleeps on ('' when awake). */
  readonly blockedOn: string
  /** When it went to sleep, or -1. */
  readonly blockedSince: number
  /** Whether it is an RT task (fifo or rr). */
  readonly rt: boolean
  /** Its trace entry (trace tasks only), with its RT latency budget. */
  readonly spec: {readonly latency_budget: number | null} | null
  /** The CPUs it may run on now. */
  readonly allowed: readonly number[]
  /** The affinity a user last asked for (trace tasks only), or null. */
  readonly lastSetAffinity: readonly number[] | null
  /** When it became runnable without running yet, or -1. */
  readonly runnableSince: number
  /** When its delete_module() call in progress started, or -1. */
  readonly syscallStart: number
  /** When the busy-wait loop it is still in began, or -1. */
  readonly busyWaitStart: number
  /** Whether that loop began with preemption or interrupts off. */
  readonly busyWaitAtomic: boolean
  /** How long it was off its CPU during that loop before `busyWaitOffSince`, ns. */
  readonly busyWaitOff: number
  /** Since when it has been off its CPU during that loop, or -1 while it runs. */
  readonly busyWaitOffSince: number
}

/** One edge of the wait graph: the waiter cannot go on until `task` acts. */
export interface WaitEdge {
  readonly task: TaskView
  /**
   * The kind of wait, as findings name it: the sleep's `blockedOn` for a wait on one task
   * ('lock module_mutex', 'kthread_stop', 'modprobe'), `refcount of <module>` for one task
   * of a refcount wait.
   */
  readonly what: string
}

/**
 * What one task in a wait waits for: its out-edges in the wait graph. The task goes on
 * only once every task in `on` has acted (an AND-wait): released the lock, exited,
 * completed, dropped its reference.
 */
export interface Wait {
  /** The tasks it waits for: one (a lock owner, a kthread_stop target, a named completer) or several (every holder of a reference). */
  readonly on: readonly WaitEdge[]
  /**
   * Whether it also needs a wakeup through memory (a refcount wait: a put must find it),
   * and not only those tasks' acting (a lock owner's release wakes its waiter itself).
   */
  readonly condition: boolean
}

/** The machine at the end of a run. */
export interface MachineView {
  /** Simulated time at the end, ns. */
  readonly now: number
  readonly cpus: readonly CpuView[]
  readonly tasks: readonly TaskView[]
  /**
   * The tasks that kernel or variant memory still points at (a wait queue, a completion,
   * a mutex, `mod->waiter`, a thread list): only these can be the target of a wakeup.
   */
  readonly wakeable: ReadonlySet<TaskView>
  /**
   * The wait graph: for each blocked task whose sleep names what it waits for (a task,
   * a mutex's owner, or a module's count), its wait. A task in a wait with no entry waits on a condition
   * no task is named for (a completion with no known completer, a flag); a refcount wait
   * on a count no live task holds has an entry with no edges.
   */
  readonly waits: ReadonlyMap<TaskView, Wait>
  /** Whether events that run code (interrupts) are still to come. */
  readonly pendingWork: boolean
}
