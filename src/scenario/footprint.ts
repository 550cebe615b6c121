/**
 * How much memory simulating a trace takes, estimated before the run, so that a trace too
 * large for the machine is refused up front with a clear error instead of ending Node in
 * an out-of-memory crash. The figures were measured on the engine as it is (a task keeps
 * its own copy of its affinity mask): 20,000 tasks affined to all of 4,096 CPUs peaked at
 * 820 MB resident, 80,000 at 2.9 GB.
 */

/** Bytes per simulated task, besides its affinity mask. */
export const TASK_BYTES = 4096
/** Bytes per CPU in a task's affinity mask. */
export const MASK_BYTES_PER_CPU = 8
/** Bytes per simulated CPU (run queues, per-CPU state). */
export const CPU_BYTES = 2048

/** Limits a trace must fit in; the CLI's `--max-memory` sets them. */
export interface TraceLimits {
  /** The most memory, in MiB, a trace may be estimated to need. */
  readonly maxMemoryMb: number
}

/** Half of Node's default heap on a 64-bit machine: room left for the results and the search. */
export const DEFAULT_LIMITS: TraceLimits = {maxMemoryMb: 2048}

/** Estimated bytes to simulate `cpus` CPUs and task entries of `count` instances affined to `mask` CPUs each. */
export function footprintBytes(cpus: number, entries: readonly {readonly count: number; readonly mask: number}[]): number {
  let bytes = cpus * CPU_BYTES
  for (const e of entries) bytes += e.count * (TASK_BYTES + e.mask * MASK_BYTES_PER_CPU)
  return bytes
}

/** `bytes` in MiB or GiB for a message. */
export function formatBytes(bytes: number): string {
  const mib = bytes / 2 ** 20
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.ceil(mib)} MiB`
}
