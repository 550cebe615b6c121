import type {ChoiceKind, ChoiceSource} from '../engine/choice.ts'
import type {ChoiceList} from './choice-list.ts'

/**
 * Wraps a choice source and records its searched choices ('order' and 'delay'; jitter
 * draws are left to the source's seed), keeping the source's opt-ins (the delay choice
 * point, untimed candidates) visible to the engine. `onPick`, when set, runs after each
 * choice and may throw to end the run early.
 */
export class Recorder implements ChoiceSource {
  readonly values: number[] = []
  private readonly kindChars: string[] = []
  readonly delays?: readonly number[]
  candidates?(actors: Int32Array): void
  onPick: (() => void) | null = null

  constructor(private readonly inner: ChoiceSource) {
    if (inner.delays) this.delays = inner.delays
    if (inner.candidates) {
      this.candidates = (actors) => {
        inner.candidates!(actors)
      }
    }
  }

  pick(n: number, kind: ChoiceKind): number {
    const c = this.inner.pick(n, kind)
    if (kind !== 'jitter') {
      this.values.push(c)
      this.kindChars.push(kind === 'order' ? 'o' : 'd')
    }
    if (this.onPick !== null) this.onPick()
    return c
  }

  /** What was recorded so far, the first `n` choices (all by default). */
  list(n = this.values.length): ChoiceList {
    return {values: this.values.slice(0, n), kinds: this.kindChars.slice(0, n).join('')}
  }
}
