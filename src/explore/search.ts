import type {FindingKind} from '../core/result.ts'
import type {Shard, StrategyName} from './explore-result.ts'
import type {SharedState} from './parallel/shared-state.ts'
import type {SearchClock} from './progress.ts'
import type {ExploreTarget} from './run-target.ts'
import type {ChoiceList} from './schedule/choice-list.ts'
import type {ReplayMode} from './schedule/schedule-choices.ts'
import type {Tallies} from './tally.ts'
import type {TraceLimits} from '../scenario/footprint.ts'

/**
 * One part of a search, as a worker thread receives it (plain data): the search, and
 * which share of its schedules this part runs.
 */
export interface PartSpec {
  readonly trace: string
  readonly variant: string
  readonly strategy: StrategyName
  readonly seed: number
  readonly depth: number
  /** The plain run's step count (the random strategy's delay rate). */
  readonly plainSteps: number
  readonly budget: number
  readonly shard: Shard | null
  readonly all: boolean
  readonly skip: readonly string[]
  readonly timeMs: number | null
  /** Within the shard: this worker's number and how many share it (default 0 of 1). */
  readonly worker?: number
  readonly workers?: number
  /** Exhaustive, split among parts: the depth fully expanded above the subtrees (dpor/split-depth.ts). */
  readonly splitDepth?: number
  /** Stateful: states stored at most (stateful/stateful-kind.ts). */
  readonly maxStates?: number
  /** MiB the trace may be estimated to need when a worker loads it (--max-memory; default the loader's). */
  readonly maxMemoryMb?: number
}

/** A recorded schedule: its searched choices and how to replay them. */
export interface RecordedSchedule {
  readonly list: ChoiceList
  readonly mode: ReplayMode
}

/** What one part found. */
export interface PartResult {
  readonly explored: number
  readonly pruned: number
  readonly complete: boolean
  readonly stopped: 'finding' | 'budget' | 'time' | 'exhausted' | 'interrupted'
  readonly findings: Tallies
  /** Exhaustive: the choices of the first schedule of each kind (sampling re-derives them from the index). */
  readonly lists: Readonly<Record<string, RecordedSchedule>>
  /** A stateful search's state counts (stateful/stateful-search.ts). */
  readonly states?: StateStats
}

/** What a stateful search stored and matched, as SPIN reports it. */
export interface StateStats {
  /** States stored in the visited table. */
  readonly stored: number
  /** Times a path reached a stored state (and stopped there). */
  readonly matched: number
  /** Transitions taken from stored states. */
  readonly transitions: number
  /** Bytes of the visited table and its subtree summaries (stateful DPOR). */
  readonly bytes: number
  /** Whether the table reached --max-states and stopped storing. */
  readonly full: boolean
  /** Whether leaving the clock out of the state was exact (else why not, in `inexact`). */
  readonly exact: boolean
  readonly inexact?: string
}

/**
 * A search over the schedules of one target (a trace × variant): a sampling strategy
 * (sampling/) or exhaustive search (dpor/). Callers run it and ask it for the schedule
 * behind a finding without knowing which it is.
 */
export interface Search {
  /**
   * Runs the share of the schedules that `spec` gives this part (its shard, its worker),
   * until a finding (unless `spec.all`), the budget, or `clock` says the time is up.
   * With `shared`, it is one of several worker threads of a process and coordinates
   * with them through it (parallel/shared-state.ts).
   */
  run(clock: SearchClock, shared: SharedState | null): PartResult
  /**
   * The searched choices of schedule `index` up to its first finding of `kind`, which
   * `found` (a result of this search, maybe combined from several parts) reports: the
   * counterexample before shrinking.
   */
  witness(found: PartResult, index: number, kind: FindingKind): RecordedSchedule
}

/** What a strategy name stands for: its model, defaults, and how to make its search. */
export interface SearchKind {
  /** Whether its runs are untimed (src/engine/untimed-loop.ts). */
  readonly untimed: boolean
  /** The default `--depth`; 0 when the search has no depth. */
  readonly defaultDepth: number
  /** The default schedule budget. */
  readonly defaultBudget: number
  /**
   * What every part of a split search must agree on, computed once before the parts
   * start (exhaustive: the split depth), as additions to the spec; `load` gives the target.
   */
  plan(spec: PartSpec, load: () => Promise<ExploreTarget>): Promise<Partial<PartSpec>>
  /** The search one part runs. */
  create(target: ExploreTarget, spec: PartSpec): Search
  /**
   * Schedules a single thread would have run, given the results of the parts of a shard
   * that stopped at its first finding, schedule `first`.
   */
  exploredUpTo(spec: PartSpec, parts: readonly PartResult[], first: number): number
}

/** The limits a search's trace is loaded within: its --max-memory, else the loader's defaults. */
export function traceLimitsOf(spec: {readonly maxMemoryMb?: number}): TraceLimits | undefined {
  return spec.maxMemoryMb === undefined ? undefined : {maxMemoryMb: spec.maxMemoryMb}
}
