import type {KernelApi as Kernel} from './kernel.ts'
import type {Module} from './module.ts'
import type {StepGen} from './task.ts'

/** Provenance and character of a variant, shown by `kreplay variants` and in reports. */
export interface VariantMeta {
  /** Short identifier: [a-z0-9-]+ */
  readonly id: string
  readonly title: string
  readonly authors: readonly string[]
  /** When the design was posted or merged (YYYY-MM or YYYY-MM-DD). */
  readonly date: string
  /** Kernel versions that carried it, e.g. "2.6.0–2.6.3", or "never merged". */
  readonly kernels: string
  /** LKML subjects with dates, commits, documents. */
  readonly sources: readonly string[]
  /** What it fixed. */
  readonly fixed: string
  /** What it broke or left broken. */
  readonly broke: string
}

/** delete_module() flags as the trace gives them. */
export interface DeleteFlags {
  /** Without O_NONBLOCK: wait for the references to drop, where the era can. */
  readonly wait: boolean
  /** O_TRUNC: force (CONFIG_MODULE_FORCE_UNLOAD). */
  readonly force: boolean
}

/** A stop_machine() callback: runs with every participating CPU held; returns an int. */
export type StopFn = (k: Kernel) => StepGen<number>

/**
 * A module-removal design: the kernel functions it replaces, written as generators over
 * the Kernel API, where each yield is one atomic step. `P` is the variant's refcount
 * representation, stored in the module's memory.
 *
 * A variant never reports findings: the observers judge what the machine did.
 */
export interface Variant<P = unknown> {
  readonly meta: VariantMeta
  /**
   * The era's scheduler facts: which class the per-CPU migration threads run in
   * (`fifo` 99 before 2.6.37, the `stop` class after).
   */
  readonly migrationClass: 'fifo' | 'stop'
  /**
   * The era's normal-class scheduler: `o1` (the O(1) scheduler, 2.6.0 to 2.6.22) or `cfs`
   * (2.6.23 on). Absent means `cfs`. A trace's `machine: {sched}` overrides it.
   */
  readonly normalSched?: 'o1' | 'cfs'
  /** Boot-time set-up (e.g. the persistent per-CPU cpu_stop threads); not steps. */
  boot?(k: Kernel): void
  /** module_unload_init: the refcount in the new module's memory, `refs` references held. */
  moduleUnloadInit(k: Kernel, mod: Module<P>, refs: number): P
  /**
   * sys_init_module() from module_unload_init() on: the era's module_mutex and init-time
   * reference around `init` (mod->init() in module text), ending with the module LIVE;
   * 0 or a negative errno. Optional: without it, init runs with no lock and no
   * reference held, then the module is LIVE.
   */
  initModule?(k: Kernel, mod: Module<P>, init: () => StepGen): StepGen<number>
  /** try_module_get(): true when a reference was taken. */
  tryModuleGet(k: Kernel, mod: Module<P>): StepGen<boolean>
  /** module_put(). */
  modulePut(k: Kernel, mod: Module<P>): StepGen
  /** sys_delete_module(): 0 or a negative errno. Calls k.moduleExit and k.freeModule. */
  deleteModule(k: Kernel, mod: Module<P>, flags: DeleteFlags): StepGen<number>
  /** The era's stop_machine(fn) on every online CPU; returns fn's result. */
  stopMachine(k: Kernel, fn: StopFn): StepGen<number>
}

/**
 * A variant definition, inferring `P`, as an object of the one shape every variant made
 * here shares: the Variant fields in a fixed order (an absent hook undefined), then any
 * others. The engine reads a run's variant at every get, put and removal; variants of
 * different shapes (their fields written, or spread from another variant, in other orders)
 * made those reads polymorphic, and the engine's optimized code was thrown away (deopted)
 * and rebuilt as each variant of a comparison came.
 */
export function defineVariant<P>(v: Variant<P>): Variant<P> {
  // The hooks move to the new object, and are called as its methods: `this` is the variant still.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const {meta, migrationClass, normalSched, boot, moduleUnloadInit, initModule, tryModuleGet, modulePut, deleteModule, stopMachine, ...others} = v
  return {meta, migrationClass, normalSched, boot, moduleUnloadInit, initModule, tryModuleGet, modulePut, deleteModule, stopMachine, ...others}
}
