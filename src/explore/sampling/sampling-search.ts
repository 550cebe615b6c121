import type {FindingKind} from '../../core/result.ts'
import {firstIndex, lowerBest, stillUseful, type SharedState} from '../parallel/shared-state.ts'
import type {SearchClock} from '../progress.ts'
import type {ExploreTarget} from '../run-target.ts'
import {recordSchedule} from '../schedule/counterexample.ts'
import type {PartResult, PartSpec, RecordedSchedule, Search, SearchKind} from '../search.ts'
import {DEFAULT_DEPTH, makeStrategy, UNTIMED, type SamplingName} from './make-strategy.ts'
import {sampleSearch} from './sample-search.ts'
import type {SamplingStrategy} from './strategy.ts'

/** The default schedule budget of the sampling strategies. */
export const DEFAULT_BUDGET = 100_000

/**
 * A sampling search (random, pct, delay): schedule k is the run its strategy derives
 * from k. Shards and workers deal the indices: shard i of n runs k with k mod n = i, and
 * within it worker w of m every m-th of those. The strategy is made on first use (it
 * measures a default run) and kept, so the counterexample is recorded without remaking it.
 */
export class SamplingSearch implements Search {
  private made: SamplingStrategy | null = null

  constructor(
    private readonly target: ExploreTarget,
    private readonly spec: PartSpec,
  ) {}

  private get strategy(): SamplingStrategy {
    return (this.made ??= makeStrategy(this.spec.strategy as SamplingName, this.target, this.spec.seed, this.spec.depth, this.spec.plainSteps))
  }

  run(clock: SearchClock, shared: SharedState | null): PartResult {
    const {spec} = this
    const worker = spec.worker ?? 0
    const shardIndex = spec.shard?.index ?? 0
    const shardCount = spec.shard?.count ?? 1
    const out = sampleSearch(this.target, this.strategy, {
      first: shardIndex + worker * shardCount,
      stride: shardCount * (spec.workers ?? 1),
      limit: Math.min(spec.budget, 0x7fffffff),
      all: spec.all,
      skip: new Set(spec.skip),
      keepGoing: (explored, next, found) => stillUseful(shared, worker, explored, next, spec.all) && clock.tick(explored, found),
    })
    if (shared !== null && out.stopped === 'finding') lowerBest(shared, firstIndex(out.findings))
    return {explored: out.explored, pruned: 0, complete: false, stopped: out.stopped, findings: out.findings, lists: {}}
  }

  witness(_found: PartResult, index: number, kind: FindingKind): RecordedSchedule {
    return recordSchedule(this.target, this.strategy, index, kind)
  }
}

/** The search kind of a sampling strategy. */
export function samplingKind(name: SamplingName): SearchKind {
  return {
    untimed: UNTIMED[name],
    defaultDepth: DEFAULT_DEPTH[name],
    defaultBudget: DEFAULT_BUDGET,
    plan: () => Promise.resolve({}),
    create: (target, spec) => new SamplingSearch(target, spec),
    exploredUpTo: (spec, _parts, k) => {
      // Schedules of the shard with indices up to k: what a single thread would have run.
      const index = spec.shard?.index ?? 0
      const count = spec.shard?.count ?? 1
      return k < index ? 0 : Math.floor((k - index) / count) + 1
    },
  }
}
