import {SeededChoices} from '../../src/engine/choice.ts'
import {Engine} from '../../src/engine/engine.ts'
import type {Module} from '../../src/engine/module.ts'
import type {StepGen, Task} from '../../src/engine/task.ts'
import type {Variant} from '../../src/engine/variant.ts'
import {parseTrace} from '../../src/scenario/load.ts'

/**
 * A two-CPU machine with module `m` loaded, on which the variant's functions are called by
 * hand, one atomic step at a time, so that a test can choose the exact interleaving.
 */
export function handMachine<P>(variant: Variant<P>): {e: Engine; k: Engine['k']; mod: Module<P>} {
  const s = parseTrace('kreplay: 1\nname: t\nhorizon: 1s\nmachine: {cpus: 2}\nmodules: [{name: m}]\n', 't.yaml')
  const e = new Engine(s, variant, {choices: new SeededChoices(1), seed: 1, log: true})
  variant.boot?.(e.k)
  const mod = e.m.newInstance('m') as Module<P>
  mod.priv = variant.moduleUnloadInit(e.k, mod, 0)
  mod.state = 'live'
  return {e, k: e.k, mod}
}

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
    this.e.m.current = this.task
    this.e.m.currentCpu = this.cpu
    try {
      this.result = this.gen.next()
    } finally {
      this.e.m.current = null
      this.e.m.currentCpu = -1
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
