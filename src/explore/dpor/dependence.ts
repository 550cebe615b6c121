import {OP_READ} from '../../engine/tracer.ts'
import type {AccessColumns} from './access-columns.ts'
import type {ExecutionTrace} from './execution-trace.ts'
import {commuteAlways, commuteAt} from './word-ops.ts'

/** How an event touched an object: a plain read or write, or a word operation (word-ops.ts). */
export const ACC_READ = 0
export const ACC_WRITE = 1
export const ACC_WORD = 2

/** Whether an access of this kind (and word operation) only reads. */
export function onlyReads(kind: number, op: number): boolean {
  return kind === ACC_READ || (kind === ACC_WORD && op === OP_READ)
}

/**
 * Whether two accesses to the same object fail to commute. Word operations are simulated
 * in both orders from `base` when the value before both is known (the accesses are
 * adjacent on the word, or both start from the current state; else `base` is NaN and only
 * reads and blind adds commute). Other objects: two accesses conflict unless both read.
 */
export function conflicts(kx: number, opx: number, ax: number, bx: number, ky: number, opy: number, ay: number, by: number, base: number): boolean {
  if (kx === ACC_WORD && ky === ACC_WORD) {
    if (commuteAlways(opx, bx, opy, by)) return false
    return Number.isNaN(base) || !commuteAt(opx, ax, bx, opy, ay, by, base)
  }
  return !(onlyReads(kx, opx) && onlyReads(ky, opy))
}

/**
 * The sleep-set test: whether an event with accesses `fp` [from, to) (as recorded where it
 * was explored) is independent of event `j` of the trace, taken from the current state.
 * Word operations are compared from the value event j saw, which is the value `fp` would
 * see now.
 */
export function independentOf(fp: AccessColumns, from: number, to: number, t: ExecutionTrace, j: number): boolean {
  const acc = t.acc
  const start = t.accStart[j]
  const end = t.accEnd(j)
  for (let x = from; x < to; x++) {
    const obj = fp.obj[x]
    for (let y = start; y < end; y++) {
      if (obj !== acc.obj[y]) continue
      const ky = acc.kind[y]
      if (conflicts(fp.kind[x], fp.op[x], fp.a[x], fp.b[x], ky, acc.op[y], acc.a[y], acc.b[y], ky === ACC_WORD ? acc.seen[y] : NaN)) return false
    }
  }
  return true
}
