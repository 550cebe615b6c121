import {TASK_RUNNING} from '../../src/core/task-state.ts'
import type {TaskView, Wait} from '../../src/observe/machine-view.ts'

/** A hand-built task at the end of a run: awake, idle, with nothing open; `over` sets the rest. */
export function taskView(name: string, over: Partial<TaskView> = {}): TaskView {
  return {
    name,
    cpu: 0,
    where: 'running',
    state: TASK_RUNNING,
    blockedOn: '',
    blockedSince: -1,
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

/**
 * A hand-built wait graph: each waiter waits for one task (a lock owner, a kthread_stop
 * target: the edge's kind is its `blockedOn`), or, given a list, on the count of module
 * `m` held by each of those tasks (a refcount wait: an AND-wait and a condition).
 */
export function waitsOf(...entries: [waiter: TaskView, on: TaskView | readonly TaskView[]][]): Map<TaskView, Wait> {
  return new Map(
    entries.map(([waiter, on]): [TaskView, Wait] =>
      Array.isArray(on)
        ? [waiter, {on: on.map((task: TaskView) => ({task, what: 'refcount of m'})), condition: true}]
        : [waiter, {on: [{task: on as TaskView, what: waiter.blockedOn}], condition: false}],
    ),
  )
}
