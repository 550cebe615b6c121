import {SeededChoices, type ChoiceKind, type ChoiceSource} from '../../engine/choice.ts'
import {DELAY_LENGTHS} from './delays.ts'
import {mixSeed} from './mix-seed.ts'
import type {SamplingStrategy} from './strategy.ts'

/** Seeded random choices for one schedule: tie orders and jitter at random, now and then a delay. */
class RandomChoices implements ChoiceSource {
  readonly delays = DELAY_LENGTHS
  private readonly jitter: SeededChoices
  private readonly rng: SeededChoices

  constructor(
    jitterSeed: number,
    /** The chance, per 2^20, that a step is held up. */
    private readonly rate: number,
  ) {
    this.jitter = new SeededChoices(jitterSeed)
    this.rng = new SeededChoices(jitterSeed ^ 0x2545f491)
  }

  pick(n: number, kind: ChoiceKind): number {
    if (kind === 'jitter') return this.jitter.pick(n)
    if (kind === 'order') return this.rng.pick(n)
    return this.rng.pick(1 << 20) < this.rate ? 1 + this.rng.pick(n - 1) : 0
  }
}

/**
 * `random`: timed runs with every choice seeded at random per schedule: the order of
 * events due at the same instant, each jitter draw, and injected delays at a rate that
 * holds up about `delaysPerRun` steps of a run (of `steps` steps) on average.
 */
export class RandomStrategy implements SamplingStrategy {
  readonly name = 'random'
  readonly untimed = false
  private readonly rate: number

  constructor(
    private readonly seed: number,
    steps: number,
    delaysPerRun = 2,
  ) {
    this.rate = Math.max(1, Math.min(1 << 18, Math.round(((1 << 20) * delaysPerRun) / Math.max(1, steps))))
  }

  source(k: number): ReturnType<SamplingStrategy['source']> {
    const jitterSeed = mixSeed(this.seed, k)
    return {choices: new RandomChoices(jitterSeed, this.rate), mode: {untimed: false, jitterSeed, delays: DELAY_LENGTHS}}
  }
}
