import type {IrqSpec} from '../scenario/types.ts'
import type {Cpu} from './cpu.ts'
import type {CpuTime} from './cpu-time.ts'
import {EV_IRQ, EV_TIMER} from './event-kinds.ts'
import type {Machine} from './machine.ts'
import type {Scheduler} from './scheduler.ts'
import {Task, type StepGen} from './task.ts'
import {CPU_ATOMIC, CPU_PENDING, CPU_SCHED, type AccessTracer} from './tracer.ts'

/**
 * The interrupt controller: device interrupts, timers and IPIs arriving at a CPU, held
 * pending while interrupts are off or a handler runs, and the handlers' entry and exit.
 * What happens on an IPI, a timer or an irq starts here.
 */
export class Interrupts {
  private readonly tr: AccessTracer | null

  constructor(
    private readonly m: Machine,
    private readonly time: CpuTime,
    private readonly sched: Scheduler,
    /** The handler code an irq runs (trace ops through the kernel API). */
    private readonly handlerOf: (irq: IrqSpec) => StepGen<unknown>,
  ) {
    this.tr = m.tracer
  }

  /** Arms a timer that wakes `t` at `at` on CPU `cpu`. */
  armTimer(t: Task, at: number, cpu: number): void {
    this.m.q.push(at, EV_TIMER, cpu, ++t.timerToken, t)
  }

  /** An IPI sent to `c` arrived: a reschedule request (scheduler.ts, resched). */
  ipi(c: Cpu, tag: number): void {
    if (tag === c.ipiGen) c.freshIpis--
    this.interrupt(c, 'ipi', null)
  }

  /** The `n`th raise of irq source `index` (re-armed if periodic), at the CPU it goes to. */
  raiseIrq(index: number, n: number): void {
    const irq = this.m.scenario.irqs[index]
    const cpu = irq.cpus[n % irq.cpus.length]
    if (irq.every !== null) this.m.q.push(this.m.now + irq.every, EV_IRQ, -1, index, n + 1)
    this.interrupt(this.m.cpus[cpu], 'irq', index)
  }

  /**
   * An interrupt arrives at `c`: handled now, or held pending while interrupts are off. A
   * device irq raised again while its line is already pending on `c` is merged into the
   * pending one, as the local APIC's request register holds one bit per vector: the
   * handler runs once, its delay counted from the first raise. (A queue of every raise
   * grew without bound under a long irqs-off region and an irq every microsecond.)
   */
  interrupt(c: Cpu, kind: 'irq' | 'timer' | 'ipi', data: unknown): void {
    this.sched.cpuAccess(c, CPU_SCHED, false)
    this.sched.cpuAccess(c, CPU_ATOMIC, false)
    if (c.irqsOff || c.irqTask !== null) {
      this.sched.cpuAccess(c, CPU_PENDING, true)
      // Not logged: a line per merged raise would grow the log as the queue grew.
      if (kind === 'irq' && isPending(c, data as number)) return
      c.pending.push({raised: this.m.now, kind, data})
      if (kind === 'irq' && this.m.logLines) this.m.log(c.id, null, `irq ${this.m.scenario.irqs[data as number].name} pending (interrupts off)`)
      return
    }
    this.handle(c, kind, data)
  }

  /** Takes an interrupt on `c` now: a timer wakes its task, an IPI asks for a reschedule, an irq enters its handler. */
  private handle(c: Cpu, kind: 'irq' | 'timer' | 'ipi', data: unknown): void {
    if (kind === 'timer') {
      const t = data as Task
      this.sched.wakeUp(t, -2)
      return
    }
    if (kind === 'ipi') {
      this.sched.kick(c)
      return
    }
    const irq = this.m.scenario.irqs[data as number]
    const h = new Task(-1, `irq/${irq.name}`, 'fifo', 99, [c.id], true, null)
    if (this.tr !== null) {
      this.tr.alloc(h, 1)
      this.tr.access(c, CPU_ATOMIC, true)
    }
    this.sched.cpuAccess(c, CPU_SCHED, true)
    h.gen = this.handlerOf(irq)
    this.time.interruptStep(c, c.curr)
    c.irqTask = h
    h.where = 'running'
    h.cpu = c.id
    this.m.log(c.id, h, 'irq entry')
    this.time.busyRaw(c, irq.cost)
  }

  /** Interrupts can be taken on `c` again: delivers those held pending, oldest first, until a handler runs. */
  deliverPending(c: Cpu): void {
    this.sched.cpuAccess(c, CPU_PENDING, true)
    while (c.pending.length && c.irqTask === null) {
      const p = c.pending.shift()!
      this.m.obs.irqDelayed(this.m.now - p.raised)
      if (p.kind === 'irq' && this.m.logLines) this.m.log(c.id, null, `irq ${this.m.scenario.irqs[p.data as number].name} delivered ${this.m.now - p.raised} ns late`)
      this.handle(c, p.kind, p.data)
    }
  }

  /** The irq handler on `c` returned: interrupts are on again and `c` resumes its task (or picks one). */
  exitIrq(c: Cpu): void {
    const h = c.irqTask!
    this.sched.cpuAccess(c, CPU_SCHED, true)
    this.sched.cpuAccess(c, CPU_ATOMIC, true)
    if (c.irqsOff) {
      c.irqsOff = false
      this.m.irqsOn(c)
    }
    c.irqTask = null
    this.m.log(c.id, h, 'irq exit')
    if (c.curr === null) {
      if (!c.pending.length) {
        this.sched.pickNext(c)
        return
      }
      // An idle CPU takes what arrived during the handler now: a timer's wakeup switches to
      // its task, an irq enters its handler (either leaves a step in flight).
      this.deliverPending(c)
      if (c.stepEnd < 0) this.sched.pickNext(c)
      return
    }
    this.time.busyRaw(c, 0)
  }
}

/** Whether device irq `index` is pending on `c`. */
function isPending(c: Cpu, index: number): boolean {
  for (const p of c.pending) if (p.kind === 'irq' && p.data === index) return true
  return false
}
