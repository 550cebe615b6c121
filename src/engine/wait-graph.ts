import type {Wait, WaitEdge} from '../observe/machine-view.ts'
import {Module} from './module.ts'
import {Task} from './task.ts'

/**
 * The wait graph at the end of a run, from each blocked task's `waitsFor` (task.ts): a
 * task named there is one edge, labelled with the sleep's `blockedOn`, and so is a
 * mutex's owner at the end (none: a lost wakeup, no edge). A module means a refcount
 * wait: an edge to every task that still holds a reference to it then (its `refs`, the
 * observers' ground truth) and a condition (a put must wake the waiter). A holder that
 * has exited leaked its reference: it is no task to wait for, so a count held only by
 * exited tasks or the module's references from load is a condition alone.
 * Built once at the end, not per step: the holders are those of the end state. An
 * interrupt handler holding a reference is left out: it is running, so it could neither
 * hang the waiter nor close a cycle.
 */
export function waitGraph(tasks: readonly Task[]): Map<Task, Wait> {
  const out = new Map<Task, Wait>()
  for (const t of tasks) {
    const w = t.waitsFor
    if (w === null || t.where !== 'blocked') continue
    if (w instanceof Task) {
      out.set(t, {on: [{task: w, what: t.blockedOn}], condition: false})
    } else if (w instanceof Module) {
      const on: WaitEdge[] = []
      for (const h of tasks) if (h.where !== 'exited' && (h.refs.get(w) ?? 0) > 0) on.push({task: h, what: `refcount of ${w.name}`})
      out.set(t, {on, condition: true})
    } else {
      // A mutex: its owner now (none: it was released and this waiter never woken).
      out.set(t, {on: w.owner === null ? [] : [{task: w.owner, what: t.blockedOn}], condition: false})
    }
  }
  return out
}
