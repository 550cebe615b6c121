import {Module} from '../../engine/module.ts'
import {CPU_RQ, MOD_MEMORY, OP_READ, type AccessTracer} from '../../engine/tracer.ts'
import {AccessColumns} from './access-columns.ts'
import {ACC_READ, ACC_WORD, ACC_WRITE} from './dependence.ts'

/** The most events one exhaustive run may have. */
export const MAX_EVENTS = 4096

/** Thrown when a run is too long for exhaustive search, or touches an object the engine never registered. */
export class TraceLimit extends Error {}

/** Observer accesses (tracer.ts: module memory and references), kept apart from what commutes. */
export const OBS_MEMORY = 0
export const OBS_FREE = 1
export const OBS_REFS = 2

/**
 * The record of one untimed run for partial-order reduction: for each dispatched event,
 * its actor, which event queued it, what it touched, and whether it was a stutter (a
 * busy-wait check that failed and parked: tracer.ts). Observer accesses (module memory,
 * held references) are recorded apart: they decide findings, not which events commute.
 * Object ids follow allocation order, so they agree between runs that made the same
 * choices so far. Actors are numbered too, in the order the search first meets them
 * (`slot`), so that per-actor state can live in arrays. Reused from run to run (`reset`),
 * with no allocation per access or per event; a run that replays the last one's first
 * events keeps their record and records from where it leaves them.
 */
export class ExecutionTrace implements AccessTracer {
  /** Events dispatched so far. */
  n = 0
  readonly actor = new Int32Array(MAX_EVENTS)
  /** The dense number of each event's actor: the same actor has the same slot in every run of a search. */
  readonly slot = new Int32Array(MAX_EVENTS)
  /** How many actor slots are in use. */
  slots = 0
  /** The queue's sequence counter at each dispatch: events with seq in [seqStart[j], seqStart[j+1]) were queued by j. */
  readonly seqStart = new Float64Array(MAX_EVENTS)
  /** The dispatched event's own sequence number. */
  readonly seq = new Float64Array(MAX_EVENTS)
  readonly stutter = new Uint8Array(MAX_EVENTS)
  /** The accesses of every event: event j's are accStart[j] .. accStart[j + 1] (or acc.n). */
  readonly acc = new AccessColumns(1024)
  readonly accStart = new Int32Array(MAX_EVENTS + 1)
  /** For a stutter j: what would wake it (its words, its CPU's queue), as sleep sets need it: wake[wakeStart[j] .. wakeEnd[j]). */
  readonly wake = new AccessColumns()
  readonly wakeStart = new Int32Array(MAX_EVENTS)
  readonly wakeEnd = new Int32Array(MAX_EVENTS)
  /** Observer accesses: event, module id, OBS_* kind, task, delta. */
  obsN = 0
  obsEvent: number[] = []
  obsMod: number[] = []
  obsKind: number[] = []
  obsTask: number[] = []
  obsDelta: number[] = []
  /** Actors whose pending event an event took away (AccessTracer.disabled): event, actor. */
  disN = 0
  disEvent: number[] = []
  disActor: number[] = []
  /**
   * Object → id for the current run. A new Map each run, not one cleared: a long-lived
   * map pointing at the run's objects would keep them from dying young, and the
   * collector would then copy each run's whole machine into the old generation.
   */
  private ids = new Map<object, number>()
  private nextId = 0
  /** The object last looked up and its id: a step often touches one object several times (a CPU's fields). */
  private lastObj: object | null = null
  private lastId = 0
  /** Actor → slot, kept for the whole search, and slot → actor. */
  private readonly slotOf = new Map<number, number>()
  readonly actorOfSlot: number[] = []
  /** Per id of the current run (new each run, as `ids`): the object it is a field of. */
  private objs: object[] = []
  /** Where each event's observer accesses, taken-away actors and wake list begin (to record again from an event on). */
  private readonly obsAt = new Int32Array(MAX_EVENTS)
  private readonly disAt = new Int32Array(MAX_EVENTS)
  private readonly wakeAt = new Int32Array(MAX_EVENTS)
  /** The current run's first `keep` events replay the last run's: their record stands, and nothing is recorded for them. */
  private keep = 0

  /** Called when an event is complete (before the next is dispatched, or by `finish`). */
  onEventEnd: ((j: number) => void) | null = null

  /**
   * @param observersOrder Whether observer accesses also count among the accesses that order
   * events: executing or holding a module's memory reads it, freeing it writes it. DPOR
   * judges findings from happens-before instead (predict.ts); a search that only counts
   * the findings its runs show (the stateful search's sleep sets) must keep those orders.
   */
  constructor(private readonly observersOrder = false) {}

  /**
   * Starts a run that replays the last run's first `keep` events (the same choices, so
   * the same events touching the same objects): their record is kept, and the rest of
   * the last run's forgotten when the run reaches event `keep`.
   */
  reset(keep: number): void {
    this.n = 0
    this.keep = keep
    if (keep === 0) this.recordFrom(0)
    this.ids = new Map()
    this.objs = []
    this.nextId = 0
    this.lastObj = null
  }

  dispatch(actor: number, seq: number, nextSeq: number): void {
    const j = this.n
    if (j > 0) this.onEventEnd?.(j - 1)
    this.n = j + 1
    if (j < this.keep) return
    if (j >= MAX_EVENTS) throw new TraceLimit(`a run took more than ${MAX_EVENTS} events: too long for exhaustive search (try --strategy pct or random)`)
    if (j === this.keep) this.recordFrom(j)
    this.actor[j] = actor
    this.slot[j] = this.slotFor(actor)
    this.seq[j] = seq
    this.seqStart[j] = nextSeq
    this.accStart[j] = this.acc.n
    this.obsAt[j] = this.obsN
    this.disAt[j] = this.disN
    this.wakeAt[j] = this.wake.n
    this.stutter[j] = 0
  }

  /** Drops what the last run recorded from event j on (j = 0: all of it). */
  private recordFrom(j: number): void {
    this.acc.n = j === 0 ? 0 : this.accStart[j]
    this.obsN = j === 0 ? 0 : this.obsAt[j]
    this.disN = j === 0 ? 0 : this.disAt[j]
    this.wake.n = j === 0 ? 0 : this.wakeAt[j]
  }

  /** Whether the current event's accesses are recorded: one dispatched, and not of the kept prefix. */
  private get recording(): boolean {
    return this.n > this.keep
  }

  private slotFor(actor: number): number {
    let s = this.slotOf.get(actor)
    if (s === undefined) {
      s = this.slots++
      this.slotOf.set(actor, s)
      this.actorOfSlot.push(actor)
    }
    return s
  }

  /** Ends the last event (the run is over). */
  finish(): void {
    this.lastObj = null // the run's objects go with the run (see ids)
    // (A run always goes past the kept prefix: it replays the path to a point, then chooses anew there.)
    if (this.n <= this.keep) this.recordFrom(this.n)
    this.accStart[this.n] = this.acc.n
    if (this.n > 0) this.onEventEnd?.(this.n - 1)
  }

  alloc(obj: object, span: number): void {
    if (obj === this.lastObj) this.lastObj = null
    this.ids.set(obj, this.nextId)
    for (let f = 0; f < span; f++) this.objs[this.nextId + f] = obj
    this.nextId += span
  }

  /** The object an access id of the current run touched (a field of it: `fieldOf`). */
  objectOf(id: number): object {
    return this.objs[id]
  }

  /** Which field of its object an access id is. */
  fieldOf(id: number): number {
    return id - this.ids.get(this.objs[id])!
  }

  private id(obj: object): number {
    if (obj === this.lastObj) return this.lastId
    const id = this.ids.get(obj)
    if (id === undefined) throw new TraceLimit('an event touched an object the engine did not register with the tracer (a kernel object made without the kernel API?)')
    this.lastObj = obj
    this.lastId = id
    return id
  }

  private observe(mod: number, kind: number, task: number, delta: number): void {
    const i = this.obsN++
    this.obsEvent[i] = this.n - 1
    this.obsMod[i] = mod
    this.obsKind[i] = kind
    this.obsTask[i] = task
    this.obsDelta[i] = delta
  }

  access(obj: object, field: number, write: boolean): void {
    if (!this.recording) return
    if (field === MOD_MEMORY && obj instanceof Module) {
      const id = this.id(obj)
      this.observe(id, write ? OBS_FREE : OBS_MEMORY, -1, 0)
      if (this.observersOrder) this.acc.push(id + MOD_MEMORY, write ? ACC_WRITE : ACC_READ, 0, 0, 0, 0)
      return
    }
    this.acc.push(this.id(obj) + field, write ? ACC_WRITE : ACC_READ, 0, 0, 0, 0)
  }

  word(obj: object, field: number, op: number, a: number, b: number, seen: number): void {
    if (!this.recording) return
    this.acc.push(this.id(obj) + field, ACC_WORD, op, a, b, seen)
  }

  refs(mod: object, task: number, delta: number): void {
    if (!this.recording) return
    const id = this.id(mod)
    this.observe(id, OBS_REFS, task, delta)
    if (this.observersOrder) this.acc.push(id + MOD_MEMORY, ACC_READ, 0, 0, 0, 0)
  }

  parked(words: readonly object[], cpu: object): void {
    if (!this.recording) return
    const j = this.n - 1
    this.stutter[j] = 1
    this.wakeStart[j] = this.wake.n
    for (const w of words) this.wake.push(this.id(w), ACC_WORD, OP_READ, 0, 0, (w as {value: number}).value)
    this.wake.push(this.id(cpu) + CPU_RQ, ACC_READ, 0, 0, 0, 0)
    this.wakeEnd[j] = this.wake.n
  }

  disabled(actor: number): void {
    if (!this.recording) return
    const i = this.disN++
    this.disEvent[i] = this.n - 1
    this.disActor[i] = actor
  }

  /** Index past event j's last access. */
  accEnd(j: number): number {
    return j + 1 < this.n ? this.accStart[j + 1] : this.acc.n
  }

  /** Appends to `into` what event j looks like to a sleep set: its accesses, or what would wake it if it was a stutter. */
  copyFootprint(j: number, into: AccessColumns): void {
    if (this.stutter[j]) into.append(this.wake, this.wakeStart[j], this.wakeEnd[j])
    else into.append(this.acc, this.accStart[j], this.accEnd(j))
  }

  /** The event that queued event j, or -1 (queued at boot). */
  creator(j: number): number {
    const s = this.seq[j]
    let lo = 0
    let hi = j - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (this.seqStart[mid] <= s) {
        found = mid
        lo = mid + 1
      } else {
        hi = mid - 1
      }
    }
    return found
  }
}
