import {describe, expect, it} from 'vitest'
import {ModuleHolds} from '../../src/import/module-holds.ts'

describe('ModuleHolds', () => {
  it('pairs an actor’s own gets and puts innermost first', () => {
    const h = new ModuleHolds()
    h.get('m', 'task:1', 0, 2)
    h.get('m', 'task:1', 10, 3)
    h.put('m', 'task:1', 15, 2)
    h.put('m', 'task:1', 40, 1)
    const refs = h.refs('m')
    expect(refs.byActor.get('task:1')).toEqual({holds: 2, holdNs: 5 + 40, handed: 0})
    expect(refs).toMatchObject({gets: 2, puts: 2, first: {kind: 'get', ts: 0, refcnt: 2}, releasedEarlier: 0, heldAtEnd: 0})
  })

  it('gives a put with no get of its own the oldest outstanding get: a reference handed off', () => {
    const h = new ModuleHolds()
    h.get('m', 'task:1', 0, 2)
    h.get('m', 'task:2', 5, 3)
    h.get('m', 'irq:nvme', 20, 4)
    h.put('m', 'irq:nvme', 21, 3)
    h.put('m', 'irq:nvme', 22, 2)
    const refs = h.refs('m')
    expect(refs.byActor.get('irq:nvme')).toEqual({holds: 1, holdNs: 1, handed: 0})
    expect(refs.byActor.get('task:1')).toEqual({holds: 0, holdNs: 0, handed: 1})
    expect(refs.byActor.get('task:2')).toBeUndefined()
    expect(refs.heldAtEnd).toBe(1)
  })

  it('counts puts of references taken before the capture, and ranks modules by gets', () => {
    const h = new ModuleHolds()
    h.put('a', 'task:1', 0, 1)
    h.get('b', 'task:1', 1, 2)
    h.get('b', 'task:1', 2, 3)
    expect(h.refs('a')).toMatchObject({releasedEarlier: 1, first: {kind: 'put', refcnt: 1}})
    expect(h.ranked()).toEqual([
      {module: 'b', gets: 2},
      {module: 'a', gets: 0},
    ])
  })
})
