/**
 * Puts a kernel API instance under a recording prototype: every method call goes through
 * a recorder (ControlRecorder.kernelCall) that notes it, runs it and records its return.
 */
import type {Kernel} from './kernel.ts'

/** What a recording prototype hands each call to. */
export interface KernelCallRecorder {
  /** Kernel method number `id` (`name`) called with `args`: runs `orig` on `k` and returns its result. */
  kernelCall(k: Kernel, id: number, name: string, orig: (...args: unknown[]) => unknown, args: unknown[]): unknown
}

/** Makes every method call on `k` go through `recorder` (once per run, before it starts). */
export function recordKernelCalls(k: Kernel, recorder: KernelCallRecorder): void {
  const recorded = k as RecordedKernel
  Object.setPrototypeOf(recorded, recordingPrototype(Object.getPrototypeOf(k) as object))
  recorded[RECORDER] = recorder
}

/** Where a kernel instance under a recording prototype finds its run's recorder. */
const RECORDER = Symbol('recorder')
type RecordedKernel = Kernel & {[RECORDER]: KernelCallRecorder}

/** Recording prototypes, made once per kernel class. */
const recordingPrototypes = new WeakMap<object, object>()

/**
 * A prototype over `proto` (the Kernel class's) whose every method records through the
 * instance's recorder (ControlRecorder.kernelCall). Made once per class, so a run pays
 * only for putting it under its kernel instance; methods are numbered in declaration order.
 */
function recordingPrototype(proto: object): object {
  let wrapped = recordingPrototypes.get(proto)
  if (wrapped !== undefined) return wrapped
  const w = Object.create(proto) as Record<string, unknown>
  Object.getOwnPropertyNames(proto).forEach((name, id) => {
    const d = Object.getOwnPropertyDescriptor(proto, name)
    if (name === 'constructor' || d === undefined || typeof d.value !== 'function') return
    const orig = d.value as (...args: unknown[]) => unknown
    Object.defineProperty(w, name, {
      value: function (this: RecordedKernel, ...args: unknown[]): unknown {
        return this[RECORDER].kernelCall(this, id, name, orig, args)
      },
    })
  })
  wrapped = w
  recordingPrototypes.set(proto, wrapped)
  return wrapped
}
