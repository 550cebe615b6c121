import {Module} from '../../engine/module.ts'
import {CPU_RQ, MOD_MEMORY, OP_READ, type AccessTracer} from '../../engine/tracer.ts'
import {ACC_READ, ACC_WORD, ACC_WRITE, type Access} from './dependence.ts'

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
 * choices so far. Reused from run to run (`reset`), with no allocation per access.
 */
export class ExecutionTrace implements AccessTracer {
  /** Events dispatched so far. */
  n = 0
  readonly actor = new Int32Array(MAX_EVENTS)
  /** The queue's sequence counter at each dispatch: events with seq in [seqStart[j], seqStart[j+1]) were queued by j. */
  readonly seqStart = new Float64Array(MAX_EVENTS)
  /** The dispatched event's own sequence number. */
  readonly seq = new Float64Array(MAX_EVENTS)
  readonly stutter = new Uint8Array(MAX_EVENTS)
  /** For a stutter: what would wake it (its words, its CPU's queue), as sleep sets need it. */
  readonly wakeOn: (readonly Access[] | null)[] = []
  /** Accesses of event j: indices accStart[j] .. accStart[j + 1] (or accN). */
  readonly accStart = new Int32Array(MAX_EVENTS + 1)
  accN = 0
  accObj = new Int32Array(1024)
  accKind = new Uint8Array(1024)
  accOp = new Uint8Array(1024)
  accA = new Float64Array(1024)
  accB = new Float64Array(1024)
  accSeen = new Float64Array(1024)
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
  private ids = new Map<object, number>()
  private nextId = 0

  /** Called when an event is complete (before the next is dispatched, or by `finish`). */
  onEventEnd: ((j: number) => void) | null = null

  /** Forgets the last run. */
  reset(): void {
    this.n = 0
    this.accN = 0
    this.obsN = 0
    this.disN = 0
    this.ids = new Map()
    this.nextId = 0
  }

  dispatch(actor: number, seq: number, nextSeq: number): void {
    const j = this.n
    if (j > 0) this.onEventEnd?.(j - 1)
    if (j >= MAX_EVENTS) throw new TraceLimit(`a run took more than ${MAX_EVENTS} events: too long for exhaustive search (try --strategy pct or random)`)
    this.actor[j] = actor
    this.seq[j] = seq
    this.seqStart[j] = nextSeq
    this.accStart[j] = this.accN
    this.stutter[j] = 0
    this.wakeOn[j] = null
    this.n = j + 1
  }

  /** Ends the last event (the run is over). */
  finish(): void {
    this.accStart[this.n] = this.accN
    if (this.n > 0) this.onEventEnd?.(this.n - 1)
  }

  alloc(obj: object, span: number): void {
    this.ids.set(obj, this.nextId)
    this.nextId += span
  }

  private id(obj: object): number {
    const id = this.ids.get(obj)
    if (id === undefined) throw new TraceLimit('an event touched an object the engine did not register with the tracer (a kernel object made without the kernel API?)')
    return id
  }

  private push(obj: number, kind: number, op: number, a: number, b: number, seen: number): void {
    const i = this.accN
    if (i === this.accObj.length) this.grow()
    this.accObj[i] = obj
    this.accKind[i] = kind
    this.accOp[i] = op
    this.accA[i] = a
    this.accB[i] = b
    this.accSeen[i] = seen
    this.accN = i + 1
  }

  private grow(): void {
    const n = this.accObj.length * 2
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(n)
      b.set(a)
      return b
    }
    this.accObj = g(this.accObj, Int32Array)
    this.accKind = g(this.accKind, Uint8Array)
    this.accOp = g(this.accOp, Uint8Array)
    this.accA = g(this.accA, Float64Array)
    this.accB = g(this.accB, Float64Array)
    this.accSeen = g(this.accSeen, Float64Array)
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
    if (this.n === 0) return
    if (field === MOD_MEMORY && obj instanceof Module) {
      this.observe(this.id(obj), write ? OBS_FREE : OBS_MEMORY, -1, 0)
      return
    }
    this.push(this.id(obj) + field, write ? ACC_WRITE : ACC_READ, 0, 0, 0, 0)
  }

  word(obj: object, field: number, op: number, a: number, b: number, seen: number): void {
    if (this.n === 0) return
    this.push(this.id(obj) + field, ACC_WORD, op, a, b, seen)
  }

  refs(mod: object, task: number, delta: number): void {
    if (this.n === 0) return
    this.observe(this.id(mod), OBS_REFS, task, delta)
  }

  parked(words: readonly object[], cpu: object): void {
    const j = this.n - 1
    this.stutter[j] = 1
    const wake: Access[] = words.map((w) => ({obj: this.id(w), kind: ACC_WORD, op: OP_READ, a: 0, b: 0, seen: (w as {value: number}).value}))
    wake.push({obj: this.id(cpu) + CPU_RQ, kind: ACC_READ, op: 0, a: 0, b: 0, seen: 0})
    this.wakeOn[j] = wake
  }

  disabled(actor: number): void {
    if (this.n === 0) return
    const i = this.disN++
    this.disEvent[i] = this.n - 1
    this.disActor[i] = actor
  }

  /** Index past event j's last access. */
  accEnd(j: number): number {
    return j + 1 < this.n ? this.accStart[j + 1] : this.accN
  }

  /** The accesses of event j, as objects (for sleep sets). */
  eventAccesses(j: number): Access[] {
    const out: Access[] = []
    for (let i = this.accStart[j], end = this.accEnd(j); i < end; i++) {
      out.push({obj: this.accObj[i], kind: this.accKind[i], op: this.accOp[i], a: this.accA[i], b: this.accB[i], seen: this.accSeen[i]})
    }
    return out
  }

  /** What event j looks like to a sleep set: its accesses, or what would wake it if it was a stutter. */
  sleepFootprint(j: number): readonly Access[] {
    return this.stutter[j] ? this.wakeOn[j]! : this.eventAccesses(j)
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
