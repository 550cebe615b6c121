import {TASK_RUNNING} from '../../src/core/task-state.ts'
import type {TaskView} from '../../src/observe/machine-view.ts'

/** A hand-built task at the end of a run: awake, idle, with nothing open; `over` sets the rest. */
export function taskView(name: string, over: Partial<Omit<TaskView, 'waitsFor'>> & {waitsFor?: TaskView | null} = {}): TaskView {
  return {
    name,
    cpu: 0,
    where: 'running',
    state: TASK_RUNNING,
    blockedOn: '',
    blockedSince: -1,
    waitsFor: null,
    rt: false,
    spec: null,
    allowed: [0],
    lastSetAffinity: null,
    runnableSince: -1,
    syscallStart: -1,
    busyWaitStart: -1,
    busyWaitAtomic: false,
    busyWaitOff: 0,
    busyWaitOffSince: -1,
    ...over,
  }
}
