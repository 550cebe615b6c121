import {WrappedChoices, type ChoiceKind} from '../../engine/choice.ts'
import type {ChoiceList} from './choice-list.ts'

/**
 * Wraps a choice source and records its searched choices ('order' and 'delay'; jitter
 * draws are left to the source's seed), keeping the source's opt-ins (the delay choice
 * point, untimed candidates) visible to the engine. `onPick`, when set, runs after each
 * choice and may throw to end the run early.
 */
export class Recorder extends WrappedChoices {
  readonly values: number[] = []
  private readonly kindChars: string[] = []
  onPick: (() => void) | null = null

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
