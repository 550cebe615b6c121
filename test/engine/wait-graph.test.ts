import {describe, expect, it} from 'vitest'
import {Module} from '../../src/engine/module.ts'
import {Task, TASK_UNINTERRUPTIBLE} from '../../src/engine/task.ts'
import {waitGraph} from '../../src/engine/wait-graph.ts'

/** A normal task, blocked in `blockedOn` when given. */
function task(id: number, name: string, blockedOn?: string): Task {
  const t = new Task(id, name, 'normal', 0, [0], false, null)
  if (blockedOn !== undefined) Object.assign(t, {where: 'blocked', state: TASK_UNINTERRUPTIBLE, blockedOn})
  return t
}

/** The graph as `waiter: what>task ... (condition)` lines, in task order. */
function edges(tasks: Task[]): string[] {
  return [...waitGraph(tasks)].map(([t, w]) => `${t.name}: ${w.on.map((e) => `${e.what}>${e.task.name}`).join(' ')}${w.condition ? ' (condition)' : ''}`)
}

describe('the wait graph at the end of a run', () => {
  const dummy = new Module({name: 'dummy', loaded: true, refs: 1, init: [], exit: []}, 0)

  it('a wait for a task is one edge, labelled with what the task sleeps in', () => {
    const owner = task(1, 'owner')
    const w = task(2, 'w', 'lock module_mutex')
    w.waitsFor = owner
    expect(edges([owner, w])).toEqual(['w: lock module_mutex>owner'])
  })

  it('a refcount wait is a condition and an edge to every live holder of a reference, none to one that put it back or exited', () => {
    const [a, b, put, gone] = [task(1, 'a'), task(2, 'b', 'lock x'), task(3, 'put'), task(4, 'gone')]
    a.refs.set(dummy, 1)
    b.refs.set(dummy, 2)
    put.refs.set(dummy, 0)
    gone.refs.set(dummy, 1)
    gone.where = 'exited'
    const rmmod = task(5, 'rmmod', 'wait_for_zero_refcount')
    rmmod.waitsFor = dummy
    expect(edges([a, b, put, gone, rmmod])).toEqual(['rmmod: refcount of dummy>a refcount of dummy>b (condition)'])
  })

  it('a count held only from load is a condition with no edge; a task not blocked has no wait', () => {
    const rmmod = task(1, 'rmmod', 'wait_for_zero_refcount')
    rmmod.waitsFor = dummy
    const woken = task(2, 'woken')
    woken.waitsFor = rmmod // never left set by the engine on a running task, ignored if it were
    expect(edges([rmmod, woken])).toEqual(['rmmod:  (condition)'])
  })
})
