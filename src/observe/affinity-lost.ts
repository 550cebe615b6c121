import type {TaskView} from './machine-view.ts'

/**
 * The affinity-lost detector: a trace task whose cpus_allowed at the end differs (as a
 * set) from the affinity a user last gave it, as when stop_machine's kthread_bind or a
 * migration left it pinned elsewhere. Returns the finding's detail, or null.
 */
export function affinityLost(t: TaskView): string | null {
  const last = t.lastSetAffinity
  if (t.spec === null || last === null || sameSet(t.allowed, last)) return null
  return `${t.name} ended with cpus_allowed ${t.allowed.join(',')}, last set to ${last.join(',')}`
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  for (const x of b) if (!a.includes(x)) return false
  return true
}
