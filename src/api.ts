/**
 * The variant API: the one module a variant file imports (docs/variant-api.md lists every
 * primitive). It exposes the kernel primitives (`Kernel`, as the kernel's own names), the
 * kernel objects they work on (tasks, modules, words, completions, mutexes), the errno and
 * task-state values, per-run kernel state and `defineVariant`, and nothing of the engine.
 *
 * The rule exhaustive search needs to be sound: variants share state only through kernel
 * objects (words, per-CPU counters, completions, mutexes, tasks, modules, kernelState).
 * A module-level variable shared across calls would be invisible to the search's
 * dependence analysis, and would also leak between the many runs one process makes.
 */
import type {KernelApi, ThreadFn as EngineThreadFn} from './engine/kernel.ts'
export {defineVariant, type DeleteFlags, type StopFn, type Variant, type VariantMeta} from './engine/variant.ts'
export {kernelState, type KernelState} from './engine/kernel-state.ts'
export {withArg} from './engine/with-arg.ts'
export {
  EBUSY,
  EEXIST,
  EINTR,
  ENOENT,
  EWOULDBLOCK,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  TASK_UNINTERRUPTIBLE,
  type Completion,
  type KernelApi as Kernel,
  type Mutex,
  type Step,
  type StepGen,
  type Task,
} from './engine/kernel.ts'
/** A thread's code (what the thread primitives take): returns its exit value, as threadfn does. */
export type ThreadFn = EngineThreadFn<KernelApi>
export type {Module, ModuleState, PerCpuWord, Word} from './engine/module.ts'
export type {SchedPolicy} from './engine/task.ts'
