import {OP_ACK} from '../../engine/tracer.ts'
import {ACC_READ, ACC_WORD, ACC_WRITE, conflicts, onlyReads} from './dependence.ts'
import {MAX_EVENTS, type ExecutionTrace} from './execution-trace.ts'

const WORDS = MAX_EVENTS / 32
const NONE: number[] = []

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
 * order a search must also try the other way. Reused from run to run (`reset`).
 */
export class HappensBefore {
  private readonly pred = new Uint32Array(MAX_EVENTS * WORDS)
  private readonly lastOfActor = new Map<number, number>()
  /** Per object id: its accesses so far (index into the trace's arrays) and their events; the first histN[o] are current. */
  private readonly histAcc: number[][] = []
  private readonly histEv: number[][] = []
  private histN = new Int32Array(256)
  /** Per object id: 1 + the history position of its last access that is not a read (0: none). */
  private lastW = new Int32Array(256)
  private readonly used: number[] = []
  private nUsed = 0
  private readonly direct = new Int32Array(MAX_EVENTS)
  private readonly deps = new Int32Array(MAX_EVENTS)

  constructor(private readonly trace: ExecutionTrace) {}

  /**
   * Keeps the first `n` events of the last run and forgets the rest: the next run replays
   * the same first n events (the same choices), so their relation stays as it was.
   */
  rollback(n: number): void {
    this.lastOfActor.clear()
    const t = this.trace
    for (let j = n - 1; j >= 0; j--) if (!t.stutter[j] && !this.lastOfActor.has(t.actor[j])) this.lastOfActor.set(t.actor[j], j)
    let kept = 0
    for (let u = 0; u < this.nUsed; u++) {
      const o = this.used[u]
      const evs = this.histEv[o]
      let len = this.histN[o]
      while (len > 0 && evs[len - 1] >= n) len--
      this.histN[o] = len
      let w = Math.min(this.lastW[o], len)
      while (w > 0 && this.isRead(this.histAcc[o][w - 1])) w--
      this.lastW[o] = w
      if (len > 0) this.used[kept++] = o
    }
    this.nUsed = kept
  }

  /** Whether access x (an index into the trace's arrays) only reads. */
  private isRead(x: number): boolean {
    return onlyReads(this.trace.accKind[x], this.trace.accOp[x])
  }

  /** Whether event i happens before event j. */
  before(i: number, j: number): boolean {
    return (this.pred[j * WORDS + (i >> 5)] & (1 << (i & 31))) !== 0
  }

  /** Adds event j (events are added in order); returns the events racing with it. */
  add(j: number): number[] {
    const t = this.trace
    const p = this.pred
    const base = j * WORDS
    p.fill(0, base, base + (j >> 5) + 1)
    if (t.stutter[j]) return NONE
    const actor = t.actor[j]
    const direct = this.direct
    const deps = this.deps
    let nd = 0
    let nr = 0
    const prev = this.lastOfActor.get(actor)
    if (prev !== undefined) direct[nd++] = prev
    const creator = t.creator(j)
    if (creator >= 0 && creator !== prev) direct[nd++] = creator
    const start = t.accStart[j]
    const end = t.accEnd(j)
    for (let x = start; x < end; x++) {
      const o = t.accObj[x]
      const len = o < this.histN.length ? this.histN[o] : 0
      if (len === 0) continue
      const hist = this.histAcc[o]
      const evs = this.histEv[o]
      const kx = t.accKind[x]
      // A plain read conflicts only with the last access that is not a read: start there.
      const from = kx === ACC_READ ? this.lastW[o] - 1 : len - 1
      const completes = kx === ACC_WORD && t.accOp[x] === OP_ACK && t.accSeen[x] === 1
      for (let h = from; h >= 0; h--) {
        const y = hist[h]
        const i = evs[h]
        const ky = t.accKind[y]
        if (completes && ky === ACC_WORD && t.accOp[y] === OP_ACK) {
          // The ack that completes a barrier round follows every ack of the round, though
          // acks commute: whichever order they come in, the round completes after all.
          if (t.accSeen[y] === 1) break
          if (!has(direct, nd, i)) direct[nd++] = i
          continue
        }
        const adjacent = h === len - 1 && kx === ACC_WORD && ky === ACC_WORD
        if (!conflicts(ky, t.accOp[y], t.accA[y], t.accB[y], kx, t.accOp[x], t.accA[x], t.accB[x], adjacent ? t.accSeen[y] : NaN)) continue
        if (!has(direct, nd, i)) direct[nd++] = i
        if (t.actor[i] !== actor && i !== creator && !has(deps, nr, i)) deps[nr++] = i
        if (ky === ACC_WRITE) break
      }
    }
    for (let x = start; x < end; x++) {
      const o = t.accObj[x]
      if (o >= this.histN.length) {
        const size = Math.max(o + 1, this.histN.length * 2)
        const grown = new Int32Array(size)
        grown.set(this.histN)
        this.histN = grown
        const grownW = new Int32Array(size)
        grownW.set(this.lastW)
        this.lastW = grownW
      }
      if ((this.histAcc[o] as number[] | undefined) === undefined) {
        this.histAcc[o] = []
        this.histEv[o] = []
      }
      const len = this.histN[o]
      if (len === 0) this.used[this.nUsed++] = o
      this.histAcc[o][len] = x
      this.histEv[o][len] = j
      this.histN[o] = len + 1
      if (!this.isRead(x)) this.lastW[o] = len + 1
    }
    this.lastOfActor.set(actor, j)
    for (let d = 0; d < nd; d++) {
      const k = direct[d]
      const kb = k * WORDS
      const top = (k >> 5) + 1
      for (let w = 0; w < top; w++) p[base + w] |= p[kb + w]
    }
    let races = NONE
    for (let d = 0; d < nr; d++) {
      const i = deps[d]
      if ((p[base + (i >> 5)] & (1 << (i & 31))) === 0) {
        if (races === NONE) races = []
        races.push(i)
      }
    }
    for (let d = 0; d < nd; d++) {
      const k = direct[d]
      p[base + (k >> 5)] |= 1 << (k & 31)
    }
    return races
  }

  /**
   * The actors that can start the reversal of race (i, j): of the events after i that do
   * not follow it, then j, the actors whose first such event follows none of the others
   * (source-DPOR's initials, Abdulla et al. POPL 2014).
   */
  initials(i: number, j: number): number[] {
    const t = this.trace
    const inV: number[] = []
    for (let k = i + 1; k < j; k++) if (!t.stutter[k] && !this.before(i, k)) inV.push(k)
    inV.push(j)
    const seen = new Set<number>()
    const out: number[] = []
    for (let n = 0; n < inV.length; n++) {
      const k = inV[n]
      const a = t.actor[k]
      if (seen.has(a)) continue
      seen.add(a)
      let first = true
      for (let m = 0; m < n && first; m++) if (this.before(inV[m], k)) first = false
      if (first) out.push(a)
    }
    return out
  }
}
