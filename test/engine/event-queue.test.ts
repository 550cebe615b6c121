import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {EventQueue, type SimEvent} from '../../src/engine/event-queue.ts'

/** Pops everything: the events' (time, tag) in the order they come out. */
function drain(q: EventQueue): string[] {
  const out: string[] = []
  while (q.size) {
    const e = q.pop()
    out.push(`${e.t}:${e.tag}`)
  }
  return out
}

describe('EventQueue', () => {
  it('pops in (time, scheduling order), and compact() drops exactly the stale events without changing that order', () => {
    fc.assert(
      fc.property(fc.array(fc.record({t: fc.integer({min: 0, max: 20}), stale: fc.boolean()}), {maxLength: 300}), fc.integer({min: 0, max: 300}), (events, at) => {
        const plain = new EventQueue()
        const compacted = new EventQueue()
        const staleTags = new Set<number>()
        events.forEach(({t, stale}, tag) => {
          if (stale) staleTags.add(tag)
          plain.push(t, 0, -1, tag, null)
          compacted.push(t, 0, -1, tag, null)
          if (tag === at) compacted.compact((e: SimEvent) => staleTags.has(e.tag))
        })
        compacted.compact((e: SimEvent) => staleTags.has(e.tag))
        const expected = drain(plain).filter((s) => !staleTags.has(Number(s.split(':')[1])))
        expect(drain(compacted)).toEqual(expected)
        const sorted = [...expected].sort((a, b) => Number(a.split(':')[0]) - Number(b.split(':')[0]) || Number(a.split(':')[1]) - Number(b.split(':')[1]))
        expect(expected).toEqual(sorted)
      }),
    )
  })
})
