import {Module} from './module.ts'
import {Task} from './task.ts'

/**
 * The tasks a wakeup could still reach: every task found by following the kernel's and
 * the variant's memory from `roots` (variant statics, module refcount structures, wait
 * queues, completions, mutexes, thread lists), as a reviewer asks "who still has a
 * pointer to this sleeper?". A task found is not searched further except for the tasks
 * waiting for it to exit; a module only through its refcount structure (`priv`); a
 * completion or mutex (`waitObjects`) only through its waiters (a mutex's owner is not
 * woken through it).
 * Generator-local variables of running code are not memory this walk can see.
 */
export function wakeableTasks(roots: readonly unknown[], waitObjects: ReadonlySet<object>): Set<Task> {
  const found = new Set<Task>()
  const seen = new Set<object>()
  const stack: unknown[] = [...roots]
  while (stack.length) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object' || seen.has(v)) continue
    seen.add(v)
    if (waitObjects.has(v)) {
      stack.push(...(v as {waiters: Task[]}).waiters)
    } else if (v instanceof Task) {
      found.add(v)
      stack.push(...v.exitWaiters)
    } else if (v instanceof Module) {
      stack.push(v.priv)
    } else if (Array.isArray(v)) {
      stack.push(...(v as unknown[]))
    } else if (v instanceof Map) {
      for (const [key, value] of v) stack.push(key, value)
    } else if (v instanceof Set) {
      stack.push(...v)
    } else if (!ArrayBuffer.isView(v)) {
      stack.push(...(Object.values(v) as unknown[]))
    }
  }
  return found
}
