import {defaultWorkers, runPool} from '../compare/worker-pool.ts'
import type {Variant} from '../engine/variant.ts'
import {exploreFindingSearch} from '../explore/finding-search.ts'
import type {Scenario} from '../scenario/types.ts'
import {shippedVariantId} from '../variants/registry.ts'
import {InputError} from '../core/input-error.ts'
import {didYouMean} from '../scenario/did-you-mean.ts'
import {traceErrorIn} from '../scenario/load.ts'
import {checkTrace, unknownExpectKeys, type CheckOutcome} from './check.ts'
import {expectationFor} from '../scenario/expectation-for.ts'

/** One trace × variant of a check: indices into its traces and variants. */
export interface CheckJob {
  readonly trace: number
  readonly variant: number
}

/** How a check runs: worker threads at most (default: defaultWorkers()), and each run's step budget (default the engine's). */
export interface CheckOptions {
  readonly workers?: number
  readonly stepBudget?: number
}

/** Judges one job (in this thread or a worker's, check-worker.ts): its outcome. */
export function runCheckJob(traces: readonly Scenario[], variants: readonly Variant[], job: CheckJob, stepBudget?: number): CheckOutcome {
  return checkTrace(traces[job.trace], [variants[job.variant]], exploreFindingSearch(), stepBudget)[0]
}

/** The error for expect: keys naming variants not run: at the first one's line and column when the trace came from a file. */
function unknownVariantError(s: Scenario, unknown: readonly string[], known: readonly string[]): Error {
  const guess = didYouMean(unknown[0], known)
  const reason = `names unknown variant(s) ${unknown.join(', ')}${guess === undefined ? '' : ` (did you mean ${guess}?)`}; known: ${known.join(', ')}`
  return (s.file === null ? null : traceErrorIn(s.file, ['expect', unknown[0]], reason, true)) ?? new InputError(`${s.name}: expect ${reason}`)
}

/**
 * Checks each trace file against each variant its expect: block names (checkTrace),
 * calling `onOutcome` in trace order and, within a trace, in variant order, as a loop
 * would. The traces are loaded first, in order; the first that fails to load, or whose
 * expect: names a variant not given (an InputError), is thrown after the outcomes of the
 * traces before it. The runs and searches are spread over worker threads (worker-pool.ts)
 * when they take long enough, unless a variant is not a shipped one: a user's file stays
 * in this thread, where it is watched (src/cli/watch.ts).
 */
export async function checkAll(
  files: readonly string[],
  load: (file: string) => Scenario,
  variants: readonly Variant[],
  onOutcome: (o: CheckOutcome) => void,
  {workers = defaultWorkers(), stepBudget}: CheckOptions = {},
): Promise<void> {
  const known = variants.map((v) => v.meta.id)
  const traces: Scenario[] = []
  let bad: Error | null = null
  try {
    for (const file of files) {
      const s = load(file)
      const unknown = unknownExpectKeys(s, known)
      if (unknown.length) throw unknownVariantError(s, unknown, known)
      traces.push(s)
    }
  } catch (err) {
    bad = err instanceof Error ? err : new Error(String(err))
  }
  const jobs = traces.flatMap((s, trace) => variants.flatMap((v, variant) => (expectationFor(s, v.meta.id) ? [{trace, variant}] : [])))
  const variantIds = variants.map(shippedVariantId)
  await runPool({
    jobs,
    run: (job) => runCheckJob(traces, variants, job, stepBudget),
    worker: new URL('./check-worker.ts', import.meta.url),
    data: {traces, variants: variantIds, stepBudget},
    workers: variantIds.every((f) => f !== undefined) ? workers : 0,
    onResult: onOutcome,
  })
  if (bad !== null) throw bad
}
