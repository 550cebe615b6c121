import {formatDuration} from '../scenario/duration.ts'
import {JITTER_LEVELS, type ChoiceSource} from './choice.ts'
import type {Cpu} from './cpu.ts'
import {EV_STEP} from './event-kinds.ts'
import type {Machine} from './machine.ts'
import type {Word} from './module.ts'
import type {Task} from './task.ts'
import {VariantError} from './variant-error.ts'

/**
 * How long each CPU is busy: a step's cost (jittered, plus any injected delay), cancelling
 * a step in flight, and busy-waiters parked until a word they watch is written.
 */
export class CpuTime {
  private readonly jitter: number
  /** The delay choice point's lengths when the ChoiceSource opted in (timed runs only), else null. */
  private readonly delays: readonly number[] | null
  private readonly choices: ChoiceSource
  private readonly relaxCost: number

  constructor(private readonly m: Machine) {
    this.choices = m.opts.choices
    this.jitter = m.untimed ? 0 : m.scenario.machine.jitter
    this.delays = m.untimed ? null : (this.choices.delays ?? null)
    this.relaxCost = m.costs.cpu_relax
  }

  /** The CPU is busy for `cost` ns (jittered), then takes its next step. */
  busy(c: Cpu, cost: number): void {
    if (this.jitter > 0 && cost > 0) {
      const u = (2 * this.choices.pick(JITTER_LEVELS, 'jitter')) / (JITTER_LEVELS - 1) - 1
      cost = Math.max(1, Math.round(cost * (1 + this.jitter * u)))
    }
    if (this.delays !== null) cost += this.heldUp(c)
    this.busyRaw(c, cost)
  }

  /** The delay choice point (exploration only): how long this step is held up, logged. */
  private heldUp(c: Cpu): number {
    const d = this.delays![this.choices.pick(this.delays!.length, 'delay')]
    if (d > 0 && this.m.logLines) this.m.log(c.id, c.irqTask ?? c.curr, `held up ${formatDuration(d)} (injected delay)`)
    return d
  }

  /** The CPU is busy for exactly `cost` ns (no jitter, no delay), then takes its next step. */
  busyRaw(c: Cpu, cost: number): void {
    const end = this.m.now + cost
    c.stepEnd = end
    this.m.q.push(end, EV_STEP, c.id, ++c.stepGen, null)
  }

  /**
   * A busy-wait that cannot succeed until a watched word changes: the CPU stays busy with
   * the task (held, interruptible, preemptible as before) but takes no steps until a write
   * to one of the words, then re-checks one cpu_relax later. Equivalent to simulating each
   * cpu_relax iteration, up to the phase of the last iteration.
   */
  park(c: Cpu, t: Task): void {
    const words = t.parkedOn
    if (words === null) throw new VariantError(`${t.name} parked without words to watch`)
    for (const w of words) (w.watchers ??= []).push(t)
    c.stepEnd = -1
    c.stepGen++
  }

  /** Takes a parked busy-waiter off the words it watched. */
  unpark(t: Task): void {
    t.parkedYielding = false
    for (const w of t.parkedOn!) {
      const ws = w.watchers!
      const i = ws.indexOf(t)
      if (i >= 0) ws.splice(i, 1)
    }
    t.parkedOn = null
  }

  /** A word was written: busy-waiters parked on it re-check. */
  notify(w: Word): void {
    const ws = w.watchers!
    if (!ws.length) return
    for (const t of ws.splice(0)) {
      if (t.parkedOn === null) continue
      this.unpark(t)
      const c = this.m.cpus[t.cpu]
      if (t.where === 'running' && c.curr === t && c.irqTask === null && c.stepEnd < 0) {
        this.busyRaw(c, this.relaxCost)
      }
    }
  }

  /** Cancels the CPU's in-flight step, saving what remained of it in `t`. */
  interruptStep(c: Cpu, t: Task | null): void {
    if (c.stepEnd >= 0) {
      if (t) t.remaining += c.stepEnd - this.m.now
      c.stepEnd = -1
    }
    c.stepGen++
  }
}
