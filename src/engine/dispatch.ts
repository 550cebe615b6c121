import type {Cpu} from './cpu.ts'
import type {CpuTime} from './cpu-time.ts'
import {EV_IPI, EV_IRQ, EV_SLICE, EV_START, EV_STEP, EV_TIMER} from './event-kinds.ts'
import type {SimEvent} from './event-queue.ts'
import {beat, BEAT_MASK} from './heartbeat.ts'
import type {Interrupts} from './interrupts.ts'
import type {Machine} from './machine.ts'
import type {BatchOwner} from './same-instant-batch.ts'
import type {Scheduler} from './scheduler.ts'
import {PARK, SCHEDULE, YIELD, type Task} from './task.ts'
import {CPU_SCHED, MOD_MEMORY, type AccessTracer} from './tracer.ts'
import {VariantError} from './variant-error.ts'

/**
 * What one event does when the loop (timed-loop.ts or untimed-loop.ts) takes it: a CPU's
 * next step, a timer, an irq, an IPI, a task's start, a timeslice's end; and which queued
 * events were superseded. A CPU's step is here too: the next atomic step of the task or
 * handler it runs, after any interrupt it can take or preemption it owes.
 */
export class Dispatcher {
  private readonly tr: AccessTracer | null
  private readonly untimed: boolean

  constructor(
    private readonly m: Machine,
    private readonly time: CpuTime,
    private readonly sched: Scheduler,
    private readonly irqs: Interrupts,
  ) {
    this.tr = m.tracer
    this.untimed = m.untimed
  }

  /**
   * Whether a queued event was superseded (a CPU's step, a slice, a timer), or in an
   * untimed run is a reschedule IPI sent before its CPU last switched. Such an IPI would
   * find the CPU running its best task and do nothing wherever it arrived (any later need
   * for one sends its own), so dropping it loses no state; arriving at every point only
   * multiplied the schedules an exhaustive search must try. The switch that makes it stale
   * tells the tracer (AccessTracer.disabled), since the IPI could have come first. A timed
   * run keeps it: it takes time, and held while interrupts are off it counts in irq-off
   * delays.
   */
  stale(e: SimEvent): boolean {
    if (e.kind === EV_STEP) return e.tag !== this.m.cpus[e.cpu].stepGen
    if (e.kind === EV_SLICE) return e.tag !== this.m.cpus[e.cpu].sliceGen
    if (e.kind === EV_TIMER) return (e.data as Task).timerToken !== e.tag
    if (e.kind === EV_IPI) return this.untimed && e.tag !== this.m.cpus[e.cpu].ipiGen
    return false
  }

  /** The CPU or task whose counter can supersede `e` (see stale), or null when nothing can. */
  owner(e: SimEvent): BatchOwner | null {
    if (e.kind === EV_TIMER) return e.data as Task
    if (e.kind === EV_STEP || e.kind === EV_SLICE || (e.kind === EV_IPI && this.untimed)) return this.m.cpus[e.cpu]
    return null
  }

  /** Handles one event at `now`. */
  dispatch(e: SimEvent): void {
    switch (e.kind) {
      case EV_STEP:
        this.stepCpu(this.m.cpus[e.cpu])
        return
      case EV_TIMER:
        this.irqs.interrupt(this.m.cpus[e.cpu], 'timer', e.data)
        return
      case EV_IRQ:
        this.irqs.raiseIrq(e.tag, e.data as number)
        return
      case EV_IPI:
        this.irqs.ipi(this.m.cpus[e.cpu], e.tag)
        return
      case EV_START:
        this.sched.wakeUp(e.data as Task, -2)
        return
      case EV_SLICE:
        this.sched.sliceExpired(this.m.cpus[e.cpu])
        return
    }
  }

  /** Runs one step on a CPU: a deliverable interrupt, a preemption, or the next atomic step. */
  private stepCpu(c: Cpu): void {
    const m = this.m
    const tr = this.tr
    if (tr !== null) tr.access(c, CPU_SCHED, false)
    c.stepEnd = -1
    if (c.pending.length && !c.irqsOff && c.irqTask === null) {
      this.irqs.deliverPending(c)
      if (c.stepEnd >= 0) return
    }
    const irq = c.irqTask
    const t = irq ?? c.curr
    if (t === null) return
    if (irq === null) {
      if (c.needResched && c.preempt === 0 && !c.irqsOff) {
        this.sched.preempt(c)
        return
      }
      if (t.remaining > 0) {
        const r = t.remaining
        t.remaining = 0
        this.time.busyRaw(c, r)
        return
      }
    }
    if (t.parkedOn !== null) this.time.unpark(t)
    if (tr !== null) tr.access(t, 0, true)
    if (t.text.length) {
      const mod = t.text[t.text.length - 1]
      if (tr !== null) tr.access(mod, MOD_MEMORY, false)
      if (mod.freed) m.obs.useAfterFree(m.now, c.id, t.name, mod.name, mod.instance, 'executed code')
    }
    m.current = t
    m.currentCpu = c.id
    const arg = t.resume
    t.resume = undefined
    const r = t.gen!.next(arg)
    if ((++m.steps & BEAT_MASK) === 0) beat()
    m.current = null
    m.currentCpu = -1
    if (r.done) {
      if (irq !== null) this.irqs.exitIrq(c)
      else {
        // do_exit(threadfn's return value): what kthread_stop() and waitpid() hand back.
        if (typeof r.value === 'number') t.exitCode = r.value
        this.sched.exitTask(c, t)
      }
      return
    }
    const v = r.value
    if (typeof v === 'number') this.time.busy(c, v)
    else if (v === SCHEDULE) this.sched.doSchedule(c, t)
    else if (v === YIELD) this.sched.doYield(c, t)
    else if (v === PARK) {
      this.time.park(c, t)
      if (tr !== null) tr.parked(t.parkedOn!, c)
    }
    else throw new VariantError(`${t.name} yielded ${JSON.stringify(v)}; a step yields a cost in ns`)
  }
}
