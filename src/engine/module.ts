import type {ModuleSpec} from '../scenario/types.ts'
import type {Task} from './task.ts'

/** MODULE_STATE_*: a module instance's life. `gone` means its memory was freed. */
export type ModuleState = 'coming' | 'live' | 'going' | 'gone'

/**
 * One loaded instance of a module: its state, its text and data (alive until freed), and
 * the refcount representation the variant placed in its memory. A later insmod of the same
 * module makes a new instance; memory of the old one stays freed.
 */
export class Module<P = unknown> {
  state: ModuleState = 'coming'
  /** Set by free_module: every later touch of this instance is a use-after-free. */
  freed = false
  /**
   * Set when its exit() begins: what init registered (a device, a filesystem type) is being
   * unregistered, so a get that starts from now on cannot find the module any more.
   */
  exiting = false
  /** When it was freed, ns. */
  freedAt = -1
  /** References held since load (the trace's `refs`: open files and the like). */
  baseRefs = 0
  /** The variant's refcount representation (per-CPU counters, an atomic, ...). */
  priv!: P

  constructor(
    readonly spec: ModuleSpec,
    /** 0 for the first load, then 1, 2, ... */
    readonly instance: number,
  ) {}

  get name(): string {
    return this.spec.name
  }
}

/**
 * A word of memory: in core kernel memory (`owner` null) or in a module's data, where a
 * touch after the module is freed is a use-after-free. Variants build their refcounts from
 * these and access them only through the kernel API, one step per access.
 */
export interface Word {
  value: number
  readonly owner: Module | null
  readonly name: string
  /** Tasks busy-waiting (parked) until this word is written. */
  watchers?: Task[]
}

/** A per-CPU array of local_t counters, one cache line each. */
export interface PerCpuWord {
  readonly values: Int32Array
  readonly owner: Module | null
  readonly name: string
}
