import type {NormalSched} from '../scenario/types.ts'

/**
 * The era models of the normal scheduling class (SCHED_NORMAL and SCHED_BATCH): the 2.6
 * O(1) scheduler (2.6.0 to 2.6.22) and CFS (2.6.23 on). The numbers are the kernels';
 * what the scheduler does with them is in scheduler.ts, and docs/model.md says what is
 * left out.
 */
export type {NormalSched}

/** CFS's load weight of nice 0 (NICE_0_LOAD). */
export const NICE_0_LOAD = 1024

/** prio_to_weight[] of kernel/sched.c (2.6.23 on): nice -20 .. 19, each step about 1.25×. */
const PRIO_TO_WEIGHT = [
  88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586,
  1277, 1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
]

/** A normal task's CFS load weight for its nice value. */
export function weightOf(nice: number): number {
  return PRIO_TO_WEIGHT[Math.max(-20, Math.min(19, nice)) + 20]
}

/** The O(1) scheduler's static priority, NICE_TO_PRIO(nice): 100 (nice -20) .. 139 (nice 19); lower runs first. */
export function staticPrio(nice: number): number {
  return 120 + nice
}

/** CFS's tunables, ns, for a machine of `cpus` CPUs. */
export interface CfsTunables {
  /** sysctl_sched_latency: the period in which every runnable task runs once. */
  readonly latency: number
  /** sysctl_sched_min_granularity: the shortest slice. */
  readonly minGranularity: number
  /** sysctl_sched_wakeup_granularity: how far ahead a woken task must be to preempt. */
  readonly wakeupGranularity: number
}

/**
 * kernel/sched/fair.c's defaults (6 ms, 0.75 ms, 1 ms), scaled as sched_init_granularity()
 * does by 1 + ilog2(online CPUs, at most 8).
 */
export function cfsTunables(cpus: number): CfsTunables {
  const factor = 1 + Math.floor(Math.log2(Math.min(Math.max(cpus, 1), 8)))
  return {latency: 6_000_000 * factor, minGranularity: 750_000 * factor, wakeupGranularity: 1_000_000 * factor}
}
