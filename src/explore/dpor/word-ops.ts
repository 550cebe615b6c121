import {OP_ACK, OP_ADD, OP_ADD_UNLESS, OP_DEC_IF_POSITIVE, OP_READ, OP_SET} from '../../engine/tracer.ts'

let observed = 0

/**
 * Applies a word operation (src/engine/tracer.ts, OP_*) to the value `v`: returns the new
 * value and leaves in `observed` what the caller sees of the result (as far as it looks).
 */
function apply(op: number, a: number, b: number, v: number): number {
  switch (op) {
    case OP_READ:
      observed = v
      return v
    case OP_SET:
      observed = 0
      return a
    case OP_ADD: {
      const r = v + a
      observed = b === 0 ? 0 : b === 1 ? (r === 0 ? 1 : 0) : r
      return r
    }
    case OP_ADD_UNLESS:
      observed = v !== b ? 1 : 0
      return v !== b ? v + a : v
    case OP_DEC_IF_POSITIVE:
      observed = v - 1
      return v - 1 >= 0 ? v - 1 : v
    case OP_ACK:
      observed = 0
      return v - 1 === 0 ? a : v - 1
    default:
      observed = NaN
      return NaN
  }
}

/**
 * Whether two operations on one word commute from the value `v`: in either order each
 * caller sees the same and the word ends the same. Two reads always do, two blind adds
 * always do, two decrements that both leave it non-zero do (the acks of stop_machine's
 * barrier), a read and a write that changes the value never do.
 */
export function commuteAt(opx: number, ax: number, bx: number, opy: number, ay: number, by: number, v: number): boolean {
  const v1 = apply(opx, ax, bx, v)
  const ox1 = observed
  const xy = apply(opy, ay, by, v1)
  const oy1 = observed
  const v2 = apply(opy, ay, by, v)
  const oy2 = observed
  const yx = apply(opx, ax, bx, v2)
  const ox2 = observed
  return ox1 === ox2 && oy1 === oy2 && xy === yx
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
