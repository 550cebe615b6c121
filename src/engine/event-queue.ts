/**
 * A binary min-heap of simulation events ordered by (time, sequence number): events at the
 * same instant come out in the order they were scheduled, so ties break the same way on
 * every run. Which of several same-instant events the engine actually runs first is then
 * decided by its ChoiceSource, never by the heap.
 */
export interface SimEvent {
  /** Simulated time, ns. */
  t: number
  /** Scheduling order, unique and increasing. */
  seq: number
  kind: number
  /** A CPU number, or -1. */
  cpu: number
  /** Kind-specific: a generation counter for CPU events, an id otherwise. */
  tag: number
  data: unknown
  /** Its index in the timed loop's same-instant batch, or -1 (same-instant-batch.ts). */
  slot: number
  /** While batched, its index in its owner's list of batched events (BatchOwner.batched). */
  oslot: number
}

export class EventQueue {
  private readonly heap: SimEvent[] = []
  private readonly pool: SimEvent[] = []
  private nextSeq = 0

  get size(): number {
    return this.heap.length
  }

  /** Schedules an event; returns it. */
  push(t: number, kind: number, cpu: number, tag: number, data: unknown): SimEvent {
    let e = this.pool.pop()
    if (e === undefined) {
      e = {t, seq: this.nextSeq++, kind, cpu, tag, data, slot: -1, oslot: -1}
    } else {
      e.t = t
      e.seq = this.nextSeq++
      e.kind = kind
      e.cpu = cpu
      e.tag = tag
      e.data = data
    }
    const h = this.heap
    let i = h.length
    h.push(e)
    while (i > 0) {
      const p = (i - 1) >> 1
      const q = h[p]
      if (q.t < t || (q.t === t && q.seq < e.seq)) break
      h[i] = q
      i = p
    }
    h[i] = e
    return e
  }

  /** Returns a handled event's object for reuse; the caller must hold no reference to it. */
  recycle(e: SimEvent): void {
    e.data = null
    this.pool.push(e)
  }

  /** The earliest event without removing it, or undefined. */
  peek(): SimEvent | undefined {
    return this.heap[0]
  }

  /** Removes and returns the earliest event. The queue must not be empty. */
  pop(): SimEvent {
    const h = this.heap
    const top = h[0]
    const last = h.pop()!
    if (h.length > 0) this.siftDown(0, last)
    return top
  }

  /** Places `e` in the hole at `i`, moving it down past earlier-ordered children. */
  private siftDown(i: number, e: SimEvent): void {
    const h = this.heap
    const n = h.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      let c = l
      if (r < n && (h[r].t < h[l].t || (h[r].t === h[l].t && h[r].seq < h[l].seq))) c = r
      const m = h[c]
      if (e.t < m.t || (e.t === m.t && e.seq < m.seq)) break
      h[i] = m
      i = c
    }
    h[i] = e
  }

  /**
   * Drops (and recycles) every queued event `stale` says was superseded, in O(n). Events
   * come out in (time, sequence) order whatever the heap's layout, so this changes nothing
   * but the heap's size, which superseded timeslice ends and timers (left in place when a
   * CPU reschedules, and dropped only when they come due) can otherwise swell a
   * hundredfold, making every push and pop slower.
   */
  compact(stale: (e: SimEvent) => boolean): void {
    const h = this.heap
    let n = 0
    for (const e of h) {
      if (stale(e)) this.recycle(e)
      else h[n++] = e
    }
    h.length = n
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, h[i])
  }

  /** Every queued event, in no particular order (for the untimed explorer). */
  all(): readonly SimEvent[] {
    return this.heap
  }

  /** The sequence number the next pushed event will get (the untimed explorer's causality). */
  get seqCounter(): number {
    return this.nextSeq
  }

  /** Removes a specific queued event (O(n)); used by the untimed explorer on small traces. */
  remove(e: SimEvent): void {
    const h = this.heap
    const i = h.indexOf(e)
    if (i < 0) return
    const last = h.pop()!
    if (i === h.length) return
    // Put the last event in the hole, then sift it up or down.
    let j = i
    while (j > 0) {
      const p = (j - 1) >> 1
      const q = h[p]
      if (q.t < last.t || (q.t === last.t && q.seq < last.seq)) break
      h[j] = q
      j = p
    }
    if (j === i) this.siftDown(i, last)
    else h[j] = last
  }
}
