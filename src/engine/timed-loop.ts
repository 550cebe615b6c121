import type {EndReason} from '../core/result.ts'
import type {ChoiceSource} from './choice.ts'
import type {Dispatcher} from './dispatch.ts'
import type {SimEvent} from './event-queue.ts'
import type {Machine} from './machine.ts'
import {SameInstantBatch} from './same-instant-batch.ts'

/** Queue size below which superseded events are left for the loop to drop as they come due (EventQueue.compact). */
const COMPACT_MIN = 256

/**
 * The timed event loop (ordinary runs; untimed-loop.ts drives exploration): events in time
 * order, superseded ones dropped, and when several are due at the same instant the
 * ChoiceSource picks which runs first (the rest stay batched for the next rounds,
 * same-instant-batch.ts). The step budget is looked at before an event is dispatched, so
 * a run with nothing left to dispatch after its last budgeted step ends idle or at the
 * horizon, as with any larger budget. A live event that would count no step (an irq
 * raise, a timer) still ends it at the budget (steps are counted only in
 * Dispatcher.stepCpu): refusing only steps of code would let such events run without bound
 * past the budget (an irq raised every microsecond during a minute with interrupts off
 * is 60 million events), so the budget bounds events.
 */
export function timedLoop(m: Machine, d: Dispatcher, choices: ChoiceSource): EndReason {
  const q = m.q
  const horizon = m.scenario.horizon
  const stale = (e: SimEvent): boolean => d.stale(e)
  const batch = new SameInstantBatch(q, choices, stale, (e) => d.owner(e))
  let compactAt = COMPACT_MIN
  for (;;) {
    let e: SimEvent
    if (q.size > compactAt) {
      q.compact(stale)
      compactAt = Math.max(COMPACT_MIN, 2 * q.size)
    }
    if (batch.size === 0) {
      if (q.size === 0) return 'idle'
      e = q.pop()
      if (d.stale(e)) {
        q.recycle(e)
        continue
      }
      if (e.t > horizon) {
        m.now = horizon
        return 'horizon'
      }
      if (m.steps >= m.budget) return 'step-budget'
      const next = q.peek()
      if (next !== undefined && next.t === e.t) {
        batch.start(e)
        batch.gather()
        e = batch.take()
      }
    } else {
      if (batch.gather() === 0) continue
      if (m.steps >= m.budget) return 'step-budget'
      e = batch.take()
    }
    m.now = e.t
    d.dispatch(e)
    q.recycle(e)
  }
}
