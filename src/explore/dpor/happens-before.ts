import {OP_ACK} from '../../engine/tracer.ts'
import {ACC_READ, ACC_WORD, ACC_WRITE, conflicts, onlyReads} from './dependence.ts'
import {MAX_EVENTS, type ExecutionTrace} from './execution-trace.ts'

const WORDS = MAX_EVENTS / 32

function has(a: Int32Array, n: number, v: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] === v) return true
  return false
}

/**
 * Happens-before over the events of one untimed run, built event by event: j follows i
 * when i is the previous event of j's actor, when i queued j, when they touched an object
 * in ways that do not commute (dependence.ts), or when j completes a barrier round i
 * acked (Kernel.barrierAck), and transitively. Stutters and
 * observer accesses take no part. For each new event it reports the races: earlier events
 * of other actors that j depends on directly and follows through nothing else, whose
 * order a search must also try the other way.
 *
 * Reused from run to run (`rollback`), with every table in typed arrays that grow only to
 * the largest run: each event's predecessors as a bit row, each actor slot's last event,
 * each object's accesses so far. Each event and access added also records what it
 * replaced, so that forgetting the events past a branch point undoes just those.
 */
export class HappensBefore {
  private readonly pred = new Uint32Array(MAX_EVENTS * WORDS)
  /** Events added so far (those of the last run). */
  private n = 0
  /** Per actor slot: its last event that was not a stutter, or -1. */
  private lastOfSlot = new Int32Array(64).fill(-1)
  /** Per event: what lastOfSlot of its actor held before it (for rollback). */
  private readonly prevOfSlot = new Int32Array(MAX_EVENTS)
  /** Per object id: its accesses so far (index into the trace's arrays) and their events; the first histN[o] are current. */
  private readonly histAcc: number[][] = []
  private readonly histEv: number[][] = []
  private histN = new Int32Array(256)
  /** Per object id: 1 + the history position of its last access that is not a read (0: none). */
  private lastW = new Int32Array(256)
  /** Per access: what lastW of its object held before it (for rollback). */
  private prevLastW = new Int32Array(1024)
  private readonly direct = new Int32Array(MAX_EVENTS)
  private readonly deps = new Int32Array(MAX_EVENTS)
  /** The races of the last event added (`add`): the first `add(j)` entries. */
  readonly races = new Int32Array(MAX_EVENTS)
  /** The actors of the last `initials` asked: the first `initials(i, j)` entries. */
  readonly init = new Int32Array(MAX_EVENTS)
  /** `initials`' scratch: the events not after i, and per actor slot the call that last met it. */
  private readonly notAfter = new Int32Array(MAX_EVENTS)
  private metIn = new Int32Array(64)
  private call = 0

  constructor(private readonly trace: ExecutionTrace) {}

  /**
   * Keeps the first `n` events of the last run and forgets the rest: the next run replays
   * the same first n events (the same choices), so their relation stays as it was. Undoes
   * the later events one by one, last first (the trace still holds the last run).
   */
  rollback(n: number): void {
    const t = this.trace
    const obj = t.acc.obj
    for (let j = this.n - 1; j >= n; j--) {
      if (t.stutter[j]) continue
      this.lastOfSlot[t.slot[j]] = this.prevOfSlot[j]
      for (let x = t.accEnd(j) - 1; x >= t.accStart[j]; x--) {
        const o = obj[x]
        this.histN[o]--
        this.lastW[o] = this.prevLastW[x]
      }
    }
    if (n < this.n) this.n = n
  }

  /** Whether access x (an index into the trace's arrays) only reads. */
  private isRead(x: number): boolean {
    return onlyReads(this.trace.acc.kind[x], this.trace.acc.op[x])
  }

  /** Whether event i happens before event j. */
  before(i: number, j: number): boolean {
    return (this.pred[j * WORDS + (i >> 5)] & (1 << (i & 31))) !== 0
  }

  /** Adds event j (events are added in order); returns how many events race with it (`races`). */
  add(j: number): number {
    const t = this.trace
    const acc = t.acc
    const p = this.pred
    const base = j * WORDS
    p.fill(0, base, base + (j >> 5) + 1)
    this.n = j + 1
    if (t.stutter[j]) return 0
    const actor = t.actor[j]
    const slot = t.slot[j]
    if (slot >= this.lastOfSlot.length) this.lastOfSlot = grownTo(this.lastOfSlot, slot + 1, -1)
    const direct = this.direct
    const deps = this.deps
    let nd = 0
    let nr = 0
    const prev = this.lastOfSlot[slot]
    if (prev >= 0) direct[nd++] = prev
    const creator = t.creator(j)
    if (creator >= 0 && creator !== prev) direct[nd++] = creator
    const start = t.accStart[j]
    const end = t.accEnd(j)
    for (let x = start; x < end; x++) {
      const o = acc.obj[x]
      const len = o < this.histN.length ? this.histN[o] : 0
      if (len === 0) continue
      const hist = this.histAcc[o]
      const evs = this.histEv[o]
      const kx = acc.kind[x]
      // A plain read conflicts only with the last access that is not a read: start there.
      const from = kx === ACC_READ ? this.lastW[o] - 1 : len - 1
      const completes = kx === ACC_WORD && acc.op[x] === OP_ACK && acc.seen[x] === 1
      for (let h = from; h >= 0; h--) {
        const y = hist[h]
        const i = evs[h]
        const ky = acc.kind[y]
        if (completes && ky === ACC_WORD && acc.op[y] === OP_ACK) {
          // The ack that completes a barrier round follows every ack of the round, though
          // acks commute: whichever order they come in, the round completes after all.
          if (acc.seen[y] === 1) break
          if (!has(direct, nd, i)) direct[nd++] = i
          continue
        }
        const adjacent = h === len - 1 && kx === ACC_WORD && ky === ACC_WORD
        if (!conflicts(ky, acc.op[y], acc.a[y], acc.b[y], kx, acc.op[x], acc.a[x], acc.b[x], adjacent ? acc.seen[y] : NaN)) continue
        if (!has(direct, nd, i)) direct[nd++] = i
        if (t.actor[i] !== actor && i !== creator && !has(deps, nr, i)) deps[nr++] = i
        if (ky === ACC_WRITE) break
      }
    }
    this.record(j, start, end)
    for (let d = 0; d < nd; d++) {
      const k = direct[d]
      const kb = k * WORDS
      const top = (k >> 5) + 1
      for (let w = 0; w < top; w++) p[base + w] |= p[kb + w]
    }
    let races = 0
    for (let d = 0; d < nr; d++) {
      const i = deps[d]
      if ((p[base + (i >> 5)] & (1 << (i & 31))) === 0) this.races[races++] = i
    }
    for (let d = 0; d < nd; d++) {
      const k = direct[d]
      p[base + (k >> 5)] |= 1 << (k & 31)
    }
    return races
  }

  /** Appends event j's accesses [start, end) to their objects' histories and makes j its actor's last event. */
  private record(j: number, start: number, end: number): void {
    const t = this.trace
    const obj = t.acc.obj
    if (end > this.prevLastW.length) this.prevLastW = grownTo(this.prevLastW, Math.max(end, this.prevLastW.length * 2), 0)
    for (let x = start; x < end; x++) {
      const o = obj[x]
      if (o >= this.histN.length) {
        const size = Math.max(o + 1, this.histN.length * 2)
        this.histN = grownTo(this.histN, size, 0)
        this.lastW = grownTo(this.lastW, size, 0)
      }
      if ((this.histAcc[o] as number[] | undefined) === undefined) {
        this.histAcc[o] = []
        this.histEv[o] = []
      }
      const len = this.histN[o]
      this.histAcc[o][len] = x
      this.histEv[o][len] = j
      this.histN[o] = len + 1
      this.prevLastW[x] = this.lastW[o]
      if (!this.isRead(x)) this.lastW[o] = len + 1
    }
    const slot = t.slot[j]
    this.prevOfSlot[j] = this.lastOfSlot[slot]
    this.lastOfSlot[slot] = j
  }

  /**
   * The actors that can start the reversal of race (i, j): of the events after i that do
   * not follow it, then j, the actors whose first such event follows none of the others
   * (source-DPOR's initials, Abdulla et al. POPL 2014). Returns how many (`init`).
   */
  initials(i: number, j: number): number {
    const t = this.trace
    const notAfter = this.notAfter
    let nv = 0
    for (let k = i + 1; k < j; k++) if (!t.stutter[k] && !this.before(i, k)) notAfter[nv++] = k
    notAfter[nv++] = j
    if (t.slots > this.metIn.length) this.metIn = grownTo(this.metIn, t.slots, 0)
    if (this.call === 0x7fffffff) {
      this.metIn.fill(0)
      this.call = 0
    }
    const call = ++this.call
    let out = 0
    for (let n = 0; n < nv; n++) {
      const k = notAfter[n]
      const s = t.slot[k]
      if (this.metIn[s] === call) continue
      this.metIn[s] = call
      let first = true
      for (let m = 0; m < n && first; m++) if (this.before(notAfter[m], k)) first = false
      if (first) this.init[out++] = t.actor[k]
    }
    return out
  }
}

/** `a` grown to `size` entries, the new ones `fill`. */
function grownTo(a: Int32Array<ArrayBuffer>, size: number, fill: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size).fill(fill)
  b.set(a)
  return b
}
