import {describe, expect, it} from 'vitest'
import {TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE} from '../../src/core/task-state.ts'
import {hungTasks} from '../../src/observe/hang.ts'
import type {TaskView} from '../../src/observe/machine-view.ts'
import {taskView} from './task-view.ts'

/** A task asleep uninterruptibly in `on`, waiting for `waitsFor` (or on a condition). */
const asleep = (name: string, on: string, waitsFor: TaskView | null = null, state = TASK_UNINTERRUPTIBLE) =>
  taskView(name, {where: 'blocked', state, blockedOn: on, blockedSince: 1000, waitsFor})

/** The names of the hung tasks of a machine with these tasks; `wakeable` defaults to all of them. */
function hung(tasks: TaskView[], opts: {wakeable?: TaskView[]; pendingWork?: boolean} = {}): string[] {
  const view = {now: 5000, cpus: [], tasks, wakeable: new Set(opts.wakeable ?? tasks), pendingWork: opts.pendingWork ?? false}
  return hungTasks(view).map((t) => t.name)
}

describe('the hang detector (the wait graph)', () => {
  it('calls a wait on a condition hung when nothing can run any more, however short', () => {
    expect(hung([asleep('rmmod', 'wait_for_zero_refcount')])).toEqual(['rmmod'])
  })

  it('does not call it hung while a task runs, waits to run, has not started, or sleeps on a timer', () => {
    for (const where of ['running', 'queued', 'new']) {
      expect(hung([asleep('rmmod', 'wait_for_zero_refcount'), taskView('io', {where})])).toEqual([])
    }
    expect(hung([asleep('rmmod', 'wait_for_zero_refcount'), asleep('io', 'sleep')])).toEqual([])
  })

  it('does not call it hung while interrupts are still to come', () => {
    expect(hung([asleep('rmmod', 'wait_for_zero_refcount')], {pendingWork: true})).toEqual([])
  })

  it('calls it hung, whatever still runs, when no memory points at it: no wakeup can find it', () => {
    const rmmod = asleep('rmmod', 'wait_for_zero_refcount')
    expect(hung([rmmod, taskView('io')], {wakeable: []})).toEqual(['rmmod'])
  })

  it('follows a wait for another task: hung when that one is hung or gone, not while it can run', () => {
    const gone = taskView('owner', {where: 'exited'})
    expect(hung([asleep('w', 'lock m', gone), gone])).toEqual(['w'])
    const runs = taskView('thread')
    expect(hung([asleep('rmmod', 'kthread_stop', runs), runs])).toEqual([])
    const stuck = asleep('a', 'wait_for_zero_refcount')
    expect(hung([asleep('b', 'lock m', stuck), stuck, taskView('io')], {wakeable: [stuck]}).sort()).toEqual([])
    expect(hung([asleep('b', 'lock m', stuck), stuck, taskView('io')], {wakeable: []}).sort()).toEqual(['a', 'b'])
  })

  it('calls every task of a cycle hung, even while others run', () => {
    const a = asleep('a', 'lock x')
    const b = asleep('b', 'kthread_stop', a)
    Object.assign(a, {waitsFor: b})
    expect(hung([a, b, taskView('io')])).toEqual(['a', 'b'])
  })

  it('never judges an interruptible sleeper, a timed sleep or a thread not yet woken', () => {
    expect(hung([asleep('i', 'completion', null, TASK_INTERRUPTIBLE), asleep('s', 'sleep'), asleep('c', 'created')])).toEqual([])
  })
})
