import {xoroshiro128plus} from 'pure-rand/generator/xoroshiro128plus'

type RandomGenerator = ReturnType<typeof xoroshiro128plus>

/**
 * Every nondeterministic decision of a run is asked of one ChoiceSource: which of several
 * events ready at the same instant goes first, and each jitter draw. Nothing else in the
 * engine may draw a random number or read a clock, so a run is a pure function of its
 * scenario, variant and the choices it was given.
 */
export interface ChoiceSource {
  /** Picks one of `n` (n >= 2) alternatives: an integer in [0, n). */
  pick(n: number, kind: ChoiceKind): number
  /**
   * Opt-in to the delay choice point (schedule exploration): the lengths, in ns, that a
   * step may be held up by (as by an NMI, an SMI or a preempted vCPU), the first 0. When
   * present, a timed run asks `pick(delays.length, 'delay')` at every step and stretches
   * the step by the chosen length. Absent for ordinary runs, which then never ask.
   */
  readonly delays?: readonly number[]
  /**
   * Untimed runs only: told the candidates (actor ids, src/engine/tracer.ts) before each
   * dispatch, also when there is only one and `pick` is not asked. The array is the
   * engine's and valid only during the call. Returning false ends the run there, as
   * throwing StopRun.redundant would (the rest of it is covered elsewhere), without
   * unwinding an exception through the engine: searches end most of their runs so.
   */
  candidates?(actors: Int32Array): unknown
}

/**
 * Thrown by a ChoiceSource (or anything probing a run) to end the run early: `found`, it
 * has seen what it needed (a finding), or `redundant`, the rest of the run is covered
 * elsewhere (a search's sleep set). The engine lets it through as it is, where any other
 * error becomes a VariantError naming the time, CPU and task.
 */
export class StopRun extends Error {
  /**
   * The one 'redundant' stop, made once: a new error each time would capture a stack trace
   * each time (searches end their redundant runs by ChoiceSource.candidates instead).
   */
  static readonly redundant = new StopRun('redundant')

  constructor(readonly reason: 'found' | 'redundant') {
    super(`run stopped: ${reason}`)
  }
}

/** What a choice decides. */
export type ChoiceKind = 'order' | 'jitter' | 'delay'

/** Jitter draws are picks among this many evenly spaced values in [-1, 1]. */
export const JITTER_LEVELS = 1025

/** Choices drawn from a seeded xoroshiro128+ generator. */
export class SeededChoices implements ChoiceSource {
  private readonly rng: RandomGenerator

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed)
  }

  pick(n: number): number {
    // Multiply-shift on 32 random bits: unbiased enough for scheduling and jitter, and fast.
    const r = this.rng.next() >>> 0
    return Math.floor((r / 4294967296) * n)
  }
}

/**
 * A source that wraps another, keeping the inner source's opt-ins (the delay choice
 * point, untimed candidates) visible to the engine.
 */
export abstract class WrappedChoices implements ChoiceSource {
  readonly delays?: readonly number[]
  candidates?(actors: Int32Array): unknown

  constructor(protected readonly inner: ChoiceSource) {
    if (inner.delays) this.delays = inner.delays
    if (inner.candidates) this.candidates = (actors) => inner.candidates!(actors)
  }

  abstract pick(n: number, kind: ChoiceKind): number
}

/** The one-letter code of a choice kind, as recorded lists and schedule files write it. */
export function kindCode(kind: ChoiceKind): string {
  return kind === 'order' ? 'o' : kind === 'delay' ? 'd' : 'j'
}

/**
 * Records the choices another source makes, so the run can be replayed: every pick (which
 * ReplayChoices replays exactly), or with `searchedOnly` the 'order' and 'delay' picks
 * only (a schedule's choice list, whose jitter comes from a seed). `onPick`, when set,
 * runs after each pick, recorded or not, and may throw StopRun to end the run there.
 */
export class RecordingChoices extends WrappedChoices {
  /** The recorded picks, in run order. */
  readonly values: number[] = []
  private readonly codes: string[] = []
  onPick: (() => void) | null = null

  constructor(
    inner: ChoiceSource,
    private readonly searchedOnly = false,
  ) {
    super(inner)
  }

  pick(n: number, kind: ChoiceKind): number {
    const c = this.inner.pick(n, kind)
    if (!this.searchedOnly || kind !== 'jitter') {
      this.values.push(c)
      this.codes.push(kindCode(kind))
    }
    if (this.onPick !== null) this.onPick()
    return c
  }

  /** The kinds of the first `n` recorded picks (all by default), one kindCode letter each. */
  kinds(n = this.codes.length): string {
    return this.codes.slice(0, n).join('')
  }
}

/** Thrown when a replayed choice list does not fit the run it is replayed against. */
export class ReplayMismatch extends Error {}

/**
 * Replays a recorded list of choices. Past the end of the list it falls back to `rest`
 * (first alternative by default), which is what a shrunk prefix means.
 */
export class ReplayChoices implements ChoiceSource {
  private i = 0

  constructor(
    private readonly list: readonly number[],
    private readonly rest: ChoiceSource = {pick: () => 0},
  ) {}

  /** How many recorded choices were consumed. */
  get consumed(): number {
    return Math.min(this.i, this.list.length)
  }

  pick(n: number, kind: ChoiceKind): number {
    if (this.i >= this.list.length) {
      this.i++
      return this.rest.pick(n, kind)
    }
    const c = this.list[this.i++]
    if (!Number.isInteger(c) || c < 0 || c >= n) {
      throw new ReplayMismatch(`choice ${this.i - 1} is ${c}, but only ${n} alternatives exist there`)
    }
    return c
  }
}
