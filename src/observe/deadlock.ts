import type {TaskView, Wait} from './machine-view.ts'

/** One step of a deadlock cycle: `from` waits on `to`, the kind of wait `what` says. */
export interface CycleStep {
  readonly from: TaskView
  readonly to: TaskView
  readonly what: string
}

/**
 * The deadlock detector: a task is deadlocked when it is on a cycle of the wait graph
 * (`waits`, every edge of every task) restricted to the hung tasks. An AND-wait (a
 * refcount wait on every holder) is on a cycle through any one of its edges: the waiter
 * needs each of them, so one hung task that waits back on it suffices. A hung task on no
 * cycle (waiting on a cycle without being in it, or on a task that is gone, or on a
 * condition) is a plain hang. Each deadlocked task gets one shortest cycle through it,
 * starting at it, the edges tried in their order (deterministic).
 */
export function deadlocked(hung: readonly TaskView[], waits: ReadonlyMap<TaskView, Wait>): Map<TaskView, CycleStep[]> {
  const set = new Set(hung)
  const out = new Map<TaskView, CycleStep[]>()
  for (const t of hung) {
    const cycle = shortestCycle(t, set, waits)
    if (cycle !== null) out.set(t, cycle)
  }
  return out
}

/** A shortest cycle from `t` back to itself through tasks of `among` (breadth first), or null. */
function shortestCycle(t: TaskView, among: ReadonlySet<TaskView>, waits: ReadonlyMap<TaskView, Wait>): CycleStep[] | null {
  const via = new Map<TaskView, CycleStep>()
  let frontier: TaskView[] = [t]
  while (frontier.length) {
    const next: TaskView[] = []
    for (const from of frontier) {
      for (const e of waits.get(from)?.on ?? []) {
        if (!among.has(e.task)) continue
        const step = {from, to: e.task, what: e.what}
        if (e.task === t) return path(step, via)
        if (via.has(e.task)) continue
        via.set(e.task, step)
        next.push(e.task)
      }
    }
    frontier = next
  }
  return null
}

/** The cycle ending with `last`, from its start by the steps recorded in `via`. */
function path(last: CycleStep, via: ReadonlyMap<TaskView, CycleStep>): CycleStep[] {
  const steps = [last]
  for (let s = via.get(last.from); s !== undefined; s = via.get(s.from)) steps.unshift(s)
  return steps
}
