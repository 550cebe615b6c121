import type {EndReason} from '../../core/result.ts'
import type {Cpu} from '../cpu.ts'
import {EV_IPI, EV_IRQ, EV_SLICE, EV_START, EV_STEP, EV_TIMER} from '../event-kinds.ts'
import type {SimEvent} from '../event-queue.ts'
import {beat, BEAT_MASK} from '../heartbeat.ts'
import {PARK, SCHEDULE, YIELD, type Task} from '../task.ts'
import {CPU_SCHED, MOD_MEMORY} from '../tracer.ts'
import {VariantError} from '../variant-error.ts'
import {EngineInterrupts} from './engine-interrupts.ts'

/** Queue size below which superseded events are left for the loop to drop as they come due (EventQueue.compact). */
const COMPACT_MIN = 256

/**
 * The engine's event loop (timed runs; untimed-loop.ts drives the untimed ones): events
 * in time order, ties broken by the ChoiceSource, and each CPU's next step.
 */
export abstract class EngineLoop extends EngineInterrupts {
  private readonly batch: SimEvent[] = []

  // ---- the event loop -------------------------------------------------------------------

  protected loop(): EndReason {
    const q = this.q
    const batch = this.batch
    const horizon = this.scenario.horizon
    const stale = (e: SimEvent): boolean => this.stale(e)
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
        if (this.stale(e)) {
          q.recycle(e)
          continue
        }
        if (e.t > horizon) {
          this.now = horizon
          return 'horizon'
        }
        const next = q.peek()
        if (next !== undefined && next.t === e.t) {
          batch.push(e)
          e = this.pickFromBatch()!
        }
      } else {
        const picked = this.pickFromBatch()
        if (picked === null) continue
        e = picked
      }
      this.now = e.t
      this.dispatch(e)
      q.recycle(e)
      if (this.steps >= this.budget) return 'step-budget'
    }
  }

  /**
   * Several events are ready at the same instant: gathers them all and lets the
   * ChoiceSource decide which runs first. The rest stay batched for the next rounds.
   */
  private pickFromBatch(): SimEvent | null {
    const q = this.q
    const batch = this.batch
    const bt = batch[0].t
    while (q.size && q.peek()!.t === bt) batch.push(q.pop())
    for (let j = batch.length - 1; j >= 0; j--) {
      if (this.stale(batch[j])) {
        q.recycle(batch[j])
        batch[j] = batch[batch.length - 1]
        batch.pop()
      }
    }
    if (batch.length === 0) return null
    const i = batch.length > 1 ? this.opts.choices.pick(batch.length, 'order') : 0
    const e = batch[i]
    batch[i] = batch[batch.length - 1]
    batch.pop()
    return e
  }

  /**
   * @internal Whether a queued event was superseded (a CPU's step, a slice, a timer), or in
   * an untimed run is a reschedule IPI sent before its CPU last switched. Such an IPI
   * would find the CPU running its best task and do nothing wherever it arrived (any later
   * need for one sends its own), so dropping it loses no state; arriving at every point
   * only multiplied the schedules an exhaustive search must try. The switch that makes
   * it stale tells the tracer (AccessTracer.disabled), since the IPI could have come
   * first. A timed run keeps it: it takes time, and held while interrupts are off it
   * counts in irq-off delays.
   */
  stale(e: SimEvent): boolean {
    if (e.kind === EV_STEP) return e.tag !== this.cpus[e.cpu].stepGen
    if (e.kind === EV_SLICE) return e.tag !== this.cpus[e.cpu].sliceGen
    if (e.kind === EV_TIMER) return (e.data as Task).timerToken !== e.tag
    if (e.kind === EV_IPI) return this.untimed && e.tag !== this.cpus[e.cpu].ipiGen
    return false
  }

  /** @internal Handles one event at `now`. */
  dispatch(e: SimEvent): void {
    switch (e.kind) {
      case EV_STEP:
        this.stepCpu(this.cpus[e.cpu])
        return
      case EV_TIMER:
        this.interrupt(this.cpus[e.cpu], 'timer', e.data)
        return
      case EV_IRQ:
        this.raiseIrq(e.tag, e.data as number)
        return
      case EV_IPI: {
        const c = this.cpus[e.cpu]
        if (e.tag === c.ipiGen) c.freshIpis--
        this.interrupt(c, 'ipi', null)
        return
      }
      case EV_START: {
        this.wakeUp(e.data as Task, -2)
        return
      }
      case EV_SLICE:
        this.sliceExpired(this.cpus[e.cpu])
        return
    }
  }

  /** Runs one step on a CPU: a deliverable interrupt, a preemption, or the next atomic step. */
  private stepCpu(c: Cpu): void {
    const tr = this.tracer
    if (tr !== null) tr.access(c, CPU_SCHED, false)
    c.stepEnd = -1
    if (c.pending.length && !c.irqsOff && c.irqTask === null) {
      this.deliverPending(c)
      if (c.stepEnd >= 0) return
    }
    const irq = c.irqTask
    const t = irq ?? c.curr
    if (t === null) return
    if (irq === null) {
      if (c.needResched && c.preempt === 0 && !c.irqsOff) {
        this.preempt(c)
        return
      }
      if (t.remaining > 0) {
        const r = t.remaining
        t.remaining = 0
        this.busyRaw(c, r)
        return
      }
    }
    if (t.parkedOn !== null) this.unpark(t)
    if (tr !== null) tr.access(t, 0, true)
    if (t.text.length) {
      const m = t.text[t.text.length - 1]
      if (tr !== null) tr.access(m, MOD_MEMORY, false)
      if (m.freed) this.obs.useAfterFree(this.now, c.id, t.name, m.name, m.instance, 'executed code')
    }
    this.current = t
    this.currentCpu = c.id
    const arg = t.resume
    t.resume = undefined
    const r = t.gen!.next(arg)
    if ((++this.steps & BEAT_MASK) === 0) beat()
    this.current = null
    this.currentCpu = -1
    if (r.done) {
      if (irq !== null) this.exitIrq(c)
      else {
        // do_exit(threadfn's return value): what kthread_stop() and waitpid() hand back.
        if (typeof r.value === 'number') t.exitCode = r.value
        this.exitTask(c, t)
      }
      return
    }
    const v = r.value
    if (typeof v === 'number') this.busy(c, v)
    else if (v === SCHEDULE) this.doSchedule(c, t)
    else if (v === YIELD) this.doYield(c, t)
    else if (v === PARK) {
      this.park(c, t)
      if (tr !== null) tr.parked(t.parkedOn!, c)
    }
    else throw new VariantError(`${t.name} yielded ${JSON.stringify(v)}; a step yields a cost in ns`)
  }
}
