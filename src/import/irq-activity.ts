/**
 * Interrupt handlers seen in a capture: irq_handler_entry/exit pairs per CPU, and module
 * events in interrupt context that no handler entry brackets (a line whose flags say
 * hard irq or softirq, or that the idle task printed), which count as one handler run
 * per module_get, of a handler named after the context and the CPU.
 */
import {inHardIrq, inSoftIrq, type CaptureLine} from './capture-line.ts'

/** What the capture shows of one interrupt handler. */
export interface IrqRecord {
  readonly name: string
  readonly cpus: Set<number>
  /** Handler runs, and the total time of those bracketed by entry and exit, ns. */
  runs: number
  timedRuns: number
  costNs: number
  /** First and last run's start, ns (capture clock). */
  first: number
  last: number
}

/** Interrupt handlers by name, accumulated from a capture. */
export class IrqActivity {
  readonly irqs = new Map<string, IrqRecord>()
  /** Per CPU, the handlers entered and not yet exited, innermost last. */
  private readonly open = new Map<number, {name: string; irq: number; ts: number}[]>()

  private record(name: string, cpu: number, ts: number): IrqRecord {
    let r = this.irqs.get(name)
    if (r === undefined) this.irqs.set(name, (r = {name, cpus: new Set(), runs: 0, timedRuns: 0, costNs: 0, first: ts, last: ts}))
    r.cpus.add(cpu)
    return r
  }

  /** irq_handler_entry on `cpu` at `ts`. */
  entry(cpu: number, ts: number, irq: number, name: string): void {
    const r = this.record(name, cpu, ts)
    r.runs++
    r.last = ts
    let stack = this.open.get(cpu)
    if (stack === undefined) this.open.set(cpu, (stack = []))
    stack.push({name, irq, ts})
  }

  /** irq_handler_exit on `cpu` at `ts`; an exit with no matching entry is ignored. */
  exit(cpu: number, ts: number, irq: number): void {
    const stack = this.open.get(cpu)
    const top = stack?.at(-1)
    if (stack === undefined || top === undefined || top.irq !== irq) return
    stack.pop()
    const r = this.irqs.get(top.name)!
    r.timedRuns++
    r.costNs += ts - top.ts
  }

  /**
   * The handler a module event on `line` ran in, or null when it ran in task context:
   * the innermost handler entered on its CPU, else one named `hardirq-cpuN` or
   * `softirq-cpuN` after the line's context. `get` says the event is a module_get, which
   * counts as a run of an unbracketed handler.
   */
  handlerOf(line: CaptureLine, get: boolean): string | null {
    const top = this.open.get(line.cpu)?.at(-1)
    if (top !== undefined) return top.name
    const hard = inHardIrq(line.flags)
    if (!hard && !inSoftIrq(line.flags) && line.pid !== 0) return null
    const r = this.record(`${hard ? 'hardirq' : 'softirq'}-cpu${line.cpu}`, line.cpu, line.ts)
    if (get) {
      r.runs++
      r.last = line.ts
    }
    return r.name
  }
}
