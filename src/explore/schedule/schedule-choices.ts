import {kindCode, ReplayMismatch, SeededChoices, type ChoiceKind, type ChoiceSource} from '../../engine/choice.ts'
import type {ChoiceList} from './choice-list.ts'

/** How a recorded schedule is replayed: its mode and the seed of its jitter draws. */
export interface ReplayMode {
  /** Untimed (exhaustive, pct) or timed (random, delay). */
  readonly untimed: boolean
  /** Timed: the seed jitter draws come from. */
  readonly jitterSeed: number
  /** Timed: the delay lengths the schedule's delay choices index, or null for none. */
  readonly delays: readonly number[] | null
}

/**
 * Replays a schedule: the listed searched choices in order, then choice 0 for every later
 * one (a shrunk list is a prefix of a run: the default order, no more delays), jitter from
 * the seed. A choice of the wrong kind or out of range throws ReplayMismatch: the list was
 * recorded against another trace or variant.
 */
export class ScheduleChoices implements ChoiceSource {
  readonly delays?: readonly number[]
  private readonly jitter: SeededChoices
  private i = 0

  constructor(
    private readonly list: ChoiceList,
    mode: ReplayMode,
  ) {
    this.jitter = new SeededChoices(mode.jitterSeed)
    if (!mode.untimed && mode.delays) this.delays = mode.delays
  }

  /** How many listed choices the run has asked for so far (may exceed the list's length). */
  get asked(): number {
    return this.i
  }

  pick(n: number, kind: ChoiceKind): number {
    if (kind === 'jitter') return this.jitter.pick(n)
    const i = this.i++
    if (i >= this.list.values.length) return 0
    const want = this.list.kinds[i]
    if (want !== kindCode(kind)) {
      throw new ReplayMismatch(`choice ${i} of the schedule is ${want === 'o' ? 'an order' : 'a delay'} choice, but the run asks for ${kind === 'order' ? 'an order' : 'a delay'} choice there`)
    }
    const c = this.list.values[i]
    if (c >= n) throw new ReplayMismatch(`choice ${i} of the schedule is ${c}, but only ${n} alternatives exist there`)
    return c
  }
}
