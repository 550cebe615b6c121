import {runScenario} from '../engine/run.ts'
import type {Variant} from '../engine/variant.ts'
import type {Scenario} from '../scenario/types.ts'
import {PctStrategy} from './sampling/pct-strategy.ts'
import {RandomStrategy} from './sampling/random-strategy.ts'
import {sampleSearch} from './sampling/sample-search.ts'
import type {SamplingStrategy} from './sampling/strategy.ts'

/** How much a finding search may spend per trace × variant. */
export interface FindingSearchBudget {
  /** Simulated steps over all its schedules (default 5,000,000: well under a second of runs). */
  readonly steps?: number
  /** Schedules per strategy at most (default 4,000). */
  readonly schedules?: number
}

/** What a finding search saw: the finding kinds, and how many of its runs ended at the step budget. */
export interface FoundKinds {
  readonly kinds: ReadonlySet<string>
  /** Runs cut short by the step budget (their findings count, but a kind missing may be one they never reached). */
  readonly cut: number
}

/**
 * A schedule search for `kreplay check`'s `by: explore` expectations
 * (src/check/check.ts, FindingSearch): the finding kinds of the plain run, plus every
 * kind a PCT search (depth 3) and a random search with delays find (counted-findings.ts),
 * each over as many schedules as the step budget allows for the trace's size; every run
 * (the plain one included) within `stepBudget` steps, else the engine's budget.
 * Deterministic: the same trace and variant always give the same kinds.
 */
export function exploreFindingSearch(budget: FindingSearchBudget = {}) {
  return (s: Scenario, v: Variant, stepBudget?: number): FoundKinds => {
    const plain = runScenario(s, v, {stepBudget}).result
    const found = new Set<string>(plain.findings.map((f) => f.kind))
    let cut = plain.ended === 'step-budget' ? 1 : 0
    const steps = Math.max(1, plain.metrics.steps)
    const schedules = Math.max(1, Math.min(budget.schedules ?? 4000, Math.floor((budget.steps ?? 5_000_000) / 2 / steps)))
    const target = {scenario: s, variant: v, stepBudget}
    const strategies: SamplingStrategy[] = [new PctStrategy(s.seed, s.seed, steps, 3), new RandomStrategy(s.seed, steps, 2)]
    for (const strategy of strategies) {
      const out = sampleSearch(target, strategy, {first: 0, stride: 1, limit: schedules, all: true, skip: new Set(), keepGoing: () => true})
      for (const kind of Object.keys(out.findings)) found.add(kind)
      cut += out.cut
    }
    return {kinds: found, cut}
  }
}
