import {backtrackRaces} from '../dpor/backtrack-races.ts'
import {ACC_WORD, ACC_WRITE, conflicts} from '../dpor/dependence.ts'
import type {ExecutionTrace} from '../dpor/execution-trace.ts'
import type {HappensBefore} from '../dpor/happens-before.ts'
import type {SearchTree} from '../dpor/search-tree.ts'
import {ANY_OBJECT} from './stable-key.ts'
import {ANY_SLOT, entryB, entryKey, entryKind, entryOp, entrySlot, summaryEntry} from './subtree-summaries.ts'

/** More accesses than this on one path cannot be sorted by (key, access) in a double. */
const ACCESS_LIMIT = 2 ** 24

/** The stable key of the access at `p` of apply's sorted list. */
function keyAt(sorted: Float64Array, p: number): number {
  return Math.floor(sorted[p] / ACCESS_LIMIT)
}

/**
 * The races a path has with what it did not run: when a stateful DPOR search stops at (or
 * passes) a visited state, the events explored after that state are not run again, so the
 * races between them and the path's events before the state must come from the state's
 * subtree summary (Yang, Chen, Gopalakrishnan and Kirby, "Efficient Stateful Dynamic
 * Partial Order Reduction", SPIN 2008, whose dependency graph this replaces by a cruder,
 * sound summary: which actor touched which object how). Each access of a summary that
 * another actor's event on the path does not commute with adds that actor to the path's
 * backtrack set before the event (every actor there when it is not one of them), as
 * DPOR does for a race it sees (Flanagan and Godefroid's rule: the summary does not keep
 * what the entry's event followed, so not source-DPOR's initials).
 */
export class SummaryRaces {
  /** Events of the current run analysed so far (analyseTo). */
  private analysed = 0
  /** Per access of the trace (its index): the stable key of what it touched. */
  private keys = new Float64Array(1024)
  private readonly one = new Int32Array(1)
  /** `apply`'s scratch: the events an entry races with so far. */
  private readonly flagged: number[] = []
  /** `apply`'s scratch: each actor slot's last event, each access's event, the accesses by key and where each key's start. */
  private lastOf = new Int32Array(64)
  private eventOf = new Int32Array(1024)
  private sorted = new Float64Array(1024)
  private starts = new Int32Array(1025)

  constructor(
    private readonly trace: ExecutionTrace,
    private readonly tree: SearchTree,
    /** Happens-before over the run, for DPOR; null: summaries only (no backtracking). */
    private readonly hb: HappensBefore | null,
    /** The stable key (stable-key.ts) of field `field` of `obj`, in the current run. */
    private readonly keyOf: (obj: object, field: number) => number,
    /** The summary being built for the point before event j. */
    private readonly sumOf: (j: number) => Set<number>,
  ) {}

  /** A run starts that replays the last one's first `from` events (their analysis stands). */
  start(from: number): void {
    this.analysed = from
    this.hb?.rollback(from)
  }

  /** For ExecutionTrace.onEventEnd: event j is complete. */
  readonly eventEnded = (j: number): void => {
    this.analyseTo(j + 1)
  }

  /**
   * Takes the current run's events up to n (not included) into their points' summaries
   * and into happens-before, adding the backtrack points their races call for. Without
   * DPOR (no happens-before) nothing reads summaries, so none is kept.
   */
  analyseTo(n: number): void {
    const hb = this.hb
    if (hb === null) return
    for (let e = this.analysed; e < n; e++) {
      this.collect(e, this.sumOf(e))
      backtrackRaces(this.trace, this.tree, hb, e)
    }
    if (n > this.analysed) this.analysed = n
  }

  /**
   * The path's first n events reached a visited state with subtree `summary`: the events
   * explored after it are not run again, so their races with the path come from the
   * summary (`apply`). Back to a state on the path at point `cycleFrom` (a cycle, whose
   * subtree is still being explored; -1: none), every point of the cycle explores every
   * actor, as the cycle proviso of partial-order reduction asks (a transition may not be
   * put off round a cycle for ever).
   */
  pastState(summary: Float64Array, n: number, cycleFrom: number): void {
    this.apply(summary, n)
    if (cycleFrom >= 0) for (let d = cycleFrom; d < n; d++) this.add(d, ANY_SLOT)
  }

  /** Adds event j's accesses to `into` (a summary being built), after noting their stable keys. */
  private collect(j: number, into: Set<number>): void {
    const t = this.trace
    const acc = t.acc
    const end = t.accEnd(j)
    if (end > this.keys.length) {
      const grown = new Float64Array(Math.max(end, this.keys.length * 2))
      grown.set(this.keys)
      this.keys = grown
    }
    for (let x = t.accStart[j]; x < end; x++) {
      const id = acc.obj[x]
      const key = this.keyOf(t.objectOf(id), t.fieldOf(id))
      this.keys[x] = key
      if (t.stutter[j] === 0) into.add(summaryEntry(key, t.slot[j], acc.kind[x], acc.op[x], acc.b[x]))
    }
  }

  /**
   * Adds the backtrack points that the races between the path's first `n` events (all in
   * happens-before) and `summary` call for. An entry races with the latest events on the
   * path that touch its object in a way that does not commute with it, back to the last
   * plain write there (which everything before it on the object precedes), except those
   * that happen before the entry's actor's last event on the path (its program order puts
   * them before the entry) or before another event it races with (they precede the entry
   * through that one).
   */
  private apply(summary: Float64Array, n: number): void {
    const hb = this.hb
    if (summary.length === 0 || hb === null) return
    const t = this.trace
    // The path's accesses sorted by stable key, in path order within a key (reused arrays:
    // this runs at every visited state a path reaches), each access's event, and each actor
    // slot's last event. ANY_OBJECT (0) sorts first.
    let m = 0
    const lastOf = this.lastOf.length < t.slots ? (this.lastOf = new Int32Array(2 * t.slots)) : this.lastOf
    lastOf.fill(-1)
    if (n > 0 && t.accEnd(n - 1) > this.eventOf.length) this.grow(t.accEnd(n - 1))
    for (let i = 0; i < n; i++) {
      if (t.stutter[i] === 1) continue
      lastOf[t.slot[i]] = i
      const end = t.accEnd(i)
      for (let x = t.accStart[i]; x < end; x++) {
        this.eventOf[x] = i
        this.sorted[m++] = this.keys[x] * ACCESS_LIMIT + x
      }
    }
    const sorted = this.sorted.subarray(0, m).sort()
    // Where each key's accesses start in `sorted` (the last entry: m).
    const starts = this.starts
    let groups = 0
    for (let p = 0; p < m; p++) if (p === 0 || keyAt(sorted, p) !== keyAt(sorted, p - 1)) starts[groups++] = p
    starts[groups] = m
    const anyEnd = groups > 0 && keyAt(sorted, 0) === ANY_OBJECT ? starts[1] : 0
    const first = anyEnd > 0 ? 1 : 0
    let g = first // summary entries are sorted, so their keys come in order
    for (const e of summary) {
      const key = entryKey(e)
      const slot = entrySlot(e)
      const last = slot === ANY_SLOT || slot >= t.slots ? -1 : lastOf[slot]
      if (key === ANY_OBJECT) {
        for (let k = first; k < groups; k++) this.raceWith(e, slot, last, starts[k], starts[k + 1], true)
      } else {
        while (g < groups && keyAt(sorted, starts[g]) < key) g++
        if (g < groups && keyAt(sorted, starts[g]) === key) this.raceWith(e, slot, last, starts[g], starts[g + 1], true)
      }
      // ANY_OBJECT accesses may be of different objects: none orders another there.
      if (anyEnd > 0) this.raceWith(e, slot, last, 0, anyEnd, false)
    }
  }

  /**
   * The races summary entry `e` (of actor slot `slot`, whose last event on the path is
   * `last`) has with the path's accesses sorted[lo..hi), latest first; `one`: they are all
   * of one object, so a plain access orders those before it.
   */
  private raceWith(e: number, slot: number, last: number, lo: number, hi: number, one: boolean): void {
    const hb = this.hb!
    const t = this.trace
    const acc = t.acc
    this.flagged.length = 0
    for (let p = hi - 1; p >= lo; p--) {
      const x = this.sorted[p] % ACCESS_LIMIT
      const i = this.eventOf[x]
      if (slot !== ANY_SLOT && t.slot[i] === slot) continue
      if (!conflicts(acc.kind[x], acc.op[x], acc.a[x], acc.b[x], entryKind(e), entryOp(e), 0, entryB(e), NaN)) continue
      if (!(last >= 0 && hb.before(i, last)) && !this.flagged.some((f) => hb.before(i, f))) {
        this.add(i, slot)
        // Only a plain access conflicts whatever the value: a word operation's conflict
        // from an unknown value may not be one, so it orders nothing before the entry.
        if (one && acc.kind[x] !== ACC_WORD) this.flagged.push(i)
      }
      if (one && acc.kind[x] === ACC_WRITE) break
    }
  }

  /** Room in apply's arrays for `n` accesses. */
  private grow(n: number): void {
    if (n > ACCESS_LIMIT) throw new Error(`stateful search: more than ${ACCESS_LIMIT} accesses on one path`)
    const size = Math.max(n, 2 * this.eventOf.length)
    this.eventOf = new Int32Array(size)
    this.sorted = new Float64Array(size)
    this.starts = new Int32Array(size + 1)
  }

  /** Tries actor slot `s` before event i (every actor there, for ANY_SLOT or one not there). */
  private add(i: number, s: number): void {
    const actor = s === ANY_SLOT ? -1 : this.trace.actorOfSlot[s]
    this.one[0] = actor
    this.tree.addBacktrack(i, this.one, 1, actor)
  }
}
