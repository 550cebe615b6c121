import type {Module, PerCpuWord, Word} from '../module.ts'
import type {Step} from '../step.ts'
import type {StepGen} from '../task.ts'
import {MOD_MEMORY, MOD_STATE, OP_ACK, OP_ADD, OP_ADD_UNLESS, OP_DEC_IF_POSITIVE, OP_READ, OP_SET} from '../tracer.ts'
import {WORD_OPS} from '../word-ops.ts' // the atomics' effects, from the table the search also reads
import {KernelPart} from './kernel-part.ts'

/**
 * The kernel API's memory: words, atomics and per-CPU counters, in core memory or in a
 * module's data, and the module's own lifetime (its state, exit and free).
 */
export class KernelMemory extends KernelPart {
  // ---- memory -----------------------------------------------------------------------------

  /** Allocates a word in core memory (`owner` null) or in a module's data. */
  word(name: string, value: number, owner: Module | null = null): Word {
    return this.allocated({name, value, owner})
  }

  /** Allocates a per-CPU array of local_t counters. */
  perCpu(name: string, owner: Module | null = null): PerCpuWord {
    return this.allocated({name, owner, values: new Int32Array(this.m.cpus.length)}, this.m.cpus.length)
  }

  /** atomic_read() / READ_ONCE(). */
  atomicRead(w: Word): Step<number> {
    this.touch(w.owner, w.name, 'read')
    const v = w.value
    const tr = this.m.tracer
    if (tr !== null) tr.word(w, 0, OP_READ, 0, 0, v)
    return this.stepped(this.costs.step, v)
  }

  /** atomic_set() / WRITE_ONCE(). */
  atomicSet(w: Word, v: number): Step {
    this.touch(w.owner, w.name, 'wrote')
    const tr = this.m.tracer
    if (tr !== null) tr.word(w, 0, OP_SET, v, 0, w.value)
    w.value = WORD_OPS[OP_SET].next(v, 0, w.value)
    if (w.watchers) this.time.notify(w)
    return this.stepped(this.costs.step)
  }

  /** atomic_add_return(): an RMW; returns the new value. */
  atomicAddReturn(w: Word, n: number): Step<number> {
    return this.stepped(this.costs.atomic, this.atomicAdd(w, n, 2))
  }

  /**
   * The atomic add behind the atomic_*() family; `observed` says what the caller looks at
   * (0 nothing, 1 whether the result is 0, 2 the result), which tells the explorer which
   * adds commute. Returns the new value; the caller charges the atomic step.
   */
  private atomicAdd(w: Word, n: number, observed: number): number {
    this.touch(w.owner, w.name, 'modified')
    const tr = this.m.tracer
    if (tr !== null) tr.word(w, 0, OP_ADD, n, observed, w.value)
    w.value = WORD_OPS[OP_ADD].next(n, observed, w.value)
    const v = w.value
    if (w.watchers) this.time.notify(w)
    return v
  }

  atomicInc(w: Word): Step {
    this.atomicAdd(w, 1, 0)
    return this.stepped(this.costs.atomic)
  }

  atomicDec(w: Word): Step {
    this.atomicAdd(w, -1, 0)
    return this.stepped(this.costs.atomic)
  }

  /** atomic_dec_and_test(): true when the new value is 0. */
  atomicDecAndTest(w: Word): Step<boolean> {
    return this.stepped(this.costs.atomic, this.atomicAdd(w, -1, 1) === 0)
  }

  /** atomic_sub_return(). */
  atomicSubReturn(w: Word, n: number): Step<number> {
    return this.stepped(this.costs.atomic, this.atomicAdd(w, -n, 2))
  }

  /** atomic_inc_not_zero(): one successful cmpxchg; false (no change) at 0. */
  atomicIncNotZero(w: Word): Step<boolean> {
    return this.atomicAddUnless(w, 1, 0)
  }

  /** atomic_add_unless(w, a, u): adds unless the value is `u`; true when it added. */
  atomicAddUnless(w: Word, a: number, u: number): Step<boolean> {
    this.touch(w.owner, w.name, 'modified')
    const tr = this.m.tracer
    if (tr !== null) tr.word(w, 0, OP_ADD_UNLESS, a, u, w.value)
    const ok = WORD_OPS[OP_ADD_UNLESS].seen(a, u, w.value) === 1
    w.value = WORD_OPS[OP_ADD_UNLESS].next(a, u, w.value)
    if (ok && w.watchers) this.time.notify(w)
    return this.stepped(this.costs.atomic, ok)
  }

  /** atomic_dec_if_positive(): returns old - 1; decrements only when that is >= 0. */
  atomicDecIfPositive(w: Word): Step<number> {
    this.touch(w.owner, w.name, 'modified')
    const tr = this.m.tracer
    if (tr !== null) tr.word(w, 0, OP_DEC_IF_POSITIVE, 0, 0, w.value)
    const r = WORD_OPS[OP_DEC_IF_POSITIVE].seen(0, 0, w.value)
    w.value = WORD_OPS[OP_DEC_IF_POSITIVE].next(0, 0, w.value)
    if (r >= 0 && w.watchers) this.time.notify(w)
    return this.stepped(this.costs.atomic, r)
  }

  /**
   * A barrier's ack: `if (atomic_dec_and_test(ack)) { atomic_set(ack, n); smp_wmb();
   * WRITE_ONCE(*phase, *phase + 1) }` as one step, charged what those statements cost.
   * The last of `n` CPUs to ack re-arms the count and advances the phase (cpu_stop's
   * ack_state and set_state). The caller learns nothing (it goes back to polling `phase`),
   * so acks commute: which CPU is last changes nothing, and the explorer need not try each
   * one (docs/explore.md). One step is exact because nothing can observe the moment
   * between the decrement and the store: every other CPU has acked and only reads `phase`.
   */
  barrierAck(ack: Word, n: number, phase: Word): Step {
    this.touch(ack.owner, ack.name, 'modified')
    const tr = this.m.tracer
    if (tr !== null) tr.word(ack, 0, OP_ACK, n, 0, ack.value)
    const last = ack.value === 1
    ack.value = WORD_OPS[OP_ACK].next(n, 0, ack.value)
    if (ack.watchers) this.time.notify(ack)
    if (last) {
      this.touch(phase.owner, phase.name, 'wrote')
      if (tr !== null) tr.word(phase, 0, OP_SET, phase.value + 1, 0, phase.value)
      phase.value = WORD_OPS[OP_SET].next(phase.value + 1, 0, phase.value)
      if (phase.watchers) this.time.notify(phase)
    }
    return this.stepped(last ? this.costs.atomic + 4 * this.costs.step : this.costs.atomic)
  }

  /** local_inc() on `cpu`'s counter (atomic only against interrupts on that CPU). */
  localInc(pc: PerCpuWord, cpu: number): Step {
    this.touch(pc.owner, pc.name, 'incremented')
    const tr = this.m.tracer
    if (tr !== null) tr.word(pc, cpu, OP_ADD, 1, 0, pc.values[cpu])
    pc.values[cpu] = WORD_OPS[OP_ADD].next(1, 0, pc.values[cpu])
    return this.stepped(this.costs.step)
  }

  /** local_dec() on `cpu`'s counter. */
  localDec(pc: PerCpuWord, cpu: number): Step {
    this.touch(pc.owner, pc.name, 'decremented')
    const tr = this.m.tracer
    if (tr !== null) tr.word(pc, cpu, OP_ADD, -1, 0, pc.values[cpu])
    pc.values[cpu] = WORD_OPS[OP_ADD].next(-1, 0, pc.values[cpu])
    return this.stepped(this.costs.step)
  }

  /** A plain read of `cpu`'s counter. */
  localRead(pc: PerCpuWord, cpu: number): Step<number> {
    this.touch(pc.owner, pc.name, 'read')
    const v = pc.values[cpu]
    const tr = this.m.tracer
    if (tr !== null) tr.word(pc, cpu, OP_READ, 0, 0, v)
    return this.stepped(this.costs.step, v)
  }

  // ---- modules ----------------------------------------------------------------------------

  /** module_is_live(): state != GOING (reading the state touches the module). */
  moduleIsLive(mod: Module): Step<boolean> {
    this.touch(mod, 'state', 'read')
    if (this.m.tracer !== null) this.m.tracer.access(mod, MOD_STATE, false)
    return this.stepped(this.costs.step, mod.state === 'live' || mod.state === 'coming')
  }

  /** mod->state = s. */
  setModuleState(mod: Module, s: 'live' | 'going'): Step {
    this.touch(mod, 'state', 'wrote')
    if (this.m.tracer !== null) this.m.tracer.access(mod, MOD_STATE, true)
    mod.state = s
    return this.stepped(this.costs.step)
  }

  /** Runs mod->exit() in module text. */
  *moduleExit(mod: Module): StepGen {
    if (this.m.tracer !== null) this.m.tracer.access(mod, MOD_STATE, true)
    mod.exiting = true
    yield* this.host.runModuleCode(mod, mod.spec.exit)
  }

  /** free_module(): unlinks the module and frees its text and data. */
  freeModule(mod: Module): Step {
    this.touch(mod, 'struct module', 'freed')
    const tr = this.m.tracer
    if (tr !== null) {
      tr.access(mod, MOD_STATE, true)
      tr.access(mod, MOD_MEMORY, true)
    }
    const held = this.m.refsHeld(mod)
    this.m.obs.freed(this.m.now, this.m.currentCpu, this.current.name, mod.name, mod.instance, held)
    mod.freed = true
    mod.freedAt = this.m.now
    mod.state = 'gone'
    this.log(`free_module(${mod.name})`)
    return this.stepped(this.costs.step)
  }
}
