import {describe, expect, it} from 'vitest'
import {deadlocked} from '../../src/observe/deadlock.ts'
import type {TaskView} from '../../src/observe/machine-view.ts'
import {taskView} from './task-view.ts'

/** Hung tasks named by `names`, each waiting for the one `waits` maps it to. */
function waiting(names: string[], waits: Record<string, string>): TaskView[] {
  const ts = names.map((n) => ({...taskView(n), waitsFor: null as TaskView | null}))
  const byName = new Map(ts.map((t) => [t.name, t]))
  for (const t of ts) t.waitsFor = byName.get(waits[t.name]) ?? null
  return ts
}

const names = (s: Set<TaskView>): string[] => [...s].map((t) => t.name).sort()

describe('the deadlock detector', () => {
  it('finds two tasks waiting on each other', () => {
    expect(names(deadlocked(waiting(['a', 'b'], {a: 'b', b: 'a'})))).toEqual(['a', 'b'])
  })

  it('finds a task waiting on itself', () => {
    expect(names(deadlocked(waiting(['a'], {a: 'a'})))).toEqual(['a'])
  })

  it('leaves out a task that waits on a cycle without being in it', () => {
    expect(names(deadlocked(waiting(['a', 'b', 'c'], {a: 'b', b: 'c', c: 'b'})))).toEqual(['b', 'c'])
  })

  it('finds no cycle in a chain that ends at a task that is not hung', () => {
    const [a, b] = waiting(['a', 'b', 'c'], {a: 'b', b: 'c', c: 'a'})
    expect(names(deadlocked([a, b]))).toEqual([])
  })

  it('finds nothing among tasks that wait on nobody', () => {
    expect(names(deadlocked(waiting(['a', 'b'], {})))).toEqual([])
  })
})
