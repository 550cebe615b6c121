import {TASK_UNINTERRUPTIBLE} from '../core/task-state.ts'
import type {MachineView, TaskView} from './machine-view.ts'

/**
 * Whether `t` is in an uninterruptible wait on something other than a timer (a timed
 * sleep ends by itself) or its creation: the waits the hang and hung-task detectors judge.
 */
export function inWait(t: TaskView): boolean {
  return t.where === 'blocked' && t.state === TASK_UNINTERRUPTIBLE && t.blockedOn !== 'sleep' && t.blockedOn !== 'created'
}

/**
 * The hang detector, by the wait graph: the tasks in an uninterruptible wait at the end
 * that nothing left could wake. A task that waits for another (a lock holder, a thread
 * to exit) can be woken when that one can still run; one that waits on a condition
 * (a completion, a refcount, a flag) can be woken only if some memory still points at
 * it (`MachineView.wakeable`) and something can still run: a task running, queued, not
 * yet started or in a timed sleep, or an interrupt still to come. Tasks waiting on one
 * another in a cycle can never be woken (deadlock.ts tells them apart).
 */
export function hungTasks(m: MachineView): TaskView[] {
  const anyLive = m.pendingWork || m.tasks.some(live)
  const memo = new Map<TaskView, boolean>()
  const canWake = (t: TaskView): boolean => {
    if (live(t)) return true
    if (t.where === 'exited') return false
    const known = memo.get(t)
    if (known !== undefined) return known
    memo.set(t, false) // a wait that leads back to itself: a cycle, never woken
    const r = t.waitsFor !== null ? canWake(t.waitsFor) : anyLive && m.wakeable.has(t)
    memo.set(t, r)
    return r
  }
  return m.tasks.filter((t) => inWait(t) && !canWake(t))
}

/** A task that can still run by itself: running, queued, not yet started, or in a timed sleep. */
function live(t: TaskView): boolean {
  return t.where === 'running' || t.where === 'queued' || t.where === 'new' || (t.where === 'blocked' && t.blockedOn === 'sleep')
}
