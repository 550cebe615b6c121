import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {OP_ACK, OP_ADD, OP_ADD_UNLESS, OP_DEC_IF_POSITIVE, OP_READ, OP_SET} from '../../src/engine/tracer.ts'
import {choiceWeight, decodeChoices, encodeChoices, trimZeros} from '../../src/explore/schedule/choice-list.ts'
import {commuteAlways, commuteAt} from '../../src/explore/dpor/word-ops.ts'

describe('choice lists', () => {
  it('read back what they write (run-length text form)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('o', 'd'), fc.integer({min: 0, max: 3})), {maxLength: 60}), (pairs) => {
        const list = {values: pairs.map((p) => p[1]), kinds: pairs.map((p) => p[0]).join('')}
        expect(decodeChoices(encodeChoices(list))).toEqual(list)
      }),
    )
    expect(encodeChoices({values: [0, 0, 0, 2, 1, 1], kinds: 'dddoo' + 'o'})).toBe('d0*3 o2 o1*2')
  })

  it('trim trailing zeros and count delays and preemptions', () => {
    expect(trimZeros({values: [1, 0, 2, 0, 0], kinds: 'odoo' + 'o'})).toEqual({values: [1, 0, 2], kinds: 'odo'})
    expect(choiceWeight({values: [1, 0, 2, 3], kinds: 'oddo'})).toEqual({delays: 1, preemptions: 2})
  })
})

describe('word operations', () => {
  it('commute when in both orders each caller sees the same and the word ends the same', () => {
    // Two acks of a barrier that both leave it non-zero commute; the one that reaches zero does not.
    expect(commuteAt(OP_ADD, -1, 1, OP_ADD, -1, 1, 3)).toBe(true)
    expect(commuteAt(OP_ADD, -1, 1, OP_ADD, -1, 1, 2)).toBe(false)
    expect(commuteAt(OP_ADD, 1, 0, OP_ADD, -1, 0, 5)).toBe(true)
    expect(commuteAt(OP_READ, 0, 0, OP_ADD, 1, 0, 0)).toBe(false)
    expect(commuteAt(OP_ADD_UNLESS, 1, 0, OP_ADD_UNLESS, 1, 0, 1)).toBe(true)
    expect(commuteAt(OP_ADD_UNLESS, 1, 0, OP_DEC_IF_POSITIVE, 0, 0, 1)).toBe(false)
    expect(commuteAt(OP_SET, 3, 0, OP_SET, 3, 0, 1)).toBe(true)
    expect(commuteAt(OP_SET, 3, 0, OP_SET, 4, 0, 1)).toBe(false)
  })

  it('barrier acks (Kernel.barrierAck) commute from any value, the last one included', () => {
    for (let v = 1; v <= 3; v++) expect(commuteAt(OP_ACK, 3, 0, OP_ACK, 3, 0, v)).toBe(true)
    expect(commuteAlways(OP_ACK, 0, OP_ACK, 0)).toBe(true)
    // Not with a read of the count: the last ack re-arms it.
    expect(commuteAt(OP_ACK, 3, 0, OP_READ, 0, 0, 1)).toBe(false)
  })
})
