import {avalanche} from '../../engine/state-hash.ts'
import {ACC_WRITE} from '../dpor/dependence.ts'
import {ANY_OBJECT} from './stable-key.ts'

/** The slot written for an actor slot a summary cannot hold: it stands for every actor. */
export const ANY_SLOT = 63

/**
 * One access of a subtree summary as a number: a stable object key (stable-key.ts), the
 * actor slot that made it (ANY_SLOT past 62), and its kind, word operation and whether
 * its caller looks at the result (what dependence.ts's `conflicts` needs, from an unknown
 * value).
 */
export function summaryEntry(key: number, slot: number, kind: number, op: number, b: number): number {
  return key * 4096 + Math.min(slot, ANY_SLOT) * 64 + (kind | (op << 2) | (b !== 0 ? 32 : 0))
}

export function entryKey(e: number): number {
  return Math.floor(e / 4096)
}

export function entrySlot(e: number): number {
  return Math.floor(e / 64) % 64
}

export function entryKind(e: number): number {
  return e % 4
}

export function entryOp(e: number): number {
  return Math.floor(e / 4) % 8
}

/** The `b` an entry stands for: 0 when its caller ignores the result, else 1. */
export function entryB(e: number): number {
  return Math.floor(e / 32) % 2
}

const EMPTY = new Float64Array(0)

/** The summary id that stands for every access of every actor (ANY_OBJECT, ANY_SLOT, a write). */
export const EVERYTHING = 1

/**
 * The summaries of explored subtrees, by id (0: the empty one, EVERYTHING): for a visited state,
 * every access made by the events explored after it, as sorted, distinct entries
 * (summaryEntry). Equal summaries are stored once, so the memory grows with the distinct
 * summaries, not the states.
 */
export class SubtreeSummaries {
  private readonly lists: Float64Array[] = [EMPTY, Float64Array.of(summaryEntry(ANY_OBJECT, ANY_SLOT, ACC_WRITE, 0, 0))]
  private readonly byHash = new Map<number, number[]>()
  private scratch = new Float64Array(64)

  /** The entries of summary `id`. */
  get(id: number): Float64Array {
    return this.lists[id]
  }

  /** The id of the summary holding exactly `entries` (sorted in a reused buffer: a new one is copied out). */
  intern(entries: ReadonlySet<number>): number {
    if (entries.size === 0) return 0
    if (this.scratch.length < entries.size) this.scratch = new Float64Array(2 * entries.size)
    let n = 0
    for (const e of entries) this.scratch[n++] = e
    const sorted = this.scratch.subarray(0, n).sort()
    let h = n
    for (let i = 0; i < n; i++) {
      const e = sorted[i]
      h = avalanche(h ^ (e % 0x7fffffff) ^ Math.floor(e / 0x7fffffff))
    }
    const ids = this.byHash.get(h)
    if (ids !== undefined) {
      for (const id of ids) if (equal(this.lists[id], sorted)) return id
    }
    const id = this.lists.length
    this.lists.push(sorted.slice())
    if (ids === undefined) this.byHash.set(h, [id])
    else ids.push(id)
    return id
  }

  /**
   * A state's summary once more of its subtree is explored: adds its summary `id`'s entries
   * to `entries` (what was explored after it on this path) and returns EVERYTHING for a
   * state on a cycle still being explored (StatefulSearch.pastState), else the summary
   * `entries` make: `id` itself when nothing was added (no new one is built).
   */
  merge(id: number, entries: Set<number>, inCycle: boolean): number {
    const had = this.lists[id]
    for (const e of had) entries.add(e)
    if (inCycle) return EVERYTHING
    return entries.size === had.length ? id : this.intern(entries)
  }

  /** How many distinct summaries are stored. */
  get size(): number {
    return this.lists.length
  }

  /** Bytes their entries take (8 a entry, and about 64 a summary for the array and its index). */
  get bytes(): number {
    let b = 0
    for (const l of this.lists) b += l.byteLength + 64
    return b
  }
}

function equal(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
