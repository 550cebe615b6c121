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
 * The hang detector, by the wait graph (`MachineView.waits`): the tasks in an
 * uninterruptible wait at the end that nothing left could let go on. A task that waits
 * for tasks (a lock holder, a thread to exit, every holder of a reference) can go on only
 * if each of them can still run: an AND-wait, so one of them hung or gone is enough to
 * hang it. One that waits on a condition (a completion, a refcount, a flag) needs besides
 * a wakeup, which can come only if some memory still points at it (`MachineView.wakeable`)
 * and something can still run: a task running, queued, not yet started or in a timed
 * sleep, or an interrupt still to come. Tasks waiting on one another in a cycle can never
 * go on (deadlock.ts tells them apart).
 */
export function hungTasks(m: MachineView): TaskView[] {
  // Most runs end with no task in such a wait: then nothing below is needed (nor the view's wait graph).
  if (!m.tasks.some(inWait)) return []
  const anyLive = m.pendingWork || m.tasks.some(live)
  const memo = new Map<TaskView, boolean>()
  const canWake = (t: TaskView): boolean => {
    if (live(t)) return true
    if (t.where === 'exited') return false
    const known = memo.get(t)
    if (known !== undefined) return known
    memo.set(t, false) // a wait that leads back to itself: a cycle, never woken
    const w = m.waits.get(t)
    const woken = w === undefined || w.condition ? anyLive && m.wakeable.has(t) : true
    const r = woken && (w === undefined || w.on.every((e) => canWake(e.task)))
    memo.set(t, r)
    return r
  }
  return m.tasks.filter((t) => inWait(t) && !canWake(t))
}

/** A task that can still run by itself: running, queued, not yet started, or in a timed sleep. */
function live(t: TaskView): boolean {
  return t.where === 'running' || t.where === 'queued' || t.where === 'new' || (t.where === 'blocked' && t.blockedOn === 'sleep')
}
