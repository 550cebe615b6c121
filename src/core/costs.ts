/** Cost model: simulated nanoseconds per primitive (sources: DEFAULT_COSTS below). */
export interface Costs {
  /** One atomic or plain memory step of kernel code (a load, a store, an RMW). */
  readonly step: number
  /** An atomic read-modify-write on a contended cache line. */
  readonly atomic: number
  /** One cpu_relax() iteration of a busy-wait loop. */
  readonly cpu_relax: number
  /** Sending an IPI until the target CPU takes it. */
  readonly ipi: number
  /** A context switch. */
  readonly context_switch: number
  /** Creating a thread (kernel_thread / fork). */
  readonly thread_create: number
  /** Waking a task (try_to_wake_up), excluding the IPI. */
  readonly wakeup: number
  /** A syscall's entry and exit. */
  readonly syscall: number
}

/**
 * Default cost model, in simulated nanoseconds. Each figure is a proxy from a published
 * measurement (IPI latencies on LKML and in KVM commits, stop_machine costs in commit
 * messages) or a hardware manual; a trace overrides any of them
 * under `machine.costs`.
 */
export const DEFAULT_COSTS: Costs = {
  /** A plain load, store or ALU op on a cache-hot line: a few cycles at ~3 GHz. */
  step: 1,
  /** A LOCK-prefixed read-modify-write on a line other CPUs also touch (~60 cycles on-socket). */
  atomic: 20,
  /** One PAUSE: about 140 cycles on Skylake and later (Intel optimization manual). */
  cpu_relax: 40,
  /** Unicast IPI send to handler: 1.45–2.5 µs (Lundell 2001; KVM PV-IPI 4180bf1b655a; Zeng 2021). */
  ipi: 2_000,
  /** Same-CPU switch: 3–3.5 µs per switch on a 2-vCPU KVM guest (§7, S24). */
  context_switch: 3_000,
  /** Thread creation: pthread_create + join 25–31 µs on the same guest (§7, S24). */
  thread_create: 30_000,
  /** try_to_wake_up on the waker's side, excluding any IPI. */
  wakeup: 500,
  /** Syscall entry and exit. */
  syscall: 200,
}

/**
 * The costs of a trace: DEFAULT_COSTS with `overrides` over them, always built with the
 * same fields in the same order. The engine reads these at every step; objects of one
 * shape keep those reads monomorphic, where spreading a trace's overrides gave traces
 * objects of different shapes, and the engine's optimized code was thrown away (deopted)
 * and rebuilt as each trace of a comparison came.
 */
export function costsWith(overrides: Partial<Costs>): Costs {
  const c = {...DEFAULT_COSTS, ...overrides}
  return {step: c.step, atomic: c.atomic, cpu_relax: c.cpu_relax, ipi: c.ipi, context_switch: c.context_switch, thread_create: c.thread_create, wakeup: c.wakeup, syscall: c.syscall}
}

/** Default machine-stall threshold (extension `machine.stall_threshold`). */
export const DEFAULT_STALL_THRESHOLD = 50_000_000
/** Default soft-lockup threshold: the kernel's watchdog_thresh is 10 s, reported at 2x. */
export const DEFAULT_WATCHDOG = 20_000_000_000
