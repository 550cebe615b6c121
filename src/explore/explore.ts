import {KREPLAY_VERSION, MODEL_VERSION} from '../core/versions.ts'
import {runScenario} from '../engine/run.ts'
import type {FindingKind} from '../core/result.ts'
import {loadTraceArg} from '../scenario/shipped.ts'
import {traceLimitsOf} from './search.ts'
import {loadVariant} from '../variants/registry.ts'
import {countedFindings} from './counted-findings.ts'
import type {ExploreResult, Shard, StrategyName} from './explore-result.ts'
import {runParts} from './parallel/workers.ts'
import {SearchClock, type Progress} from './progress.ts'
import type {ExploreTarget} from './run-target.ts'
import type {Scenario} from '../scenario/types.ts'
import {makeCounterexample} from './schedule/counterexample.ts'
import {traceHash} from './schedule/trace-hash.ts'
import type {PartResult, PartSpec, Search} from './search.ts'
import {SEARCHES} from './searches.ts'

/** A schedule search, as `kreplay explore` takes it. */
export interface ExploreOptions {
  /** A trace file or a shipped trace name. */
  readonly trace: string
  /** A shipped variant id or a variant file. */
  readonly variant: string
  readonly strategy: StrategyName
  /** Schedules at most (indices below it, across all shards); default 100,000 (exhaustive: no limit). */
  readonly budget?: number
  /** Wall-clock limit, ms; default none. */
  readonly timeMs?: number | null
  /** PCT's bug depth, the delay bound (default per strategy); unused by exhaustive. */
  readonly depth?: number
  /** The search's seed; default the trace's. */
  readonly seed?: number
  /** Worker threads; default 1 (in this thread). */
  readonly workers?: number
  readonly shard?: Shard | null
  /** Keep going after the first finding and count every kind. */
  readonly all?: boolean
  /** Do not count finding kinds the plain run already shows. */
  readonly newOnly?: boolean
  /** Stateful: states stored at most. */
  readonly maxStates?: number
  /** MiB the trace may be estimated to need (--max-memory); default the loader's. */
  readonly maxMemoryMb?: number
  /**
   * Without `all` or `newOnly`: when the plain run (the trace's seed, no delays) already
   * shows a counted finding, search nothing and say so (`stopped: "plain-run"`): that run
   * is the counterexample, and `kreplay run` replays it.
   */
  readonly plainFirst?: boolean
  /** Called now and then with the search's progress (on the thread that runs it). */
  readonly progress?: (p: Progress) => void
  /**
   * Ends the search early when aborted (Ctrl-C), with what it found so far (`stopped:
   * "interrupted"`). Given one, the search runs in worker threads even with one worker,
   * so that this thread's event loop stays free to see the abort.
   */
  readonly stop?: AbortSignal
}

/** A finished search: its result, and how long it took (wall clock, not part of the result). */
export interface ExploreRun {
  readonly result: ExploreResult
  readonly elapsedMs: number
  /** Of which searching (the rest: the plain run, probes, shrinking). */
  readonly searchMs: number
}

/**
 * Searches the schedules of a trace × variant for findings (counted-findings.ts), then
 * shrinks the first schedule of each kind found into a counterexample. The result is a
 * pure function of the options, except where a time limit cuts the search.
 */
export async function explore(opts: ExploreOptions): Promise<ExploreRun> {
  const t0 = performance.now()
  const target: ExploreTarget = {scenario: loadTraceArg(opts.trace, traceLimitsOf(opts)), variant: await loadVariant(opts.variant)}
  const plan = planSearch(target, opts, t0)
  if ('done' in plan) return plan.done
  const workers = Math.max(1, opts.workers ?? 1)
  if (workers === 1 && opts.stop === undefined) return plan.finish(plan.search.run(new SearchClock(plan.spec.timeMs, opts.progress ?? null), null))
  return plan.finish(await runParts(plan.spec, workers, opts.progress ?? null, opts.stop))
}

/**
 * explore() of a trace and variant already loaded, in this thread (`workers` and `stop`
 * are not used): the same result as explore() with the same options. `opts.trace` and
 * `opts.variant` are only recorded; `target` is what is searched.
 */
export function exploreLoaded(target: ExploreTarget, opts: ExploreOptions): ExploreRun {
  const plan = planSearch(target, opts, performance.now())
  if ('done' in plan) return plan.done
  return plan.finish(plan.search.run(new SearchClock(plan.spec.timeMs, opts.progress ?? null), null))
}

/** A search ready to run: its spec and this thread's search, and what makes the result of its part. */
type SearchPlan = {readonly done: ExploreRun} | {readonly spec: PartSpec; readonly search: Search; readonly finish: (part: PartResult) => ExploreRun}

/** The plain run, the spec, and (unless the plain run already answers) the search to run. */
function planSearch(target: ExploreTarget, opts: ExploreOptions, t0: number): SearchPlan {
  const {scenario, variant} = target
  const seed = opts.seed ?? scenario.seed
  const kind = SEARCHES[opts.strategy]
  const depth = opts.depth ?? kind.defaultDepth
  const plain = runScenario(scenario, variant).result
  const plainKinds = [...new Set(countedFindings(plain, new Set()).map((f) => f.kind))].sort()
  const skip = opts.newOnly ? plainKinds : []
  const spec: PartSpec = {
    trace: opts.trace,
    variant: opts.variant,
    strategy: opts.strategy,
    seed,
    depth,
    plainSteps: plain.metrics.steps,
    budget: opts.budget ?? kind.defaultBudget,
    shard: opts.shard ?? null,
    all: opts.all ?? false,
    skip,
    timeMs: opts.timeMs ?? null,
    ...(opts.maxStates === undefined ? {} : {maxStates: opts.maxStates}),
    ...(opts.maxMemoryMb === undefined ? {} : {maxMemoryMb: opts.maxMemoryMb}),
  }
  if (opts.plainFirst && !spec.all && !opts.newOnly && plainKinds.length > 0) {
    const result = exploreResult(scenario, variant.meta.id, opts, spec, {explored: 0, pruned: 0, complete: false, stopped: 'plain-run', findings: {}, lists: {}}, plainKinds, [])
    return {done: {result, elapsedMs: performance.now() - t0, searchMs: 0}}
  }
  const s0 = performance.now()
  // This thread's search also records the counterexamples (with workers, its strategy is made only then).
  const search = kind.create(target, spec)
  const finish = (searched: PartResult): ExploreRun => {
    const part: PartResult = opts.stop?.aborted && searched.stopped === 'time' ? {...searched, stopped: 'interrupted'} : searched
    const searchMs = performance.now() - s0
    const skipSet = new Set(skip)
    const counterexamples = Object.entries(part.findings).map(([found, tally]) => {
      const recorded = search.witness(part, tally.first, found as FindingKind)
      return makeCounterexample(target, opts.strategy, tally.first, found as FindingKind, recorded, skipSet)
    })
    const result = exploreResult(scenario, variant.meta.id, opts, spec, part, plainKinds, counterexamples)
    return {result, elapsedMs: performance.now() - t0, searchMs}
  }
  return {spec, search, finish}
}

/** The result of a search, keys in ExploreResult order. */
function exploreResult(scenario: Scenario, variant: string, opts: ExploreOptions, spec: PartSpec, part: Omit<PartResult, 'stopped'> & {stopped: ExploreResult['stopped']}, plainKinds: string[], counterexamples: ExploreResult['counterexamples']): ExploreResult {
  return {
    kreplay: 'explore',
    version: 1,
    kreplayVersion: KREPLAY_VERSION,
    model: MODEL_VERSION,
    trace: scenario.name,
    traceHash: traceHash(scenario),
    variant,
    strategy: opts.strategy,
    seed: spec.seed,
    depth: spec.depth,
    budget: spec.budget,
    all: spec.all,
    shard: opts.shard ?? null,
    explored: part.explored,
    pruned: part.pruned,
    complete: part.complete,
    ...(part.states === undefined ? {} : {states: part.states}),
    stopped: part.stopped,
    plainRun: plainKinds,
    skipped: [...spec.skip],
    findings: part.findings,
    counterexamples,
  }
}
