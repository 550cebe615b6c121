import type {ChoiceSource} from './choice.ts'
import type {EventQueue, SimEvent} from './event-queue.ts'

/**
 * Something whose queued events a bumped counter supersedes: a CPU (its step, timeslice
 * and IPI events) or a task (its timer). It tells the batch holding any of its events of
 * every bump (`batch.superseded(this)`), so that only its events need re-checking.
 */
export interface BatchOwner {
  /** Its events in the batch, in no particular order. */
  readonly batched: SimEvent[]
  /** The batch holding them while there are any, else null. */
  batch: SameInstantBatch | null
  /** Whether the batch has it in its list to re-check. */
  dirty: boolean
}

/**
 * The events due at one instant that the timed loop has taken off the queue, from which
 * the ChoiceSource picks which runs next (the rest wait for the following picks). Before
 * each pick it gathers the events newly due at the same instant and drops the superseded
 * ones, in O(1) per pick plus the events that arrived or were touched since the last:
 * only new events and those of owners that bumped a counter (BatchOwner) are checked,
 * never the whole batch. The result is exactly that of checking every event from the
 * last to the first and replacing each superseded one by the batch's last, which is what
 * fixes the order of the events the ChoiceSource chooses among.
 */
export class SameInstantBatch {
  private readonly events: SimEvent[] = []
  /** Events below this index were checked at the last pick. */
  private checked = 0
  private readonly dirty: BatchOwner[] = []
  private readonly staleSlots: number[] = []

  constructor(
    private readonly q: EventQueue,
    private readonly choices: ChoiceSource,
    /** Whether a queued event was superseded (Dispatcher.stale). */
    private readonly stale: (e: SimEvent) => boolean,
    /** The owner whose counter can supersede an event, or null (Dispatcher.owner). */
    private readonly owner: (e: SimEvent) => BatchOwner | null,
  ) {}

  /** How many events wait in the batch (superseded ones included until the next pick). */
  get size(): number {
    return this.events.length
  }

  /** Starts a batch with `e`, an event due at the instant of the queue's next one. */
  start(e: SimEvent): void {
    this.checked = 0
    this.add(e)
  }

  /** Called by an owner (see BatchOwner) whose counter was bumped while it had events here. */
  superseded(o: BatchOwner): void {
    if (o.dirty) return
    o.dirty = true
    this.dirty.push(o)
  }

  /**
   * Gathers the events newly due at the batch's instant and drops (and recycles) the
   * superseded ones; returns how many are left to `take`.
   */
  gather(): number {
    const ev = this.events
    const q = this.q
    const bt = ev[0].t
    const checked = this.checked
    while (q.size && q.peek()!.t === bt) this.add(q.pop())
    const stale = this.staleSlots
    for (let i = checked; i < ev.length; i++) if (this.stale(ev[i])) stale.push(i)
    if (this.dirty.length !== 0) {
      for (const o of this.dirty) {
        o.dirty = false
        for (const e of o.batched) if (e.slot < checked && this.stale(e)) stale.push(e.slot)
      }
      this.dirty.length = 0
    }
    if (stale.length !== 0) {
      if (stale.length > 1) stale.sort((a, b) => b - a)
      for (const s of stale) q.recycle(this.removeAt(s))
      stale.length = 0
    }
    return ev.length
  }

  /** Removes and returns the event the ChoiceSource picks (after `gather` found some). */
  take(): SimEvent {
    const ev = this.events
    const e = this.removeAt(ev.length > 1 ? this.choices.pick(ev.length, 'order') : 0)
    this.checked = ev.length
    return e
  }

  private add(e: SimEvent): void {
    e.slot = this.events.length
    this.events.push(e)
    const o = this.owner(e)
    if (o !== null) {
      e.oslot = o.batched.length
      o.batched.push(e)
      o.batch = this
    }
  }

  /** Takes out the event at `i`, the last one taking its place. */
  private removeAt(i: number): SimEvent {
    const ev = this.events
    const e = ev[i]
    const last = ev.pop()!
    if (i < ev.length) {
      ev[i] = last
      last.slot = i
    }
    e.slot = -1
    const o = this.owner(e)
    if (o !== null) {
      const b = o.batched
      const tail = b.pop()!
      if (tail !== e) {
        b[e.oslot] = tail
        tail.oslot = e.oslot
      }
      if (b.length === 0) o.batch = null
    }
    return e
  }
}
