import type {TaskView} from './machine-view.ts'

/**
 * The deadlock detector: of the hung tasks, those that wait on one another in a cycle
 * (following each one's `waitsFor`). A hung task outside every cycle is a plain hang.
 */
export function deadlocked(hung: readonly TaskView[]): Set<TaskView> {
  const set = new Set(hung)
  const out = new Set<TaskView>()
  for (const t of hung) {
    const seen = new Set<TaskView>()
    let cur: TaskView | null = t
    while (cur !== null && set.has(cur) && !seen.has(cur)) {
      seen.add(cur)
      cur = cur.waitsFor
    }
    if (cur === t) for (const s of seen) out.add(s)
  }
  return out
}
