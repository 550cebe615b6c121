/**
 * The validated, defaulted form of a trace (trace-format.md v1). A Scenario is plain data,
 * deeply frozen by the loader; transforms produce new Scenarios with immer.
 *
 * Units: every duration is an integer number of simulated nanoseconds. CPU sets are sorted,
 * de-duplicated arrays of CPU numbers, all below `machine.cpus`.
 */

import type {Costs} from '../core/costs.ts'

export type {Costs}

/** Scheduling policy of a task, as in sched_setscheduler(2). */
export type Policy = 'normal' | 'batch' | 'idle' | 'fifo' | 'rr'

/** A signal a trace can send. */
export type Signal = 'KILL' | 'TERM' | 'INT' | 'HUP' | 'USR1' | 'USR2'

/** Conditions a `repeat` loop checks at the top of each iteration. */
export type UntilCondition = 'should_stop' | 'signal'

/** One operation of a program (task, module init/exit, kthread, irq handler). */
export type Op =
  | {readonly op: 'spin'; readonly ns: number}
  | {readonly op: 'sleep'; readonly ns: number}
  | {readonly op: 'yield'}
  | {readonly op: 'get'; readonly module: string}
  | {readonly op: 'put'; readonly module: string}
  | {readonly op: 'call'; readonly module: string; readonly ns: number}
  | {readonly op: 'use'; readonly module: string; readonly ns: number}
  | {readonly op: 'rmmod'; readonly module: string; readonly wait: boolean; readonly force: boolean}
  | {readonly op: 'insmod'; readonly module: string}
  | {readonly op: 'request_module'; readonly module: string}
  | {readonly op: 'setaffinity'; readonly task: string; readonly cpus: readonly number[]}
  | {readonly op: 'kill'; readonly task: string; readonly signal: Signal}
  | {readonly op: 'stop_machine'; readonly ns: number}
  | {readonly op: 'mark'; readonly label: string}
  | {
      readonly op: 'repeat'
      /** Iterations; `Infinity` for `repeat: forever`. */
      readonly count: number
      readonly body: readonly Op[]
      readonly until: readonly UntilCondition[]
    }
  | {readonly op: 'kthread_run'; readonly name: string; readonly program: readonly Op[]}
  | {readonly op: 'kthread_stop'; readonly name: string}
  | {readonly op: 'allow_signal'; readonly signal: Signal}

export type OpKind = Op['op']

export interface Machine {
  readonly cpus: number
  readonly isolated: readonly number[]
  readonly costs: Costs
  /** Relative random spread applied to every cost, 0 for none. */
  readonly jitter: number
  /** Soft-lockup threshold. */
  readonly watchdog: number
  /** A CPU held by the stop mechanism longer than this is a machine-stall (extension). */
  readonly stall_threshold: number
  /** A task asleep uninterruptibly this long is a `hung-task` finding, or null (off; extension). */
  readonly hung_task: number | null
  /** The normal-class scheduler the trace pins (`o1` or `cfs`), or null for the variant's era (extension). */
  readonly sched: NormalSched | null
}

/** The normal-class scheduler models: the 2.6 O(1) scheduler or CFS (2.6.23 on). */
export type NormalSched = 'o1' | 'cfs'

export interface ModuleSpec {
  readonly name: string
  readonly loaded: boolean
  readonly refs: number
  readonly init: readonly Op[]
  readonly exit: readonly Op[]
}

export interface TaskSpec {
  /** Instance name: `name` alone, or `name/i` when the trace gave a count. */
  readonly name: string
  readonly cpus: readonly number[]
  readonly policy: Policy
  /** fifo/rr: 1..99; normal/batch/idle: nice -20..19. */
  readonly priority: number
  readonly start: number
  readonly program: readonly Op[]
  /** Longest runnable-but-not-running time this RT task tolerates (extension: `latency_budget`). */
  readonly latency_budget: number | null
}

export interface IrqSpec {
  readonly name: string
  readonly cpus: readonly number[]
  /** Period, or null when `at` lists the raise times. */
  readonly every: number | null
  readonly at: readonly number[]
  readonly cost: number
  readonly program: readonly Op[]
}

/** A comparison on a metric, e.g. `> 1ms`, `== 0`, `<= 5`. */
export interface MetricExpectation {
  readonly op: '<' | '<=' | '>' | '>=' | '==' | '!='
  /** In the metric's unit: ns for durations, a count otherwise. */
  readonly value: number
  /** The text as written, for messages. */
  readonly text: string
}

export interface Expectation {
  /** Exactly the finding kinds expected (set equality). */
  readonly findings: readonly string[]
  /** `run`: one seeded run shows them; `explore`: schedule search is needed. */
  readonly by: 'run' | 'explore'
  readonly metrics: Readonly<Record<string, MetricExpectation>>
}

export interface Scenario {
  readonly kreplay: 1
  readonly name: string
  readonly title: string
  readonly source: readonly string[]
  readonly seed: number
  readonly horizon: number
  /**
   * The trace's point is what happens within its horizon (extension): its verdicts may
   * change with a longer one, so the verdict-stability test leaves it out.
   */
  readonly horizon_bounded: boolean
  readonly machine: Machine
  readonly modules: readonly ModuleSpec[]
  /** Instances, already expanded from `count`. */
  readonly tasks: readonly TaskSpec[]
  readonly irqs: readonly IrqSpec[]
  /** Keyed by variant id, or `default`. */
  readonly expect: Readonly<Record<string, Expectation>>
  /** The file the trace came from, when it came from one. */
  readonly file: string | null
}
