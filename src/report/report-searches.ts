/**
 * The schedule searches of `report --explore`, one per trace × variant, spread over worker
 * threads as the comparison's runs are (compare/worker-pool.ts): each search is a pure
 * function of its trace, variant and options, so the results, used in job order, are the
 * same whichever thread ran them.
 */
import {runPool, defaultWorkers} from '../compare/worker-pool.ts'
import type {Variant} from '../engine/variant.ts'
import {exploreLoaded} from '../explore/explore.ts'
import type {ExploreResult, StrategyName} from '../explore/explore-result.ts'
import type {Scenario} from '../scenario/types.ts'
import {shippedVariantId} from '../variants/registry.ts'

/** One search: indices into the traces and variants, and its schedule budget. */
export interface SearchJob {
  readonly trace: number
  readonly variant: number
  readonly budget: number
}

/** What every search shares: the traces and variants (with the arguments that name them) and the strategy. */
export interface SearchSetup {
  readonly traces: readonly {readonly scenario: Scenario; readonly arg: string}[]
  readonly variants: readonly {readonly variant: Variant; readonly arg: string}[]
  readonly strategy: StrategyName
  /** Wall-clock limit per search, ms, or null. */
  readonly timeMs: number | null
}

/** How runSearches runs. */
export interface SearchOptions {
  /** Once aborted, no further search starts (those not started are null). */
  readonly stop?: AbortSignal
  /** Called as each search ends, in whatever order they do. */
  readonly onDone?: (done: number, total: number) => void
  /** Worker threads at most (default: defaultWorkers()). */
  readonly workers?: number
  /** This thread searches alone for this long first (default: the pool's). */
  readonly workersAfterMs?: number
}

/** Runs one search in this thread (or a worker's, search-worker.ts). */
export function runSearch(setup: SearchSetup, job: SearchJob): ExploreResult {
  const t = setup.traces[job.trace]
  const v = setup.variants[job.variant]
  return exploreLoaded({scenario: t.scenario, variant: v.variant}, {trace: t.arg, variant: v.arg, strategy: setup.strategy, budget: job.budget, timeMs: setup.timeMs}).result
}

/**
 * Runs every search and returns the results in job order; a search not started because
 * `stop` was aborted is null. Worker threads join once the searches take long enough, and
 * only when every variant is shipped (a user's variant file stays in the watched thread,
 * as in runComparisonInParallel); `KREPLAY_WORKERS=0` keeps them all in this thread.
 */
export async function runSearches(setup: SearchSetup, jobs: readonly SearchJob[], opts: SearchOptions = {}): Promise<(ExploreResult | null)[]> {
  const ids = setup.variants.map((v) => shippedVariantId(v.variant))
  const workers = ids.every((id) => id !== undefined) ? (opts.workers ?? defaultWorkers()) : 0
  return runPool<SearchJob, ExploreResult | null>({
    jobs,
    run: (job) => (opts.stop?.aborted ? null : runSearch(setup, job)),
    worker: new URL('./search-worker.ts', import.meta.url),
    data: {scenarios: setup.traces.map((t) => t.scenario), traceArgs: setup.traces.map((t) => t.arg), variants: ids, variantArgs: setup.variants.map((v) => v.arg), strategy: setup.strategy, timeMs: setup.timeMs},
    workers,
    workersAfterMs: opts.workersAfterMs,
    yieldBetweenJobs: true,
    onDone: opts.onDone,
  })
}
