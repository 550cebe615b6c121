import type {Cpu} from '../cpu.ts'
import type {Word} from '../module.ts'
import type {Step} from '../step.ts'
import {PARK, type StepGen} from '../task.ts'
import {CPU_ATOMIC, CPU_RQ, OP_READ} from '../tracer.ts'
import {VariantError} from '../variant-error.ts'
import type {KernelHost} from '../kernel-host.ts'
import {KernelPart} from './kernel-part.ts'
import type {KernelScheduling} from './kernel-scheduling.ts'

/**
 * The kernel API's atomic context: preemption and interrupt disabling, RCU-sched
 * quiescence, and busy-waiting (cpu_relax, spin and yield loops, mdelay, barriers).
 */
export class KernelPreemption extends KernelPart {
  constructor(
    host: KernelHost,
    /** For yield() in yield loops. */
    private readonly scheduling: KernelScheduling,
  ) {
    super(host)
  }

  // ---- preemption and interrupts ----------------------------------------------------------

  /** Tells the explorer's tracer (if any) that this step changed `c`'s atomic context. */
  private atomicContext(c: Cpu): void {
    const tr = this.m.tracer
    if (tr !== null) tr.access(c, CPU_ATOMIC, true)
  }

  preemptDisable(): Step {
    const c = this.cpu
    this.atomicContext(c)
    c.preempt++
    this.m.regionChanged(c)
    return this.stepped(this.costs.step)
  }

  /** preempt_enable(): a pending reschedule happens at the next step boundary. */
  preemptEnable(): Step {
    const c = this.cpu
    if (c.preempt === 0) throw new VariantError('preempt_enable without preempt_disable')
    this.atomicContext(c)
    c.preempt--
    this.m.regionChanged(c)
    return this.stepped(this.costs.step)
  }

  /** preempt_enable_no_resched(); the engine reschedules at the next preemption point. */
  preemptEnableNoResched(): Step {
    return this.preemptEnable()
  }

  /** get_cpu(): preempt_disable() and return this CPU. */
  getCpu(): Step<number> {
    const c = this.cpu
    this.atomicContext(c)
    c.preempt++
    this.m.regionChanged(c)
    return this.stepped(this.costs.step, c.id)
  }

  /** put_cpu(): preempt_enable(). */
  putCpu(): Step {
    return this.preemptEnable()
  }

  localIrqDisable(): Step {
    const c = this.cpu
    if (!c.irqsOff) {
      this.atomicContext(c)
      c.irqsOff = true
      this.m.irqsOffNow(c)
      this.m.regionChanged(c)
    }
    return this.stepped(this.costs.step)
  }

  /** hard_irq_disable(): the same as local_irq_disable() in this model. */
  hardIrqDisable(): Step {
    return this.localIrqDisable()
  }

  /** local_irq_enable(): interrupts held pending are taken at the next step boundary. */
  localIrqEnable(): Step {
    const c = this.cpu
    if (c.irqsOff) {
      this.atomicContext(c)
      c.irqsOff = false
      this.m.irqsOn(c)
      this.m.regionChanged(c)
    }
    return this.stepped(this.costs.step)
  }

  irqsDisabled(): boolean {
    return this.cpu.irqsOff
  }

  /**
   * Whether `cpu` is in an RCU-sched quiescent state at this instant: not inside a
   * preempt- or interrupt-disabled region and not in an interrupt handler, as the
   * scheduling-clock tick would report it. Costs nothing (synchronize_rcu samples it).
   */
  rcuQuiescent(cpu: number): boolean {
    const c = this.m.cpus[cpu]
    const tr = this.m.tracer
    if (tr !== null) tr.access(c, CPU_ATOMIC, false)
    return c.preempt === 0 && !c.irqsOff && c.irqTask === null
  }

  /** local_irq_save(): returns whether interrupts were off. */
  localIrqSave(): Step<boolean> {
    const was = this.cpu.irqsOff
    this.localIrqDisable()
    return this.stepped(this.costs.step, was)
  }

  localIrqRestore(wasOff: boolean): Step {
    return wasOff ? this.localIrqDisable() : this.localIrqEnable()
  }

  /** cpu_relax(): one iteration of a busy-wait loop. */
  cpuRelax(): Step {
    const c = this.cpu
    if (c.regionStart >= 0) c.regionSpun = true
    return this.stepped(this.costs.cpu_relax)
  }

  /**
   * `while (!pred()) cpu_relax();` where `pred` reads only `words`: the busy-wait loops of
   * the stop protocols. Simulated exactly but cheaply: the CPU parks until one of the
   * words is written, then re-checks after one cpu_relax.
   */
  *spinUntil(words: Word[], pred: () => boolean): StepGen {
    for (;;) {
      const c = this.cpu
      if (c.regionStart >= 0) c.regionSpun = true
      for (const w of words) this.touch(w.owner, w.name, 'read')
      this.spinRead(words)
      if (pred()) break
      this.m.busyWaiting(c, this.current)
      this.current.parkedOn = words
      yield PARK
    }
    this.waitEnded()
    yield this.costs.step
  }

  /** A spin or yield loop's condition came true (observed for livelocks and held CPUs). */
  private waitEnded(): void {
    const me = this.current
    if (me.busyWaitStart >= 0) this.m.busyWaitEnded(this.cpu, me)
  }

  /**
   * `while (!pred()) yield();` where `pred` reads only `words`: the 2.6 stop protocols'
   * wait loops. While no task the yield could switch to is queued on this CPU, each
   * yield() returns at once, so the loop is a busy-wait: the CPU parks until one of the
   * words is written or such a task arrives, then goes on yielding for real.
   */
  *yieldUntil(words: Word[], pred: () => boolean): StepGen {
    for (;;) {
      for (const w of words) this.touch(w.owner, w.name, 'read')
      this.spinRead(words)
      if (pred()) break
      const me = this.current
      const c = this.cpu
      if (this.m.tracer !== null) this.m.tracer.access(c, CPU_RQ, false)
      this.m.busyWaiting(c, me)
      if (c.rq.topRank() < me.rank) {
        me.parkedOn = words
        me.parkedYielding = true
        yield PARK
        yield this.costs.syscall
      } else {
        yield* this.scheduling.yield()
      }
    }
    this.waitEnded()
    yield this.costs.step
  }

  /** A busy-wait's check reads its words (a failed check that parks is a stutter: tracer.ts). */
  private spinRead(words: readonly Word[]): void {
    const tr = this.m.tracer
    if (tr !== null) for (const w of words) tr.word(w, 0, OP_READ, 0, 0, w.value)
  }

  /** mdelay()/udelay(): busy-wait for `ns` without scheduling. */
  mdelay(ns: number): Step {
    const c = this.cpu
    if (c.regionStart >= 0) c.regionSpun = true
    return this.stepped(ns)
  }

  /** Memory barriers: one step each (ordering is sequentially consistent in this model). */
  mb(): Step {
    return this.stepped(this.costs.step)
  }
}
