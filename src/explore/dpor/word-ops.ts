import {OP_ACK, OP_ADD, OP_READ} from '../../engine/tracer.ts'
import {WORD_OPS, type WordOp} from '../../engine/word-ops.ts'

/**
 * Whether two operations on one word commute from the value `v`: in either order each
 * caller sees the same and the word ends the same. Two reads always do, two blind adds
 * always do, two decrements that both leave it non-zero do (the acks of stop_machine's
 * barrier), a read and a write that changes the value never do.
 */
export function commuteAt(opx: number, ax: number, bx: number, opy: number, ay: number, by: number, v: number): boolean {
  const x = WORD_OPS[opx] as WordOp | undefined
  const y = WORD_OPS[opy] as WordOp | undefined
  if (x === undefined || y === undefined) return false
  const v1 = x.next(ax, bx, v)
  const v2 = y.next(ay, by, v)
  // Each caller sees the same in either order, and the word ends the same.
  return x.seen(ax, bx, v) === x.seen(ax, bx, v2) && y.seen(ay, by, v1) === y.seen(ay, by, v) && y.next(ay, by, v1) === x.next(ax, bx, v2)
}

/**
 * Whether two operations commute from any value: both reads, both adds whose results
 * nobody looks at, or two barrier acks (each a decrement modulo the barrier's size).
 */
export function commuteAlways(opx: number, bx: number, opy: number, by: number): boolean {
  if (opx === OP_READ && opy === OP_READ) return true
  if (opx === OP_ACK && opy === OP_ACK) return true
  return opx === OP_ADD && opy === OP_ADD && bx === 0 && by === 0
}
