import type {Machine} from './machine.ts'
import type {Yielded} from './task.ts'
import {VariantError} from './variant-error.ts'

/**
 * What a kernel primitive of one step returns (`k.preemptDisable()`, `k.atomicRead(w)`):
 * `yield*` it as a generator's, `const v = yield* k.atomicRead(w)`. The primitive has taken
 * effect when it returns; the `yield*` then yields the step's cost once and, at the task's
 * next resume, evaluates to the primitive's value. Call and `yield*` it at once, as the
 * code above does: the effect belongs to the step the `yield*` ends.
 */
export type Step<R = void> = Iterable<Yielded, R, unknown>

/**
 * The object behind every Step of one kernel API: a generator per call would cost an
 * allocation and a frame in the chain every resume passes through, on the engine's
 * hottest path. It is an iterator over one yield. The cost is taken by the first `next()`,
 * which `yield*` makes at once; the value is kept on the task until its resume, since
 * the task may be preempted and other tasks take steps of their own meanwhile.
 */
export class StepToken implements Iterator<Yielded, unknown, unknown> {
  private cost: Yielded = 0
  private fresh = false
  private readonly yielded: IteratorYieldResult<Yielded> = {done: false, value: 0}
  private readonly returned: IteratorReturnResult<unknown> = {done: true, value: undefined}

  constructor(private readonly m: Machine) {}

  /** The current task's step of `cost` (ns, or a scheduler request), whose value is `value`. */
  take<R>(cost: Yielded, value: R): Step<R> {
    const t = this.m.current
    if (t === null) throw new VariantError('kernel API used outside a task')
    t.stepValue = value
    this.cost = cost
    this.fresh = true
    return this as unknown as Step<R>
  }

  [Symbol.iterator](): this {
    return this
  }

  next(): IteratorResult<Yielded, unknown> {
    if (this.fresh) {
      this.fresh = false
      this.yielded.value = this.cost
      return this.yielded
    }
    const t = this.m.current!
    this.returned.value = t.stepValue
    t.stepValue = undefined
    return this.returned
  }
}
