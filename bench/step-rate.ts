/**
 * The engine's steps per second on the benchmark's step traces (engine-bench.ts): io-storm
 * over 200 ms, and the same with its sleeps taken out (every CPU always busy), best of 3.
 */
import {produce} from 'immer'
import {runScenario} from '../src/engine/run.ts'
import type {Variant} from '../src/engine/variant.ts'
import {loadTraceArg} from '../src/scenario/shipped.ts'
import type {Op, Scenario} from '../src/scenario/types.ts'

/** Best of `n` wall-clock timings of `fn`, in ms, with its last value. */
export function best<T>(n: number, fn: () => T): {ms: number; value: T} {
  let ms = Infinity
  let value!: T
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    value = fn()
    ms = Math.min(ms, performance.now() - t0)
  }
  return {ms, value}
}

/** The step traces by name. */
export function stepTraces(): ReadonlyMap<string, Scenario> {
  const storm = produce(loadTraceArg('io-storm'), (s) => {
    s.horizon = 200_000_000
  })
  const dense = produce(storm, (s) => {
    const loop = s.tasks[0].program[0]
    if (loop.op === 'repeat') loop.body = loop.body.filter((o: Op) => o.op !== 'sleep')
  })
  return new Map([
    ['io-storm', storm],
    ['dense 8-CPU', dense],
  ])
}

/** Simulated steps per second of `variant` on `scenario`, in this thread. */
export function stepRate(scenario: Scenario, variant: Variant): number {
  const r = best(3, () => runScenario(scenario, variant).result)
  return r.value.metrics.steps / (r.ms / 1000)
}
