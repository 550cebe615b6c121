import type {NormalSched} from '../scenario/types.ts'
import type {Cpu} from './cpu.ts'
import type {Task} from './task.ts'

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

/**
 * The normal class's rules in a timed run of one era (`era` null: an untimed run, where
 * normal tasks keep one FIFO rank): how a task is charged for running, its slice, its
 * place in a queue, and whether a woken one preempts the running one. The scheduler
 * (scheduler.ts) applies them; these read and write only the task's vruntime and key.
 */
export class NormalRules {
  constructor(
    private readonly era: NormalSched | null,
    private readonly cfs: CfsTunables,
  ) {}

  /** CFS's update_curr(): `ran` ns of `t`'s run, weighted by its nice, added to its vruntime. */
  charge(t: Task, ran: number): void {
    t.vruntime += (ran * NICE_0_LOAD) / weightOf(t.priority)
    t.key = t.vruntime
  }

  /** sched_slice(): `t`'s share of the latency period (stretched to min_granularity per task) by weight. */
  cfsSlice(c: Cpu, t: Task): number {
    const w = weightOf(t.priority)
    const total = w + c.rq.sumNormal((x) => weightOf(x.priority))
    const n = 1 + c.rq.sumNormal(() => 1)
    const period = n * this.cfs.minGranularity > this.cfs.latency ? n * this.cfs.minGranularity : this.cfs.latency
    return Math.max(1, Math.round((period * w) / total))
  }

  /** Where `t` goes among the normal tasks of a queue: static priority (O(1)), vruntime (CFS), or FIFO (untimed). */
  setKey(t: Task): void {
    t.key = this.era === 'cfs' ? t.vruntime : this.era === 'o1' ? staticPrio(t.priority) : 0
  }

  /**
   * place_entity(): a normal task joining `c`'s queue under CFS. A new task starts one
   * virtual slice after min_vruntime (START_DEBIT); a woken one no further back than half
   * the latency period (GENTLE_FAIR_SLEEPERS), so a long sleep earns no unbounded credit.
   */
  place(c: Cpu, t: Task): void {
    if (this.era !== 'cfs' || t.rank !== 1) return
    const vslice = (this.cfsSlice(c, t) * NICE_0_LOAD) / weightOf(t.priority)
    const floor = t.everRan ? c.minVruntime - this.cfs.latency / 2 : c.minVruntime + vslice
    if (!t.everRan || t.vruntime < floor) t.vruntime = Math.max(t.vruntime, floor)
  }

  /**
   * Whether normal task `t`, just queued on `c`, preempts the running normal task `cur` at
   * `now`: under O(1) when its priority is better (TASK_PREEMPTS_CURR), under CFS when
   * `cur`'s vruntime is ahead of `t`'s by more than the wakeup granularity (in `t`'s
   * weight: wakeup_gran()). Never in untimed runs.
   */
  wakeupPreempts(c: Cpu, t: Task, cur: Task, now: number): boolean {
    if (this.era === 'o1') return staticPrio(t.priority) < staticPrio(cur.priority)
    if (this.era !== 'cfs') return false
    const curVruntime = cur.vruntime + ((now - c.runStart) * NICE_0_LOAD) / weightOf(cur.priority)
    return curVruntime - t.vruntime > (this.cfs.wakeupGranularity * NICE_0_LOAD) / weightOf(t.priority)
  }
}
