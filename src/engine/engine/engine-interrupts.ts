import type {Cpu} from '../cpu.ts'
import {EV_IRQ} from '../event-kinds.ts'
import {irqProgram} from '../program.ts'
import {Task} from '../task.ts'
import {CPU_ATOMIC, CPU_PENDING, CPU_SCHED} from '../tracer.ts'
import {EngineScheduling} from './engine-scheduling.ts'

/**
 * The engine's interrupt paths: device interrupts, timers and IPIs arriving at a CPU,
 * held pending while interrupts are off, and the irq handlers' entry and exit.
 */
export abstract class EngineInterrupts extends EngineScheduling {
  // ---- interrupts -----------------------------------------------------------------------

  protected raiseIrq(index: number, n: number): void {
    const irq = this.scenario.irqs[index]
    const cpu = irq.cpus[n % irq.cpus.length]
    if (irq.every !== null) this.q.push(this.now + irq.every, EV_IRQ, -1, index, n + 1)
    this.interrupt(this.cpus[cpu], 'irq', index)
  }

  /** An interrupt arrives at `c`: handled now, or held pending while interrupts are off. */
  protected interrupt(c: Cpu, kind: 'irq' | 'timer' | 'ipi', data: unknown): void {
    this.cpuAccess(c, CPU_SCHED, false)
    this.cpuAccess(c, CPU_ATOMIC, false)
    if (c.irqsOff || c.irqTask !== null) {
      this.cpuAccess(c, CPU_PENDING, true)
      c.pending.push({raised: this.now, kind, data})
      if (kind === 'irq' && this.logLines) this.log(c.id, null, `irq ${this.scenario.irqs[data as number].name} pending (interrupts off)`)
      return
    }
    this.handle(c, kind, data)
  }

  private handle(c: Cpu, kind: 'irq' | 'timer' | 'ipi', data: unknown): void {
    if (kind === 'timer') {
      const t = data as Task
      this.wakeUp(t, -2)
      return
    }
    if (kind === 'ipi') {
      this.kick(c)
      return
    }
    const irq = this.scenario.irqs[data as number]
    const h = new Task(-1, `irq/${irq.name}`, 'fifo', 99, [c.id], true, null)
    if (this.tracer !== null) {
      this.tracer.alloc(h, 1)
      this.tracer.access(c, CPU_ATOMIC, true)
    }
    this.cpuAccess(c, CPU_SCHED, true)
    h.gen = irqProgram(this.k, irq)
    this.interruptStep(c, c.curr)
    c.irqTask = h
    h.where = 'running'
    h.cpu = c.id
    this.log(c.id, h, 'irq entry')
    this.busyRaw(c, irq.cost)
  }

  protected deliverPending(c: Cpu): void {
    this.cpuAccess(c, CPU_PENDING, true)
    while (c.pending.length && c.irqTask === null) {
      const p = c.pending.shift()!
      this.obs.irqDelayed(this.now - p.raised)
      if (p.kind === 'irq' && this.logLines) this.log(c.id, null, `irq ${this.scenario.irqs[p.data as number].name} delivered ${this.now - p.raised} ns late`)
      this.handle(c, p.kind, p.data)
    }
  }

  protected exitIrq(c: Cpu): void {
    const h = c.irqTask!
    this.cpuAccess(c, CPU_SCHED, true)
    this.cpuAccess(c, CPU_ATOMIC, true)
    if (c.irqsOff) {
      c.irqsOff = false
      this.irqsOn(c)
    }
    c.irqTask = null
    this.log(c.id, h, 'irq exit')
    if (c.curr === null) {
      this.pickNext(c)
      return
    }
    this.busyRaw(c, 0)
  }
}
