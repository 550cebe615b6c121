import {OP_ACK, OP_ADD, OP_ADD_UNLESS, OP_DEC_IF_POSITIVE, OP_READ, OP_SET} from './tracer.ts'

/**
 * One word operation (tracer.ts, OP_*): the value it leaves in a word that held `v`, and
 * what its caller sees of it, as functions of its operands `a` and `b` (as the tracer
 * records them) and `v`. The kernel API's atomics (kernel/kernel-memory.ts) compute their
 * effect with `next` and their return value from `seen`; the search (src/explore/dpor/
 * word-ops.ts) runs both in either order to tell whether two operations commute.
 */
export interface WordOp {
  next(a: number, b: number, v: number): number
  seen(a: number, b: number, v: number): number
}

/** Read: the value stays; the caller sees it. */
const read: WordOp = {next: (_a, _b, v) => v, seen: (_a, _b, v) => v}
/** Store `a`; the caller sees nothing. */
const set: WordOp = {next: (a) => a, seen: () => 0}
/** Add `a`; the caller sees nothing (b = 0), whether the result is 0 (b = 1: 1 when it is), or the result (b = 2). */
const add: WordOp = {
  next: (a, _b, v) => v + a,
  seen: (a, b, v) => (b === 0 ? 0 : b === 1 ? (v + a === 0 ? 1 : 0) : v + a),
}
/** Add `a` unless the value is `b`; the caller sees whether it added (1) or not (0). */
const addUnless: WordOp = {next: (a, b, v) => (v !== b ? v + a : v), seen: (_a, b, v) => (v !== b ? 1 : 0)}
/** Decrement unless that goes below 0; the caller sees value - 1. */
const decIfPositive: WordOp = {next: (_a, _b, v) => (v - 1 >= 0 ? v - 1 : v), seen: (_a, _b, v) => v - 1}
/** A barrier's ack: decrement, storing `a` instead of 0 (it re-arms); the caller sees nothing. */
const ack: WordOp = {next: (a, _b, v) => (v - 1 === 0 ? a : v - 1), seen: () => 0}

/** The word operations, indexed by their OP_* number. */
export const WORD_OPS: readonly WordOp[] = (() => {
  const t: WordOp[] = []
  t[OP_READ] = read
  t[OP_SET] = set
  t[OP_ADD] = add
  t[OP_ADD_UNLESS] = addUnless
  t[OP_DEC_IF_POSITIVE] = decIfPositive
  t[OP_ACK] = ack
  return t
})()
