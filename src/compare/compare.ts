/**
 * The comparison matrix: every trace against every variant over a set of seeds. A pure
 * function of its inputs (the engine is deterministic), so the same inputs give the same
 * Comparison, in the same order, every time.
 */
import {InputError} from '../core/input-error.ts'
import {FINDING_KINDS, type FindingKind, type RunResult} from '../core/result.ts'
import {runScenario, type RunOutput} from '../engine/run.ts'
import type {Variant} from '../engine/variant.ts'
import {exploreFindingSearch} from '../explore/finding-search.ts'
import {expectationFor} from '../scenario/expectation-for.ts'
import {isResized} from '../scenario/resize.ts'
import {shippedTraceFiles, traceName} from '../scenario/shipped.ts'
import type {Scenario} from '../scenario/types.ts'
import {shippedVariantId} from '../variants/registry.ts'
import {aggregate, type Aggregate} from './aggregate.ts'
import {defaultWorkers, runPool} from './worker-pool.ts'

/**
 * Which seeds to run: `count` consecutive seeds starting at `first`, or at the trace's own
 * seed when `first` is absent (`--seeds N`: trace.seed .. trace.seed+N-1; `--seed S`:
 * first S, count 1; neither: the trace's seed alone).
 */
export interface SeedPlan {
  readonly first?: number
  readonly count: number
}

/** The seeds `plan` runs for `scenario`, in order. */
export function seedsFor(scenario: Scenario, plan: SeedPlan): number[] {
  const first = plan.first ?? scenario.seed
  return Array.from({length: plan.count}, (_, i) => first + i)
}

/**
 * Which cells a comparison also searches for schedules that show a finding (the bounded,
 * deterministic search `kreplay check` uses, explore/finding-search.ts): `expected`, the
 * cells whose trace leaves a finding to search (`by: explore` in its expect: for the
 * variant, or in `default`), whatever that search then finds or not; `all`, every cell;
 * `none`, no cell (the seeded runs alone).
 */
export type SearchPlan = 'expected' | 'all' | 'none'

/** One trace × one variant: its runs, in seed order, and what they add up to. */
export interface Cell {
  readonly variant: string
  readonly runs: readonly RunResult[]
  readonly aggregate: Aggregate
  /**
   * The finding kinds schedule search found (those of the plain run at the trace's seed
   * included), in contract order; null when the cell was not searched (SearchPlan).
   */
  readonly searched: readonly FindingKind[] | null
}

/** One trace against every variant, cells in the order the variants were given. */
export interface TraceRow {
  readonly trace: string
  /**
   * What `kreplay explore` takes to search this trace as it ran here: its shipped name, or
   * its file; null when explore cannot load it so (a resized trace, a kernel capture).
   */
  readonly replay: string | null
  readonly title: string
  readonly cpus: number
  readonly seeds: readonly number[]
  readonly cells: readonly Cell[]
}

/** The whole matrix: traces in the order given, each with one cell per variant. */
export interface Comparison {
  readonly variants: readonly string[]
  readonly traces: readonly TraceRow[]
}

/** Options of a comparison. */
export interface CompareOptions {
  /** Default: the trace's own seed alone. */
  readonly seeds?: SeedPlan
  /** Called after every run with how many are done and how many there are in all. */
  readonly onRun?: (done: number, total: number) => void
  /** Default `none`. */
  readonly search?: SearchPlan
}

/**
 * What a caller keeps of the first seed of each cell, run with its event log (module
 * operations included): `viewer` makes it from the run's output in the thread that ran
 * it (a worker thread imports it as the default export of `module`), so that only the view
 * crosses between threads, not the log (millions of lines for a report of every shipped
 * trace); `onView` gets each cell's view in the order of a loop over traces and variants.
 */
export interface FirstSeedViews<V> {
  readonly viewer: RunViewer<V>
  /** The module whose default export is `viewer`. */
  readonly module: URL
  readonly onView: (view: V, scenario: Scenario, variant: Variant) => void
}

/** What a FirstSeedViews module exports by default: a logged run's output, made into what the caller keeps. */
export type RunViewer<V> = (output: RunOutput, scenario: Scenario) => V

/** What a seeded run of a comparison gives back: its result, and the view of a logged one. */
export interface RunReply {
  readonly result: RunResult
  readonly view?: unknown
}

/** One run of a comparison: indices into its scenarios and variants, the seed, and whether it is logged. */
export interface RunJob {
  readonly scenario: number
  readonly variant: number
  readonly seed: number
  readonly logged: boolean
}

/** A schedule search of one trace × variant: indices into the comparison's scenarios and variants. */
export interface CellSearch {
  readonly search: true
  readonly scenario: number
  readonly variant: number
}

/** The cells `plan` searches, in trace order and, within a trace, variant order. */
function planSearches(scenarios: readonly Scenario[], variants: readonly Variant[], plan: SearchPlan): CellSearch[] {
  if (plan === 'none') return []
  return scenarios.flatMap((s, scenario) =>
    variants.flatMap((v, variant) => (plan === 'all' || expectationFor(s, v.meta.id)?.by === 'explore' ? [{search: true as const, scenario, variant}] : [])),
  )
}

/** Runs one search job: the finding kinds found, in contract order. */
export function runCellSearch(scenarios: readonly Scenario[], variants: readonly Variant[], job: CellSearch): FindingKind[] {
  const found = exploreFindingSearch()(scenarios[job.scenario], variants[job.variant]).kinds
  return FINDING_KINDS.filter((k) => found.has(k))
}

/** The runs of a comparison, in the order a loop over traces, variants and seeds makes them; with `logFirstSeed`, each cell's first seed is logged. */
function planRuns(scenarios: readonly Scenario[], variants: readonly Variant[], options: CompareOptions, logFirstSeed: boolean): RunJob[] {
  const ids = variants.map((v) => v.meta.id)
  const twice = ids.find((id, i) => ids.indexOf(id) !== i)
  if (twice !== undefined) throw new InputError(`variant "${twice}" is given twice (two variants with that id)`)
  const plan = options.seeds ?? {count: 1}
  if (!Number.isInteger(plan.count) || plan.count < 1) throw new InputError(`the number of seeds must be a positive integer, got ${plan.count}`)
  return scenarios.flatMap((scenario, si) =>
    variants.flatMap((_, vi) => seedsFor(scenario, plan).map((seed, i): RunJob => ({scenario: si, variant: vi, seed, logged: logFirstSeed && i === 0}))),
  )
}

/** Runs one seeded run of a comparison (in this thread or a worker's, compare-worker.ts); a logged one is made into its view by `viewer`. */
export function runJob(scenarios: readonly Scenario[], variants: readonly Variant[], job: RunJob, viewer: RunViewer<unknown> | null): RunReply {
  const scenario = scenarios[job.scenario]
  const output = runScenario(scenario, variants[job.variant], {seed: job.seed, log: job.logged, logOps: job.logged})
  return job.logged && viewer !== null ? {result: output.result, view: viewer(output, scenario)} : {result: output.result}
}

/** TraceRow.replay of a scenario. */
function replayArg(s: Scenario): string | null {
  if (s.file === null || isResized(s.name) || !/\.(ya?ml|json)$/.test(s.file)) return null
  return shippedTraceFiles().includes(s.file) ? traceName(s.file) : s.file
}

/** The matrix of the results of `jobs` (planRuns' order) and of `searches` (planSearches' order). */
function assemble(
  scenarios: readonly Scenario[],
  variants: readonly Variant[],
  plan: SeedPlan,
  results: readonly RunResult[],
  searches: readonly CellSearch[],
  found: readonly (readonly FindingKind[])[],
): Comparison {
  let next = 0
  const traces = scenarios.map((scenario, si): TraceRow => {
    const seeds = seedsFor(scenario, plan)
    const cells = variants.map((variant, vi): Cell => {
      const runs = results.slice(next, (next += seeds.length))
      const searched = searches.findIndex((j) => j.scenario === si && j.variant === vi)
      return {variant: variant.meta.id, runs, aggregate: aggregate(runs), searched: searched < 0 ? null : found[searched]}
    })
    return {trace: scenario.name, replay: replayArg(scenario), title: scenario.title, cpus: scenario.machine.cpus, seeds, cells}
  })
  return {variants: variants.map((v) => v.meta.id), traces}
}

/**
 * Run every scenario against every variant for every seed of the plan, in this thread.
 * Variants are told apart by `meta.id`, which must be unique (an InputError otherwise).
 * Errors of a run (a VariantError from a variant that breaks the kernel API's rules)
 * propagate.
 */
export function runComparison(scenarios: readonly Scenario[], variants: readonly Variant[], options: CompareOptions = {}): Comparison {
  const jobs = planRuns(scenarios, variants, options, false)
  const searches = planSearches(scenarios, variants, options.search ?? 'none')
  const found = searches.map((job) => runCellSearch(scenarios, variants, job))
  const results = jobs.map((job, i) => {
    const {result} = runJob(scenarios, variants, job, null)
    options.onRun?.(searches.length + i + 1, searches.length + jobs.length)
    return result
  })
  return assemble(scenarios, variants, options.seeds ?? {count: 1}, results, searches, found)
}

/**
 * runComparison spread over worker threads (worker-pool.ts) when it takes long enough to
 * pay for them, with the same result; with `views`, each cell's first seed runs logged and
 * `views.onView` gets its view, in the same order whichever thread ran it.
 * Only variants that worker threads can load themselves go there: shipped ones
 * (variantFile); with any other, or with `workers` 0, every run stays in this thread, so
 * that a user's variant file is watched as in any command (src/cli/watch.ts).
 */
export async function runComparisonInParallel<V = never>(
  scenarios: readonly Scenario[],
  variants: readonly Variant[],
  options: CompareOptions & {readonly views?: FirstSeedViews<V>; readonly workers?: number; readonly workersAfterMs?: number} = {},
): Promise<Comparison> {
  const views = options.views
  const runs = planRuns(scenarios, variants, options, views !== undefined)
  const searches = planSearches(scenarios, variants, options.search ?? 'none')
  // The searches first: each is long, and the runs then fill the threads as they end.
  const jobs: CompareJob[] = [...searches, ...runs]
  const ids = variants.map(shippedVariantId)
  const workers = ids.every((f) => f !== undefined) ? (options.workers ?? defaultWorkers()) : 0
  const outputs = await runPool({
    jobs,
    run: (job) => runCompareJob(scenarios, variants, job, views?.viewer ?? null),
    worker: new URL('./compare-worker.ts', import.meta.url),
    data: {scenarios, variants: ids, viewer: views?.module.href ?? null},
    workers,
    // Searches, and many seeds, are known to be long: the threads start at once.
    workersAfterMs: options.workersAfterMs ?? (searches.length > 0 || (options.seeds?.count ?? 1) > 1 ? 0 : undefined),
    onResult: (output, i) => {
      const job = jobs[i]
      if (views !== undefined && !('search' in job) && job.logged) views.onView((output as RunReply).view as V, scenarios[job.scenario], variants[job.variant])
    },
    onDone: options.onRun,
  })
  const found = outputs.slice(0, searches.length) as FindingKind[][]
  const results = (outputs.slice(searches.length) as RunReply[]).map((o) => o.result)
  return assemble(scenarios, variants, options.seeds ?? {count: 1}, results, searches, found)
}

/** A job of a comparison: one seeded run, or one cell's schedule search. */
export type CompareJob = RunJob | CellSearch

/** Runs one job of a comparison (in this thread or a worker's): the run's reply, or the kinds the search found. */
export function runCompareJob(scenarios: readonly Scenario[], variants: readonly Variant[], job: CompareJob, viewer: RunViewer<unknown> | null): RunReply | FindingKind[] {
  return 'search' in job ? runCellSearch(scenarios, variants, job) : runJob(scenarios, variants, job, viewer)
}
