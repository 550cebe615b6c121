/**
 * The programs an imported trace gives its tasks and interrupt handlers: each actor's
 * measured activity folded into one mean cycle, repeated as often as the capture shows it,
 * so a trace's size does not grow with the capture's length.
 */
import type {HoldStats} from './module-holds.ts'

/** An op of a trace as written in YAML: a one-key map with its extra keys. */
export type OpDoc = Record<string, unknown>

/**
 * A duration as a trace writes it, exact to the nanosecond: `750ns`, `12.345us`,
 * `1.5ms` (the shortest unit-suffixed decimal that reads back to the same ns).
 */
export function traceDuration(ns: number): string {
  const n = Math.max(0, Math.round(ns))
  if (n === 0) return '0'
  if (n < 1000) return `${n}ns`
  if (n < 1e6) return `${n / 1e3}us`
  if (n < 1e9) return `${n / 1e6}ms`
  return `${n / 1e9}s`
}

/** `ops` repeated `n` times: the ops themselves when n is 1. */
function repeat(n: number, ops: OpDoc[]): OpDoc[] {
  if (n <= 0 || ops.length === 0) return []
  return n === 1 ? ops : [{repeat: n, do: ops}]
}

/** get, call for `holdNs`, put. */
function use(module: string, holdNs: number): OpDoc[] {
  return [{get: module}, {call: module, for: traceDuration(holdNs)}, {put: module}]
}

function spin(ns: number): OpDoc[] {
  return Math.round(ns) > 0 ? [{spin: traceDuration(ns)}] : []
}

function sleep(ns: number): OpDoc[] {
  return Math.round(ns) > 0 ? [{sleep: traceDuration(ns)}] : []
}

/** What a task did in the capture, as the program builder needs it. */
export interface TaskCycle {
  /** Total time running, ns. */
  readonly runNs: number
  /** Completed sleeps, and their total, ns. */
  readonly sleeps: number
  readonly sleepNs: number
  /** When no scheduler event showed it: the time from its first module event to the capture's end. */
  readonly unscheduledSpanNs: number | null
}

/**
 * A task's program: its runs and sleeps as mean cycles (a burst is a run between two
 * sleeps: run for the mean run, sleep for the mean sleep), with its module references
 * spread over the cycles as evenly as whole numbers allow. A reference the task released
 * itself is get, a call into the module for the mean hold, put; one another context
 * released (handed off, as to an I/O completion) is taken at the start of a cycle and
 * dropped after its sleep. A task no scheduler event showed sleeps between its references
 * for the mean gap the capture shows.
 */
export function taskProgram(cycle: TaskCycle, module: string, held: HoldStats | undefined): OpDoc[] {
  const holds = held?.holds ?? 0
  const handed = held?.handed ?? 0
  const hold = holds > 0 ? held!.holdNs / holds : 0
  if (cycle.unscheduledSpanNs !== null) {
    const refs = holds + handed
    if (refs === 0) return []
    return repeat(refs, [...use(module, hold), ...sleep(cycle.unscheduledSpanNs / refs - hold)])
  }
  // Cycles: at least one per sleep and one per reference, so each gets at most one of each.
  const cycles = Math.max(1, cycle.sleeps, holds, handed)
  const run = cycle.runNs / cycles
  const slept = cycle.sleepNs / cycles
  // A group of `k` cycles per reference of the rarer kind that occurs at all.
  const rarest = Math.min(...[holds, handed].filter((n) => n > 0))
  const k = Number.isFinite(rarest) ? Math.max(1, Math.round(cycles / rarest)) : 1
  const groups = Math.max(1, Math.round(cycles / k))
  const owned = holds > 0 ? Math.max(1, Math.round(holds / groups)) : 0
  const passed = handed > 0 ? Math.max(1, Math.round(handed / groups)) : 0
  const body = repeat(k, [...spin(run - (owned * hold) / k), ...sleep(slept)])
  const group = [...repeat(owned, use(module, hold)), ...Array.from({length: passed}, () => ({get: module})), ...body, ...Array.from({length: passed}, () => ({put: module}))]
  return repeat(groups, group)
}

/** An interrupt handler's program: its module references per run, on average (at least one if it took any). */
export function irqProgram(runs: number, module: string, held: HoldStats | undefined): OpDoc[] {
  const holds = held?.holds ?? 0
  if (holds === 0) return []
  return repeat(Math.max(1, Math.round(holds / Math.max(1, runs))), use(module, held!.holdNs / holds))
}
