import type {EndReason} from '../core/result.ts'
import type {ChoiceSource} from './choice.ts'
import type {Dispatcher} from './dispatch.ts'
import {EV_IRQ, EV_SLICE, EV_START, EV_TIMER} from './event-kinds.ts'
import type {SimEvent} from './event-queue.ts'
import type {Machine} from './machine.ts'
import type {Task} from './task.ts'
import {ACTOR_STRIDE} from './tracer.ts'
import {VariantError} from './variant-error.ts'

/**
 * Untimed runs' candidate actors, shared by every engine of the thread (a run never
 * interleaves with another), with a view of each length to hand to the ChoiceSource.
 */
const ACTORS = new Int32Array(4096)
const VIEWS: Int32Array[] = []
/** The candidate events, parallel to ACTORS. */
const CAND: SimEvent[] = []

/** How an untimed run ends when its choice source ends it early (ChoiceSource.candidates). */
export const STOPPED = 'stopped'

/**
 * The untimed loop (exploration): any pending event may run next, not only those due at
 * the earliest instant, as if any CPU could be held up for any time at any step and any
 * IPI, timer, start or interrupt could arrive at any moment after it was sent. So every
 * interleaving a timed run can show, whatever its delays and jitter, is one of these
 * (up to decisions the model takes from the clock: timeslice accounting, the horizon).
 * The candidates are one event per actor (tracer.ts): a CPU's step, the oldest IPI to a
 * CPU (reschedule IPIs sent before the CPU last switched are dropped: Dispatcher.stale), a
 * task's timer or start, an irq source's next raise; the ChoiceSource picks one.
 * They are listed with the actor that ran last first, so choice 0 lets it go on (a
 * preemption is a non-zero choice), then by actor id. The clock advances to
 * max(now, event time): monotonic, and meaningful only as a bound (nothing past the
 * horizon runs). Timeslice expiry alone stays timed: a candidate only when no other
 * pending event is earlier, so that round-robin is not a free choice at every step.
 * The step budget is looked at when there are candidates, before the choice (as the timed
 * loop does): it ends a run only when some event was left, counted step or not. The
 * choice source may end the run at any dispatch, before its choice, by answering false to
 * `candidates` (STOPPED).
 */
export function untimedLoop(e: Machine, d: Dispatcher, src: ChoiceSource): EndReason | typeof STOPPED {
  const q = e.q
  const tr = e.tracer
  let last = -1
  for (;;) {
    const n = candidates(e, d, last)
    if (n === 0) {
      if (q.size === 0) return 'idle'
      e.now = e.scenario.horizon
      return 'horizon'
    }
    if (e.steps >= e.budget) return 'step-budget'
    const actors = VIEWS[n] ?? (VIEWS[n] = ACTORS.subarray(0, n))
    if (src.candidates && src.candidates(actors) === false) return STOPPED
    const i = n > 1 ? src.pick(n, 'order') : 0
    const ev = CAND[i]
    last = actors[i]
    q.remove(ev)
    if (ev.t > e.now) e.now = ev.t
    if (tr !== null) tr.dispatch(last, ev.seq, q.seqCounter)
    d.dispatch(ev)
    q.recycle(ev)
  }
}

/** Fills CAND and ACTORS with the candidates, drops stale events, returns how many. */
function candidates(e: Machine, d: Dispatcher, last: number): number {
  const q = e.q
  const all = q.all()
  let earliest = Infinity
  for (let i = 0; i < all.length; i++) {
    const ev = all[i]
    if (d.stale(ev)) {
      // Rare (a CPU's step superseded); removal reorders the heap, so start over.
      q.remove(ev)
      q.recycle(ev)
      earliest = Infinity
      i = -1
    } else if (ev.kind !== EV_SLICE && ev.t < earliest) {
      earliest = ev.t
    }
  }
  const horizon = e.scenario.horizon
  let n = 0
  for (let i = 0; i < all.length; i++) {
    const ev = all[i]
    if (ev.t > horizon || (ev.kind === EV_SLICE && ev.t > earliest)) continue
    const a = actorOf(ev)
    let j = 0
    while (j < n && ACTORS[j] !== a) j++
    if (j === n) {
      if (n === ACTORS.length) throw new VariantError(`more than ${ACTORS.length} events ready at once: too many for an untimed run`)
      ACTORS[n] = a
      CAND[n++] = ev
    } else if (ev.t < CAND[j].t || (ev.t === CAND[j].t && ev.seq < CAND[j].seq)) {
      CAND[j] = ev
    }
  }
  // Insertion sort: the last actor first, then by actor id.
  for (let j = 1; j < n; j++) {
    const a = ACTORS[j]
    const ev = CAND[j]
    const ka = a === last ? -1 : a
    let k = j - 1
    while (k >= 0 && (ACTORS[k] === last ? -1 : ACTORS[k]) > ka) {
      ACTORS[k + 1] = ACTORS[k]
      CAND[k + 1] = CAND[k]
      k--
    }
    ACTORS[k + 1] = a
    CAND[k + 1] = ev
  }
  return n
}

/**
 * The actor an event belongs to (tracer.ts): what an untimed choice names. Its kind is the
 * event's kind (event-kinds.ts); its number the CPU, task or irq it is for.
 */
function actorOf(ev: SimEvent): number {
  const who = ev.kind === EV_TIMER || ev.kind === EV_START ? (ev.data as Task).id : ev.kind === EV_IRQ ? ev.tag : ev.cpu
  return ev.kind * ACTOR_STRIDE + who
}
