import {countedFindings} from '../counted-findings.ts'
import {runTarget, type ExploreTarget} from '../run-target.ts'
import type {SamplingStrategy} from './strategy.ts'
import {sortTallies, tallyKinds, type Tallies} from '../tally.ts'

/** Which schedules a sampling search runs, and when it stops. */
export interface SampleSearchOptions {
  /** Schedules k = first, first + stride, ... below `limit` (shards and workers split the index space). */
  readonly first: number
  readonly stride: number
  readonly limit: number
  /** Keep going after a finding, counting every kind. */
  readonly all: boolean
  /** Finding kinds not to count. */
  readonly skip: ReadonlySet<string>
  /**
   * Asked before each schedule: false stops the search (the time is up, or another
   * worker has found an earlier schedule). Also the place to report progress.
   */
  readonly keepGoing: (explored: number, next: number, found: number) => boolean
}

/** What a sampling search saw. */
export interface SampleOutcome {
  readonly explored: number
  readonly findings: Tallies
  /** Why it stopped: a finding (without --all), the schedule budget, or keepGoing said so. */
  readonly stopped: 'finding' | 'budget' | 'time'
  /** Schedules whose run ended at the target's step budget (partial runs). */
  readonly cut: number
}

/**
 * Runs schedules of a sampling strategy, in index order, until a finding (or, with
 * `all`, until the budget or time is spent), and tallies the counted finding kinds.
 * Deterministic given the options, apart from where keepGoing stops it.
 */
export function sampleSearch(target: ExploreTarget, strategy: SamplingStrategy, opts: SampleSearchOptions): SampleOutcome {
  const findings: Tallies = {}
  let explored = 0
  let found = 0
  let cut = 0
  for (let k = opts.first; k < opts.limit; k += opts.stride) {
    if (!opts.keepGoing(explored, k, found)) return {explored, findings: sortTallies(findings), stopped: 'time', cut}
    const {choices} = strategy.source(k)
    const run = runTarget(target, choices, {untimed: strategy.untimed})
    explored++
    if (run.result!.ended === 'step-budget') cut++
    const hits = countedFindings(run.result!, opts.skip)
    if (hits.length) {
      found++
      tallyKinds(findings, new Set(hits.map((f) => f.kind)), k)
      if (!opts.all) return {explored, findings: sortTallies(findings), stopped: 'finding', cut}
    }
  }
  return {explored, findings: sortTallies(findings), stopped: 'budget', cut}
}
