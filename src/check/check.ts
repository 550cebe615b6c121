import {runScenario} from '../engine/run.ts'
import type {Variant} from '../engine/variant.ts'
import type {Scenario} from '../scenario/types.ts'
import {expectationFor} from '../scenario/expectation-for.ts'
import type {FoundKinds} from '../explore/finding-search.ts'
import {problemsWith} from './expectation.ts'

/** One trace × variant verdict of `kreplay check`. */
export interface CheckOutcome {
  readonly trace: string
  readonly variant: string
  readonly by: 'run' | 'explore'
  readonly ok: boolean
  /** The finding kinds the check judged. */
  readonly found: readonly string[]
  /** One line per contradiction; empty when ok. */
  readonly problems: readonly string[]
}

/**
 * Searches schedules of a trace × variant for findings, each run within `stepBudget`
 * steps (else the engine's budget); returns the finding kinds found. Supplied by the
 * explorer, so that `by: explore` expectations are checked by search.
 */
export type FindingSearch = (s: Scenario, v: Variant, stepBudget?: number) => FoundKinds

/**
 * Checks a trace's expectations against each variant that has one. A `by: run`
 * expectation is judged on one seeded run: exactly the expected findings, and every
 * metric comparison. A `by: explore` expectation is judged on what schedule search finds
 * (its metrics on the seeded run). A run that ends at the step budget (`stepBudget`, else
 * the engine's) is partial, so nothing can be judged on it: that is the one problem; a
 * search with such runs among its schedules cannot be judged either.
 */
export function checkTrace(s: Scenario, variants: readonly Variant[], search: FindingSearch, stepBudget?: number): CheckOutcome[] {
  const out: CheckOutcome[] = []
  for (const v of variants) {
    const e = expectationFor(s, v.meta.id)
    if (!e) continue
    const {result} = runScenario(s, v, {stepBudget})
    if (result.ended === 'step-budget') {
      const steps = result.metrics.steps.toLocaleString('en-US')
      const problem = `the run ended at the step budget (${steps} steps), before the trace's horizon: nothing can be judged on a partial run; raise --max-steps`
      out.push({trace: s.name, variant: v.meta.id, by: e.by, ok: false, found: [], problems: [problem]})
      continue
    }
    const searched = e.by === 'explore' ? search(s, v, stepBudget) : null
    if (searched !== null && searched.cut > 0) {
      const problem = `${searched.cut.toLocaleString('en-US')} of the searched schedules ended at the step budget, before the trace's horizon: nothing can be judged on a search of partial runs; raise --max-steps`
      out.push({trace: s.name, variant: v.meta.id, by: e.by, ok: false, found: [], problems: [problem]})
      continue
    }
    const found = searched?.kinds ?? new Set(result.findings.map((f) => f.kind))
    const problems = problemsWith(e, found, result)
    out.push({trace: s.name, variant: v.meta.id, by: e.by, ok: !problems.length, found: [...found].sort(), problems})
  }
  return out
}

/** Expect keys that name no known variant (a typo would otherwise silently check nothing). */
export function unknownExpectKeys(s: Scenario, known: readonly string[]): string[] {
  return Object.keys(s.expect).filter((k) => k !== 'default' && !known.includes(k))
}
