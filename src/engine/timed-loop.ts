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
 * same-instant-batch.ts). The run ends at the step budget when the Dispatcher refuses a
 * step of code because the budget is spent (Dispatcher.dispatch); the clock stays at the
 * last event that ran. Events that run no code still run past a spent budget, so a budget
 * of exactly a run's steps ends it idle or at the horizon, as any larger budget does.
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
      const next = q.peek()
      if (next !== undefined && next.t === e.t) {
        batch.start(e)
        e = batch.pick()!
      }
    } else {
      const picked = batch.pick()
      if (picked === null) continue
      e = picked
    }
    const before = m.now
    m.now = e.t
    const ran = d.dispatch(e)
    q.recycle(e)
    if (!ran) {
      m.now = before
      return 'step-budget'
    }
  }
}
