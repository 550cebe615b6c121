import {backtrackRaces} from '../dpor/backtrack-races.ts'
import {ACC_WORD, ACC_WRITE, conflicts} from '../dpor/dependence.ts'
import type {ExecutionTrace} from '../dpor/execution-trace.ts'
import type {HappensBefore} from '../dpor/happens-before.ts'
import type {SearchTree} from '../dpor/search-tree.ts'
import {ANY_OBJECT} from './stable-key.ts'
import {ANY_SLOT, entryB, entryKey, entryKind, entryOp, entrySlot, summaryEntry} from './subtree-summaries.ts'

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
    const acc = t.acc
    // The path's accesses by stable key, in order, as (access, event) pairs, and each actor slot's last event.
    const byKey = new Map<number, number[]>()
    const anyKey: number[] = []
    const lastOf = new Int32Array(t.slots).fill(-1)
    for (let i = 0; i < n; i++) {
      if (t.stutter[i] === 1) continue
      lastOf[t.slot[i]] = i
      const end = t.accEnd(i)
      for (let x = t.accStart[i]; x < end; x++) {
        const key = this.keys[x]
        const list = key === ANY_OBJECT ? anyKey : byKey.get(key)
        if (list === undefined) byKey.set(key, [x, i])
        else list.push(x, i)
      }
    }
    for (const e of summary) {
      const key = entryKey(e)
      const slot = entrySlot(e)
      const last = slot === ANY_SLOT || slot >= lastOf.length ? -1 : lastOf[slot]
      const lists = key === ANY_OBJECT ? [...byKey.values(), anyKey] : [byKey.get(key) ?? [], anyKey]
      for (const list of lists) {
        // ANY_OBJECT accesses may be of different objects: none orders another there.
        const one = list !== anyKey
        this.flagged.length = 0
        for (let p = list.length - 2; p >= 0; p -= 2) {
          const x = list[p]
          const i = list[p + 1]
          if (slot !== ANY_SLOT && t.slot[i] === slot) continue
          if (!conflicts(acc.kind[x], acc.op[x], acc.a[x], acc.b[x], entryKind(e), entryOp(e), 0, entryB(e), NaN)) continue
          if (!(last >= 0 && hb.before(i, last)) && !this.flagged.some((g) => hb.before(i, g))) {
            this.add(i, slot)
            // Only a plain access conflicts whatever the value: a word operation's conflict
            // from an unknown value may not be one, so it orders nothing before the entry.
            if (one && acc.kind[x] !== ACC_WORD) this.flagged.push(i)
          }
          if (one && acc.kind[x] === ACC_WRITE) break
        }
      }
    }
  }

  /** Tries actor slot `s` before event i (every actor there, for ANY_SLOT or one not there). */
  private add(i: number, s: number): void {
    const actor = s === ANY_SLOT ? -1 : this.trace.actorOfSlot[s]
    this.one[0] = actor
    this.tree.addBacktrack(i, this.one, 1, actor)
  }
}
