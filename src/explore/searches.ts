import {EXHAUSTIVE} from './dpor/exhaustive-search.ts'
import type {StrategyName} from './explore-result.ts'
import {samplingKind} from './sampling/sampling-search.ts'
import type {SearchKind} from './search.ts'
import {STATEFUL} from './stateful/stateful-kind.ts'

/** Every strategy `kreplay explore --strategy` takes, by name. */
export const SEARCHES: Readonly<Record<StrategyName, SearchKind>> = {
  random: samplingKind('random'),
  pct: samplingKind('pct'),
  delay: samplingKind('delay'),
  exhaustive: EXHAUSTIVE,
  stateful: STATEFUL,
}
