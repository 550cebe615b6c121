/**
 * The engine's hooks for the untimed explorer (`kreplay explore --strategy exhaustive`).
 *
 * In an untimed run (RunOptions.untimed) the engine dispatches one pending event at a
 * time, any of them, as chosen by the ChoiceSource; events are named by *actor* (below)
 * so a search can say "let CPU 2 take its next step here". An AccessTracer, when given,
 * is told what each dispatched event touched, so the search can tell which events
 * commute (partial-order reduction). Ordinary runs have no tracer and pay one null test
 * per hook.
 *
 * Shared objects are identified by allocation order (`alloc`), which is the same in every
 * run that made the same choices so far; `field` picks a part of an object (a per-CPU
 * counter's CPU, a module's state or its memory).
 */

/**
 * What one untimed dispatch is: its event kind (event-kinds.ts, EV_*) times ACTOR_STRIDE,
 * plus a CPU (a step, an IPI, a timeslice), task (a timer, a start) or irq number.
 */
export const ACTOR_STRIDE = 1 << 16

/**
 * Fields of a Cpu, apart so that events that touch different ones commute:
 * - CPU_SCHED: what runs there (the current task or irq handler, need_resched, whether a
 *   step is in flight). Every step reads it; switching tasks, setting need_resched or
 *   entering or leaving a handler writes it.
 * - CPU_ATOMIC: its atomic context (preempt count, irq flag).
 * - CPU_PENDING: interrupts held while interrupts are off or a handler runs. Only
 *   holding and delivering touch it: a step that could deliver them already follows
 *   whatever held them, through CPU_ATOMIC (the irq flag the holder read and the step
 *   that enabled interrupts wrote) or CPU_SCHED (the handler's exit).
 * - CPU_RQ: its run queue. A remote wakeup writes it but not CPU_SCHED (it sends an IPI
 *   instead), so it commutes with the steps of the running task.
 */
export const CPU_SCHED = 0
export const CPU_ATOMIC = 1
export const CPU_PENDING = 2
export const CPU_RQ = 3
/** How many fields a Cpu has. */
export const CPU_FIELDS = 4
/**
 * Fields of a Module: its life-cycle state (live, going, exiting, freed, as lookups and
 * module_is_live see it), its memory (text and data, touched by every step that runs its
 * code or reads its words), and the references tasks hold on it. The last two are
 * observer state: only the detectors read them (use-after-free, freed-while-referenced),
 * never the simulated machine, so a search may leave them out of which events commute and
 * judge them from happens-before instead.
 */
export const MOD_STATE = 0
export const MOD_MEMORY = 1
export const MOD_REFS = 2
/** How many fields a Module has. */
export const MOD_FIELDS = 3

/** Word operations, for value-aware commutation: each is a pure function of the word's value. */
export const OP_READ = 0
/** Store `a`. */
export const OP_SET = 1
/** Add `a`; the caller observes nothing (b = 0), whether the result is 0 (b = 1), or the result (b = 2). */
export const OP_ADD = 2
/** Add `a` unless the value is `b`; the caller observes whether it added. */
export const OP_ADD_UNLESS = 3
/** Decrement unless that goes below 0; the caller observes value - 1. */
export const OP_DEC_IF_POSITIVE = 4
/**
 * Decrement, storing `a` instead of 0 (a barrier's ack that re-arms it: Kernel.barrierAck);
 * the caller observes nothing.
 */
export const OP_ACK = 5

/** Receives what each dispatched event of an untimed run touched. */
export interface AccessTracer {
  /** An event is about to be dispatched; events queued from now on, up to the next call, are its own. */
  dispatch(actor: number, seq: number, nextSeq: number): void
  /** A shared object came into being; it has `span` fields. */
  alloc(obj: object, span: number): void
  /** The current event read or wrote a field of an object. */
  access(obj: object, field: number, write: boolean): void
  /** The current event applied a word operation (OP_*) to a word that held `seen`. */
  word(obj: object, field: number, op: number, a: number, b: number, seen: number): void
  /** Task `task` took (+1) or dropped (-1) a reference on a module (observer state, MOD_REFS). */
  refs(mod: object, task: number, delta: number): void
  /**
   * The current event was a busy-wait check that failed and parked its CPU until one of
   * `words` is written (or, for a yield loop, a task is queued on `cpu`): a stutter, which
   * changed nothing another event can observe.
   */
  parked(words: readonly object[], cpu: object): void
  /**
   * The current event took away another actor's pending event without running it (a
   * switch that made a CPU's reschedule IPIs stale: Dispatcher.stale). The two do not commute
   * (the event would have run before), so a search must also try that actor first here.
   */
  disabled(actor: number): void
  /**
   * The current task is at the head of a persistent thread's loop, `where` (Kernel.loopTop),
   * carrying nothing from earlier rounds. Only a stateful search's recorder needs it.
   */
  loopTop?(where: string): void
  /**
   * The current task, whose whole code is a trace program (program.ts), is about to run op
   * `i` of the list its innermost repeat of `loops` runs (the program itself when none):
   * its future is fixed by that position and the machine's state. Only a stateful search's
   * recorder needs it.
   */
  programAt?(i: number, loops: readonly ProgramLoop[]): void
  /**
   * The current task (none at boot) made `task`, which runs `code`: the thread function it
   * was handed. Only a stateful search's recorder needs it.
   */
  spawned?(task: object, code: object): void
}

/** A repeat a trace program is inside: the repeat's index in its list, its count, and how many times its body has run. */
export interface ProgramLoop {
  readonly at: number
  readonly op: {readonly count: number}
  readonly n: number
}
