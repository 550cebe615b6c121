import {describe, expect, it} from 'vitest'
import {deadlocked} from '../../src/observe/deadlock.ts'
import type {TaskView, Wait} from '../../src/observe/machine-view.ts'
import {taskView, waitsOf} from './task-view.ts'

/** Hung tasks named by `names`, each waiting for the one `waits` maps it to (a list: a refcount wait on all of them). */
function graph(names: string[], waits: Record<string, string | string[]>): {tasks: TaskView[]; waits: Map<TaskView, Wait>} {
  const tasks = names.map((n) => taskView(n, {blockedOn: `lock ${n}`}))
  const byName = new Map(tasks.map((t) => [t.name, t]))
  const get = (n: string) => byName.get(n) ?? taskView(n)
  return {
    tasks,
    waits: waitsOf(...tasks.filter((t) => t.name in waits).map((t): [TaskView, TaskView | TaskView[]] => {
      const on = waits[t.name]
      return [t, Array.isArray(on) ? on.map(get) : get(on)]
    })),
  }
}

/** The deadlocked tasks' names, sorted. */
function names(names: string[], waits: Record<string, string | string[]>, hung = names): string[] {
  const g = graph(names, waits)
  return [...deadlocked(g.tasks.filter((t) => hung.includes(t.name)), g.waits).keys()].map((t) => t.name).sort()
}

/** The cycle the detector names for `who`, as `from>to(what)` steps. */
function cycle(names: string[], waits: Record<string, string | string[]>, who: string): string[] | undefined {
  const g = graph(names, waits)
  const c = deadlocked(g.tasks, g.waits).get(g.tasks.find((t) => t.name === who)!)
  return c?.map((s) => `${s.from.name}>${s.to.name}(${s.what})`)
}

describe('the deadlock detector', () => {
  it('finds two tasks waiting on each other', () => {
    expect(names(['a', 'b'], {a: 'b', b: 'a'})).toEqual(['a', 'b'])
  })

  it('finds a task waiting on itself', () => {
    expect(names(['a'], {a: 'a'})).toEqual(['a'])
    expect(names(['rmmod'], {rmmod: ['rmmod']})).toEqual(['rmmod'])
  })

  it('leaves out a task that waits on a cycle without being in it', () => {
    expect(names(['a', 'b', 'c'], {a: 'b', b: 'c', c: 'b'})).toEqual(['b', 'c'])
    expect(names(['rmmod', 'b', 'c'], {rmmod: ['b'], b: 'c', c: 'b'})).toEqual(['b', 'c'])
  })

  it('finds no cycle in a chain that ends at a task that is not hung', () => {
    expect(names(['a', 'b', 'c'], {a: 'b', b: 'c', c: 'a'}, ['a', 'b'])).toEqual([])
    expect(names(['rmmod', 'getter'], {rmmod: ['getter'], getter: 'rmmod'}, ['rmmod'])).toEqual([])
  })

  it('finds nothing among tasks that wait on nobody, or on a count no task holds', () => {
    expect(names(['a', 'b'], {})).toEqual([])
    expect(names(['rmmod'], {rmmod: []})).toEqual([])
  })

  it('follows every edge of an AND-wait: one holder waiting back on the waiter closes the cycle', () => {
    // rmmod waits for the references of io and getter; getter waits on rmmod's lock.
    expect(names(['rmmod', 'io', 'getter'], {rmmod: ['io', 'getter'], getter: 'rmmod'}, ['rmmod', 'getter'])).toEqual(['getter', 'rmmod'])
    expect(cycle(['rmmod', 'io', 'getter'], {rmmod: ['io', 'getter'], getter: 'rmmod'}, 'rmmod')).toEqual([
      'rmmod>getter(refcount of m)',
      'getter>rmmod(lock getter)',
    ])
  })

  it('names a shortest cycle through each task, starting at it', () => {
    const waits = {a: ['c', 'b'], b: 'a', c: 'd', d: 'a'}
    expect(cycle(['a', 'b', 'c', 'd'], waits, 'a')).toEqual(['a>b(refcount of m)', 'b>a(lock b)'])
    expect(cycle(['a', 'b', 'c', 'd'], waits, 'c')).toEqual(['c>d(lock c)', 'd>a(lock d)', 'a>c(refcount of m)'])
  })
})
