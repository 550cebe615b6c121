import type {ScheduleFile} from './schedule/schedule-file.ts'
import type {StateStats} from './search.ts'
import type {Tallies} from './tally.ts'

/** The search strategies. */
export type StrategyName = 'random' | 'pct' | 'delay' | 'exhaustive' | 'stateful'

/** Which part of a split search this is: schedule k belongs to shard k mod count. */
export interface Shard {
  readonly index: number
  readonly count: number
}

/**
 * What a search found, as `kreplay explore --json` prints it and `--merge` reads it back.
 * Deterministic for a given search (no wall-clock figures), keys in this order.
 */
export interface ExploreResult {
  readonly kreplay: 'explore'
  readonly version: 1
  /** The kreplay that ran the search, and the model version it searched (core/versions.ts). */
  readonly kreplayVersion: string
  readonly model: number
  readonly trace: string
  readonly traceHash: string
  readonly variant: string
  readonly strategy: StrategyName
  readonly seed: number
  readonly depth: number
  /** The schedule budget, and whether the search went on after its first finding (`--all`). */
  readonly budget: number
  readonly all: boolean
  readonly shard: Shard | null
  /** Schedules that ran to their end (exhaustive: distinct interleavings). */
  readonly explored: number
  /** Exhaustive: runs cut short as redundant (sleep sets, spin-wait stutters). */
  readonly pruned: number
  /** Exhaustive: whether every schedule was covered. */
  readonly complete: boolean
  /** Stateful: states stored, matched, transitions, table bytes, and whether leaving the clock out was exact. */
  readonly states?: StateStats
  /**
   * Why the search ended: `interrupted` by Ctrl-C (SIGINT) or SIGTERM; `shards-missing` for
   * a merge of some of its shards; `plain-run`: not searched, the plain run already shows a
   * finding (`plainRun`), and replaying it is `kreplay run` with no schedule.
   */
  readonly stopped: 'finding' | 'budget' | 'time' | 'exhausted' | 'interrupted' | 'shards-missing' | 'plain-run'
  /** Counted finding kinds the plain run (the trace's seed, no delays) already shows. */
  readonly plainRun: readonly string[]
  /** Kinds not counted (`--new`). */
  readonly skipped: readonly string[]
  readonly findings: Tallies
  /** One shrunk counterexample per finding kind, from the first schedule that showed it. */
  readonly counterexamples: readonly ScheduleFile[]
}
