import {SeededChoices, type ChoiceSource} from '../../engine/choice.ts'
import {mixSeed} from './mix-seed.ts'
import type {SamplingStrategy} from './strategy.ts'

/** PCT's scheduler for one run: the candidate of highest priority runs; priorities drop at change points. */
class PctChoices implements ChoiceSource {
  private readonly rng: SeededChoices
  private readonly prio = new Map<number, number>()
  private step = 0
  private choice = 0

  constructor(
    seed: number,
    /** Dispatch index → which change point it is (1-based). */
    private readonly changes: ReadonlyMap<number, number>,
  ) {
    this.rng = new SeededChoices(seed)
  }

  private priority(actor: number): number {
    let p = this.prio.get(actor)
    if (p === undefined) {
      // Initial priorities are above every changed one (those are 0, -1, -2, ...).
      p = 1 + this.rng.pick(1 << 30)
      this.prio.set(actor, p)
    }
    return p
  }

  private best(actors: Int32Array): number {
    let best = 0
    for (let i = 1; i < actors.length; i++) {
      const a = this.priority(actors[i])
      const b = this.priority(actors[best])
      if (a > b || (a === b && actors[i] < actors[best])) best = i
    }
    return best
  }

  candidates(actors: Int32Array): void {
    const change = this.changes.get(this.step++)
    let best = this.best(actors)
    if (change !== undefined) {
      this.prio.set(actors[best], 1 - change)
      best = this.best(actors)
    }
    this.choice = best
  }

  pick(): number {
    return this.choice
  }
}

/**
 * `pct`: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
 * ASPLOS 2010) over the untimed model, where it applies as published: one event at a time,
 * always the one whose actor (a CPU's steps, an IPI, a timer; engine.ts) has the highest
 * priority. Priorities are a random permutation per schedule, and at `depth - 1` change
 * points drawn uniformly among the `steps` dispatches of a run the running actor drops
 * below all others. A bug of depth d is found with probability at least 1/(n·k^(d-1)) per
 * schedule (n actors, k steps). Untimed because in the timed model only exact ties are
 * choices, too rare for priorities to matter.
 */
export class PctStrategy implements SamplingStrategy {
  readonly name = 'pct'
  readonly untimed = true

  constructor(
    private readonly seed: number,
    private readonly scenarioSeed: number,
    private readonly steps: number,
    private readonly depth: number,
  ) {}

  source(k: number): ReturnType<SamplingStrategy['source']> {
    const seed = mixSeed(this.seed, k)
    const rng = new SeededChoices(seed ^ 0x68e31da4)
    const changes = new Map<number, number>()
    for (let i = 1; i < Math.max(1, this.depth); i++) changes.set(rng.pick(Math.max(1, this.steps)), i)
    return {choices: new PctChoices(seed, changes), mode: {untimed: true, jitterSeed: this.scenarioSeed, delays: null}}
  }
}
