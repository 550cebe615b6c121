import type {KernelApi as Kernel} from './kernel.ts'
import {VariantError} from './variant-error.ts'

/** A variant's per-run kernel state: `state(k)` reads it, `state.set(k, value)` (in `boot`) sets it. */
export interface KernelState<T> {
  (k: Kernel): T
  set(k: Kernel, value: T): void
}

let slots = 0

/**
 * Declares a variant's static kernel variables (stop_machine's stoppers, module_mutex) as
 * state of each run: `const state = kernelState<State>('stop-machine')` at module level,
 * `state.set(k, …)` in `boot`, `state(k)` wherever the kernel code reads them. The value
 * lives on the run's Kernel and dies with it. (A WeakMap keyed by the Kernel would do the
 * same, but V8's young-generation collector keeps the entries of a long-lived WeakMap
 * alive, so every run's whole machine was promoted, and a search making tens of thousands
 * of runs a second spent over a third of its time collecting them.)
 */
export function kernelState<T>(name: string): KernelState<T> {
  const slot = slots++
  const read = (k: Kernel): T => {
    const v = k.statics[slot]
    if (v === undefined) throw new VariantError(`${name}: kernel state read before boot set it`)
    return v as T
  }
  return Object.assign(read, {
    set(k: Kernel, value: T): void {
      k.statics[slot] = value
    },
  })
}
