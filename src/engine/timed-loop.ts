import type {EndReason} from '../core/result.ts'
import type {ChoiceSource} from './choice.ts'
import type {Dispatcher} from './dispatch.ts'
import type {SimEvent} from './event-queue.ts'
import type {Machine} from './machine.ts'

/** Queue size below which superseded events are left for the loop to drop as they come due (EventQueue.compact). */
const COMPACT_MIN = 256

/**
 * The timed event loop (ordinary runs; untimed-loop.ts drives exploration): events in time
 * order, superseded ones dropped, and when several are due at the same instant the
 * ChoiceSource picks which runs first (the rest stay batched for the next rounds).
 */
export function timedLoop(m: Machine, d: Dispatcher, choices: ChoiceSource): EndReason {
  const q = m.q
  const batch: SimEvent[] = []
  const horizon = m.scenario.horizon
  const stale = (e: SimEvent): boolean => d.stale(e)
  let compactAt = COMPACT_MIN
  for (;;) {
    let e: SimEvent
    if (q.size > compactAt) {
      q.compact(stale)
      compactAt = Math.max(COMPACT_MIN, 2 * q.size)
    }
    if (batch.length === 0) {
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
        batch.push(e)
        e = pickFromBatch(m, d, choices, batch)!
      }
    } else {
      const picked = pickFromBatch(m, d, choices, batch)
      if (picked === null) continue
      e = picked
    }
    m.now = e.t
    d.dispatch(e)
    q.recycle(e)
    if (m.steps >= m.budget) return 'step-budget'
  }
}

/**
 * Several events are ready at the same instant: gathers them all into `batch` and lets
 * the ChoiceSource decide which runs first; returns it (null when all were stale).
 */
function pickFromBatch(m: Machine, d: Dispatcher, choices: ChoiceSource, batch: SimEvent[]): SimEvent | null {
  const q = m.q
  const bt = batch[0].t
  while (q.size && q.peek()!.t === bt) batch.push(q.pop())
  for (let j = batch.length - 1; j >= 0; j--) {
    if (d.stale(batch[j])) {
      q.recycle(batch[j])
      batch[j] = batch[batch.length - 1]
      batch.pop()
    }
  }
  if (batch.length === 0) return null
  const i = batch.length > 1 ? choices.pick(batch.length, 'order') : 0
  const e = batch[i]
  batch[i] = batch[batch.length - 1]
  batch.pop()
  return e
}
