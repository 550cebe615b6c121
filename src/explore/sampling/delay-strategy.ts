import {SeededChoices, type ChoiceKind, type ChoiceSource} from '../../engine/choice.ts'
import {DELAY_LENGTHS} from './delays.ts'
import {mixSeed} from './mix-seed.ts'
import type {SamplingStrategy} from './strategy.ts'

/** The default schedule with a few delays at given step indices. */
class DelayedChoices implements ChoiceSource {
  readonly delays = DELAY_LENGTHS
  private readonly jitter: SeededChoices
  private step = 0

  constructor(
    jitterSeed: number,
    /** Delay-choice index → index into DELAY_LENGTHS. */
    private readonly at: ReadonlyMap<number, number>,
  ) {
    this.jitter = new SeededChoices(jitterSeed)
  }

  pick(n: number, kind: ChoiceKind): number {
    if (kind === 'jitter') return this.jitter.pick(n)
    if (kind === 'order') return 0
    return this.at.get(this.step++) ?? 0
  }
}

/**
 * `delay`: delay-bounded search (Emmi, Qadeer, Rakamarić, POPL 2011) over the timed model.
 * The scheduler is the deterministic default (ties in scheduling order, the trace seed's
 * jitter); schedule `k` holds up between 1 and `depth` steps, chosen uniformly among the
 * `steps` delay choice points a run has, each by one of the non-zero delay lengths.
 */
export class DelayStrategy implements SamplingStrategy {
  readonly name = 'delay'
  readonly untimed = false

  constructor(
    private readonly seed: number,
    private readonly jitterSeed: number,
    private readonly steps: number,
    private readonly depth: number,
  ) {}

  source(k: number): ReturnType<SamplingStrategy['source']> {
    const rng = new SeededChoices(mixSeed(this.seed, k))
    const count = 1 + rng.pick(Math.max(1, this.depth))
    const at = new Map<number, number>()
    for (let i = 0; i < count; i++) at.set(rng.pick(Math.max(1, this.steps)), 1 + rng.pick(DELAY_LENGTHS.length - 1))
    return {
      choices: new DelayedChoices(this.jitterSeed, at),
      mode: {untimed: false, jitterSeed: this.jitterSeed, delays: DELAY_LENGTHS},
    }
  }
}
