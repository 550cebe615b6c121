/** What `withArg` made each bound function from: the function and its argument. */
const BOUND = new WeakMap<object, {readonly fn: object; readonly arg: unknown}>()

/**
 * `fn` with its data argument, as C hands a callback and its `void *arg` (stop_machine(fn,
 * data, cpus), stop_cpus(cpumask, fn, arg)): `withArg(multiCpuStop, msdata)` is
 * `(k) => multiCpuStop(k, msdata)`. Unlike an arrow function, which the stateful search can
 * only tell apart by identity (so two runs never agree on one), it is written into a state
 * as `fn` and `arg` (machine-state.ts): `fn` should be a module-level function, which is
 * the same in every run and captures nothing, and `arg` is walked with the state.
 */
export function withArg<K, A, R>(fn: (k: K, arg: A) => R, arg: A): (k: K) => R {
  const bound = (k: K): R => fn(k, arg)
  BOUND.set(bound, {fn, arg})
  return bound
}

/** What `f` was made from by `withArg`, if it was. */
export function boundParts(f: object): {readonly fn: object; readonly arg: unknown} | undefined {
  return BOUND.get(f)
}
