/**
 * The comparison matrix: every trace against every variant over a set of seeds. A pure
 * function of its inputs (the engine is deterministic), so the same inputs give the same
 * Comparison, in the same order, every time.
 */
import {InputError} from '../core/input-error.ts'
import {runScenario, type RunOutput} from '../engine/run.ts'
import type {Variant} from '../engine/variant.ts'
import type {RunResult} from '../core/result.ts'
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

/** One trace × one variant: its runs, in seed order, and what they add up to. */
export interface Cell {
  readonly variant: string
  readonly runs: readonly RunResult[]
  readonly aggregate: Aggregate
}

/** One trace against every variant, cells in the order the variants were given. */
export interface TraceRow {
  readonly trace: string
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
  /**
   * Called with every run's output, before the next run. With `logFirstSeed`, the first
   * seed of each cell runs with its event log, module operations included (for reports
   * that draw it); the other runs, and every run without it, carry no log.
   */
  readonly onOutput?: (output: RunOutput, scenario: Scenario, variant: Variant, seedIndex: number) => void
  readonly logFirstSeed?: boolean
}

/** One run of a comparison: indices into its scenarios and variants, the seed, and whether it is logged. */
export interface RunJob {
  readonly scenario: number
  readonly variant: number
  readonly seedIndex: number
  readonly seed: number
  readonly logged: boolean
}

/** The runs of a comparison, in the order a loop over traces, variants and seeds makes them. */
function planRuns(scenarios: readonly Scenario[], variants: readonly Variant[], options: CompareOptions): RunJob[] {
  const ids = variants.map((v) => v.meta.id)
  const twice = ids.find((id, i) => ids.indexOf(id) !== i)
  if (twice !== undefined) throw new InputError(`variant "${twice}" is given twice (two variants with that id)`)
  const plan = options.seeds ?? {count: 1}
  if (!Number.isInteger(plan.count) || plan.count < 1) throw new InputError(`the number of seeds must be a positive integer, got ${plan.count}`)
  return scenarios.flatMap((scenario, si) =>
    variants.flatMap((_, vi) => seedsFor(scenario, plan).map((seed, i): RunJob => ({scenario: si, variant: vi, seedIndex: i, seed, logged: options.logFirstSeed === true && i === 0}))),
  )
}

/** Runs one job of a comparison (in this thread or a worker's, compare-worker.ts). */
export function runJob(scenarios: readonly Scenario[], variants: readonly Variant[], job: RunJob): RunOutput {
  return runScenario(scenarios[job.scenario], variants[job.variant], {seed: job.seed, log: job.logged, logOps: job.logged})
}

/** The matrix of the results of `jobs` (planRuns' order). */
function assemble(scenarios: readonly Scenario[], variants: readonly Variant[], plan: SeedPlan, results: readonly RunResult[]): Comparison {
  let next = 0
  const traces = scenarios.map((scenario): TraceRow => {
    const seeds = seedsFor(scenario, plan)
    const cells = variants.map((variant): Cell => {
      const runs = results.slice(next, (next += seeds.length))
      return {variant: variant.meta.id, runs, aggregate: aggregate(runs)}
    })
    return {trace: scenario.name, title: scenario.title, cpus: scenario.machine.cpus, seeds, cells}
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
  const jobs = planRuns(scenarios, variants, options)
  const results = jobs.map((job, i) => {
    const output = runJob(scenarios, variants, job)
    options.onOutput?.(output, scenarios[job.scenario], variants[job.variant], job.seedIndex)
    options.onRun?.(i + 1, jobs.length)
    return output.result
  })
  return assemble(scenarios, variants, options.seeds ?? {count: 1}, results)
}

/**
 * runComparison spread over worker threads (worker-pool.ts) when it takes long enough to
 * pay for them, with the same result and the same calls of `onOutput`, in the same order.
 * Only variants that worker threads can load themselves go there: shipped ones
 * (variantFile); with any other, or with `workers` 0, every run stays in this thread, so
 * that a user's variant file is watched as in any command (src/cli/watch.ts).
 */
export async function runComparisonInParallel(
  scenarios: readonly Scenario[],
  variants: readonly Variant[],
  options: CompareOptions & {readonly workers?: number; readonly workersAfterMs?: number} = {},
): Promise<Comparison> {
  const jobs = planRuns(scenarios, variants, options)
  const ids = variants.map(shippedVariantId)
  const workers = ids.every((f) => f !== undefined) ? (options.workers ?? defaultWorkers()) : 0
  const outputs = await runPool({
    jobs,
    run: (job) => runJob(scenarios, variants, job),
    worker: new URL('./compare-worker.ts', import.meta.url),
    data: {scenarios, variants: ids},
    workers,
    workersAfterMs: options.workersAfterMs,
    onResult: (output, i) => options.onOutput?.(output, scenarios[jobs[i].scenario], variants[jobs[i].variant], jobs[i].seedIndex),
    onDone: options.onRun,
  })
  return assemble(scenarios, variants, options.seeds ?? {count: 1}, outputs.map((o) => o.result))
}
