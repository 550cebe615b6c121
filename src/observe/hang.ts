import type {EndReason} from '../core/result.ts'
import {TASK_UNINTERRUPTIBLE} from '../core/task-state.ts'
import type {TaskView} from './machine-view.ts'

/**
 * The hang detector: a task is hung when it sleeps uninterruptibly on something other
 * than a timer (or its creation) and either nothing is left that could wake it (the run
 * went idle) or it has slept for at least `hungTask` ns by `now` (as khungtaskd judges).
 */
export function isHung(t: TaskView, now: number, hungTask: number, ended: EndReason): boolean {
  if (t.where !== 'blocked' || t.state !== TASK_UNINTERRUPTIBLE) return false
  if (t.blockedOn === 'sleep' || t.blockedOn === 'created') return false
  return ended === 'idle' || now - t.blockedSince >= hungTask
}
