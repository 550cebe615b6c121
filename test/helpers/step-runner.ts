import type {Engine} from '../../src/engine/engine.ts'
import type {StepGen, Task} from '../../src/engine/task.ts'

/** Runs `gen` as `task` on `cpu`, one step per `step()`. */
export class Runner<R> {
  private result: IteratorResult<unknown, R> | null = null

  constructor(
    private readonly e: Engine,
    private readonly task: Task,
    private readonly cpu: number,
    private readonly gen: StepGen<R>,
  ) {}

  /** Takes one step; false once the code has returned or wants to sleep. */
  step(): boolean {
    if (this.done) return false
    this.e.current = this.task
    this.e.currentCpu = this.cpu
    try {
      this.result = this.gen.next()
    } finally {
      this.e.current = null
      this.e.currentCpu = -1
    }
    return !this.done
  }

  /** Steps until `cond` holds (checked before each step) or the code stops. */
  until(cond: () => boolean): this {
    while (!cond() && this.step());
    return this
  }

  /** Steps to the end (or to the first sleep) and returns the value, if it returned. */
  finish(): R | undefined {
    while (this.step());
    return this.result?.done ? this.result.value : undefined
  }

  /** Returned, or yielded a scheduler request (a sleep), where stepping by hand stops. */
  get done(): boolean {
    return this.result !== null && (this.result.done === true || typeof this.result.value !== 'number')
  }
}
