import {formatDuration} from '../scenario/duration.ts'
import type {Scenario} from '../scenario/types.ts'
import type {Finding, FindingKind, Metrics} from '../core/result.ts'

/**
 * Collects findings and metrics from what the simulated machine did. The engine reports
 * facts (a CPU spun with preemption off from t0 to t1, a freed module was touched, a task
 * waited to run); the observer applies the thresholds and names the findings. It knows
 * nothing of which variant runs.
 */
export class Observer {
  readonly findings: Finding[] = []
  private readonly seen = new Set<string>()
  stallMax = 0
  stallTotal = 0
  private readonly stoppedCpus = new Set<number>()
  irqoffMax = 0
  rtLatencyMax = 0
  getsOk = 0
  getsFailed = 0
  rmmodLatency: number | null = null
  irqDelayMax = 0
  private readonly lastMark = new Map<string, number>()
  markGapMax: number | null = null

  constructor(private readonly scenario: Scenario) {}

  /** Records a finding once per (kind, key). */
  find(kind: FindingKind, key: string, at: number, cpu: number | null, task: string | null, detail: string): void {
    const k = `${kind}\u0000${key}`
    if (this.seen.has(k)) return
    this.seen.add(k)
    this.findings.push({kind, at, cpu, task, detail})
  }

  /**
   * A CPU was held from `start` to `end`: by a busy-waiting preempt- or irq-disabled region,
   * or (`behind`) by a task busy-waiting while tasks it outranks waited in the CPU's queue.
   */
  held(cpu: number, start: number, end: number, open: boolean, behind: boolean): void {
    const d = end - start
    this.stoppedCpus.add(cpu)
    this.stallTotal += d
    if (d > this.stallMax) this.stallMax = d
    const threshold = this.scenario.machine.stall_threshold
    if (d > threshold) {
      const how = open ? 'and was still held at the end' : `for ${formatDuration(d)}`
      const what = behind ? 'busy-waited while runnable tasks waited behind it' : 'spun with preemption or interrupts off'
      this.find('machine-stall', `cpu${cpu}`, start + threshold, cpu, null, `CPU ${cpu} ${what} from ${formatDuration(start)} ${how}`)
    }
    if (!behind && d > this.scenario.machine.watchdog) {
      this.find('soft-lockup', `cpu${cpu}`, start + this.scenario.machine.watchdog, cpu, null,
        `CPU ${cpu} could not schedule for ${formatDuration(d)}`)
    }
  }

  /**
   * `task` busy-waited (a spin or yield loop) on `cpu` from `start` to `end` with its
   * condition false throughout, `off` ns of it off its CPU (preempted, or yielded to
   * others); `atomic` when the loop began with preemption or interrupts off (then the
   * CPU's hold is the finding, a machine-stall). A preemptible loop that spun on its CPU
   * past the stall threshold is a livelock: the task keeps its CPU running, and whatever
   * it waits for never happens.
   */
  busyWaited(task: string, cpu: number, start: number, end: number, off: number, atomic: boolean, open: boolean): void {
    const threshold = this.scenario.machine.stall_threshold
    const spun = end - start - off
    if (atomic || spun <= threshold) return
    const how = open ? 'and was still waiting at the end' : `until ${formatDuration(end)}`
    this.find('livelock', task, start + off + threshold, cpu, task,
      `${task} busy-waited from ${formatDuration(start)} ${how}, ${formatDuration(spun)} of it on its CPU, its condition never true`)
  }

  /**
   * `task` slept uninterruptibly in `on` from `start` to `end` (woken then, or still asleep
   * at the end): past `hungTask` ns, a hung-task finding, as khungtaskd would report it.
   */
  slept(task: string, cpu: number, on: string, start: number, end: number, hungTask: number): void {
    if (end - start < hungTask) return
    this.find('hung-task', task, start + hungTask, cpu, task, `${task} blocked in ${on} for more than ${formatDuration(hungTask)} from ${formatDuration(start)}`)
  }

  /** Interrupts were off on `cpu` from `start` to `end`. */
  irqOff(start: number, end: number): void {
    const d = end - start
    if (d > this.irqoffMax) this.irqoffMax = d
  }

  /** An interrupt waited `delay` ns for its CPU to enable interrupts. */
  irqDelayed(delay: number): void {
    if (delay > this.irqDelayMax) this.irqDelayMax = delay
  }

  /** An RT task from the trace waited `wait` ns to run. */
  rtWaited(task: string, cpu: number, at: number, wait: number, budget: number | null): void {
    if (wait > this.rtLatencyMax) this.rtLatencyMax = wait
    if (budget !== null && wait > budget) {
      this.find('latency-budget', task, at, cpu, task, `${task} waited ${formatDuration(wait)} to run, budget ${formatDuration(budget)}`)
    }
  }

  /** A step touched module memory or text after the module was freed. */
  useAfterFree(at: number, cpu: number, task: string, module: string, instance: number, what: string): void {
    this.find('use-after-free', `${module}#${instance}:${task}`, at, cpu, task,
      `${task} ${what} of module ${module} after it was freed`)
  }

  /** free_module ran while `held` references were held by tasks or user space. */
  freed(at: number, cpu: number, task: string, module: string, instance: number, held: number): void {
    if (held > 0) {
      this.find('freed-while-referenced', `${module}#${instance}`, at, cpu, task,
        `module ${module} freed with ${held} reference(s) still held`)
    }
  }

  get(ok: boolean): void {
    if (ok) this.getsOk++
    else this.getsFailed++
  }

  rmmod(duration: number): void {
    if (this.rmmodLatency === null || duration > this.rmmodLatency) this.rmmodLatency = duration
  }

  mark(label: string, at: number): void {
    const last = this.lastMark.get(label)
    if (last !== undefined && (this.markGapMax === null || at - last > this.markGapMax)) this.markGapMax = at - last
    this.lastMark.set(label, at)
  }

  /** The contract's metrics. */
  metrics(steps: number, simTime: number): Metrics {
    return {
      rmmod_latency: this.rmmodLatency,
      stall_max: this.stallMax,
      stall_total: this.stallTotal,
      cpus_stopped: this.stoppedCpus.size,
      irqoff_max: this.irqoffMax,
      rt_latency_max: this.rtLatencyMax,
      gets_ok: this.getsOk,
      gets_failed: this.getsFailed,
      mark_gap_max: this.markGapMax,
      steps,
      sim_time: simTime,
    }
  }

  /** Findings in a stable order: by time, then kind, then CPU and task. */
  sortedFindings(): Finding[] {
    return [...this.findings].sort(
      (a, b) =>
        a.at - b.at ||
        a.kind.localeCompare(b.kind) ||
        (a.cpu ?? -1) - (b.cpu ?? -1) ||
        (a.task ?? '').localeCompare(b.task ?? ''),
    )
  }
}
