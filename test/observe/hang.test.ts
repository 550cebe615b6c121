import {describe, expect, it} from 'vitest'
import {TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE} from '../../src/core/task-state.ts'
import {hungTasks} from '../../src/observe/hang.ts'
import type {TaskView, Wait} from '../../src/observe/machine-view.ts'
import {taskView, waitsOf} from './task-view.ts'

/** A task asleep uninterruptibly in `on` (what it waits for: the graph `hung` is given). */
const asleep = (name: string, on: string, state = TASK_UNINTERRUPTIBLE) => taskView(name, {where: 'blocked', state, blockedOn: on, blockedSince: 1000})

/** The names of the hung tasks of a machine with these tasks and wait graph; `wakeable` defaults to all of them. */
function hung(tasks: TaskView[], opts: {wakeable?: TaskView[]; pendingWork?: boolean; waits?: Map<TaskView, Wait>} = {}): string[] {
  const view = {now: 5000, cpus: [], tasks, wakeable: new Set(opts.wakeable ?? tasks), waits: opts.waits ?? new Map(), pendingWork: opts.pendingWork ?? false}
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
    const w = asleep('w', 'lock m')
    expect(hung([w, gone], {waits: waitsOf([w, gone])})).toEqual(['w'])
    const runs = taskView('thread')
    const rmmod = asleep('rmmod', 'kthread_stop')
    expect(hung([rmmod, runs], {waits: waitsOf([rmmod, runs])})).toEqual([])
    const stuck = asleep('a', 'wait_for_zero_refcount')
    const b = asleep('b', 'lock m')
    expect(hung([b, stuck, taskView('io')], {wakeable: [stuck], waits: waitsOf([b, stuck])}).sort()).toEqual([])
    expect(hung([b, stuck, taskView('io')], {wakeable: [], waits: waitsOf([b, stuck])}).sort()).toEqual(['a', 'b'])
  })

  it('calls every task of a cycle hung, even while others run', () => {
    const a = asleep('a', 'lock x')
    const b = asleep('b', 'kthread_stop')
    expect(hung([a, b, taskView('io')], {waits: waitsOf([a, b], [b, a])})).toEqual(['a', 'b'])
  })

  it('follows a refcount wait to every holder: one that can never run hangs it, even while others run and a put could find it', () => {
    const rmmod = asleep('rmmod', 'wait_for_zero_refcount')
    const getter = asleep('getter', 'lock module_mutex')
    const io = taskView('io')
    // getter holds a reference and waits on rmmod's lock: neither can go on, whatever io does.
    expect(hung([rmmod, getter, io], {waits: waitsOf([rmmod, [io, getter]], [getter, rmmod])})).toEqual(['rmmod', 'getter'])
    // Holders that can all still run leave it to the wakeup: not hung while io runs.
    expect(hung([rmmod, io], {waits: waitsOf([rmmod, [io]])})).toEqual([])
    // A holder that still runs does not save a waiter no put can find.
    expect(hung([rmmod, io], {wakeable: [], waits: waitsOf([rmmod, [io]])})).toEqual(['rmmod'])
  })

  it('never judges an interruptible sleeper, a timed sleep or a thread not yet woken', () => {
    expect(hung([asleep('i', 'completion', TASK_INTERRUPTIBLE), asleep('s', 'sleep'), asleep('c', 'created')])).toEqual([])
  })
})
