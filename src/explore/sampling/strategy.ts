import type {ChoiceSource} from '../../engine/choice.ts'
import type {ReplayMode} from '../schedule/schedule-choices.ts'

/**
 * A sampling search strategy: schedule `k` of the search is the run driven by
 * `source(k)`, a pure function of the strategy's seed and `k`, so any worker or shard
 * can run any schedule and get the same result.
 */
export interface SamplingStrategy {
  readonly name: 'random' | 'pct' | 'delay'
  /** Whether its runs are untimed (src/engine/untimed-loop.ts). */
  readonly untimed: boolean
  /** The choices of schedule `k`, and how to replay what they record. */
  source(k: number): {readonly choices: ChoiceSource; readonly mode: ReplayMode}
}
