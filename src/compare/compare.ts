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
import {aggregate, type Aggregate} from './aggregate.ts'

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

/**
 * Run every scenario against every variant for every seed of the plan. Variants are told
 * apart by `meta.id`, which must be unique (an InputError otherwise). Errors of a run (a
 * VariantError from a variant that breaks the kernel API's rules) propagate.
 */
export function runComparison(scenarios: readonly Scenario[], variants: readonly Variant[], options: CompareOptions = {}): Comparison {
  const ids = variants.map((v) => v.meta.id)
  const twice = ids.find((id, i) => ids.indexOf(id) !== i)
  if (twice !== undefined) throw new InputError(`variant "${twice}" is given twice (two variants with that id)`)
  const plan = options.seeds ?? {count: 1}
  if (!Number.isInteger(plan.count) || plan.count < 1) throw new InputError(`the number of seeds must be a positive integer, got ${plan.count}`)
  const total = scenarios.length * variants.length * plan.count
  let done = 0
  const traces = scenarios.map((scenario): TraceRow => {
    const seeds = seedsFor(scenario, plan)
    const cells = variants.map((variant): Cell => {
      const runs = seeds.map((seed, i) => {
        const logged = options.logFirstSeed === true && i === 0
        const output = runScenario(scenario, variant, {seed, log: logged, logOps: logged})
        options.onOutput?.(output, scenario, variant, i)
        options.onRun?.(++done, total)
        return output.result
      })
      return {variant: variant.meta.id, runs, aggregate: aggregate(runs)}
    })
    return {trace: scenario.name, title: scenario.title, cpus: scenario.machine.cpus, seeds, cells}
  })
  return {variants: ids, traces}
}
