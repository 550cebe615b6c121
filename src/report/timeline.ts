/**
 * A run's per-CPU timeline, derived from its event log (run with `log` and `logOps`) and
 * its RunResult: which task ran on each CPU and when, the interrupt handlers that ran
 * inside, the windows a CPU was held by the stop (a thread the variant started ran there),
 * interrupts held pending, injected delays, findings, and two counters (the module's
 * reference count as tasks took and dropped references, and how many CPUs the stop held).
 *
 * Only what the log says is drawn. The engine does not log preempt_disable() or
 * local_irq_disable() themselves; the stop's threads spin with preemption off, so their
 * runs stand for the busy-wait, and a pending interrupt is the evidence that interrupts
 * were off.
 */
import type {LogLine} from '../engine/engine.ts'
import type {Finding, RunResult} from '../core/result.ts'
import {parseDuration} from '../scenario/duration.ts'
import type {Op, Scenario} from '../scenario/types.ts'

/** What a slice of a CPU's lane stands for. */
export type SliceKind = 'task' | 'stop' | 'irq'

/** A stretch of time on one CPU: a task's run, a stop thread's run, an interrupt handler. */
export interface Slice {
  readonly start: number
  readonly end: number
  readonly kind: SliceKind
  /** The task or handler's name. */
  readonly name: string
}

/** What an overlay mark of a lane stands for. */
export type MarkKind = 'pending' | 'delay' | 'busy-wait'

/** An overlay on a CPU's lane: an interrupt held pending, an injected delay, a trace's busy-wait. */
export interface Mark {
  readonly start: number
  readonly end: number
  readonly kind: MarkKind
  readonly label: string
}

/** One CPU: task and stop runs (never overlapping, in time order), handlers, overlays. */
export interface Lane {
  readonly runs: readonly Slice[]
  readonly irqs: readonly Slice[]
  readonly marks: readonly Mark[]
}

/** A step function over time: the value from each point's `t` on. */
export interface Counter {
  readonly name: string
  readonly points: readonly {readonly t: number; readonly value: number}[]
}

/** Latency samples seen in the log, ns. */
export interface Samples {
  /** A trace's RT (fifo/rr) task: runnable (woken or preempted) until it ran. */
  readonly rt: readonly number[]
  /** An interrupt raised while interrupts were off: how late it was delivered. */
  readonly irq: readonly number[]
  /** A CPU held by the stop: each stop thread's run. */
  readonly stall: readonly number[]
}

/** The window a picture zooms onto, ns. */
export interface Window {
  readonly from: number
  readonly to: number
}

/** A run's timeline (see the file comment). */
export interface Timeline {
  readonly trace: string
  readonly variant: string
  readonly cpus: number
  /** When the run ended (sim_time). */
  readonly end: number
  /** Times are the untimed model's logical clock. */
  readonly untimed: boolean
  readonly lanes: readonly Lane[]
  readonly findings: readonly Finding[]
  readonly counters: readonly Counter[]
  readonly samples: Samples
  /** The interesting window: the removal around the first finding, or the first removal. */
  readonly focus: Window
}

/** How the log was made. */
export interface TimelineOptions {
  readonly untimed?: boolean
}

/**
 * The timeline of one run. `log` must come from the same run as `result`, recorded with
 * module operations (`logOps`) for the reference count to be drawn.
 */
export function buildTimeline(scenario: Scenario, result: RunResult, log: readonly LogLine[], options: TimelineOptions = {}): Timeline {
  const n = scenario.machine.cpus
  const end = Math.max(result.metrics.sim_time, log.length ? log[log.length - 1].t : 0)
  const own = traceThreads(scenario)
  const rtTasks = new Set(scenario.tasks.filter((t) => t.policy === 'fifo' || t.policy === 'rr').map((t) => t.name))
  const runs: Slice[][] = Array.from({length: n}, () => [])
  const irqs: Slice[][] = Array.from({length: n}, () => [])
  const marks: Mark[][] = Array.from({length: n}, () => [])
  const current: ({name: string; start: number; stop: boolean} | null)[] = Array.from({length: n}, () => null)
  const irqOpen: ({name: string; start: number} | null)[] = Array.from({length: n}, () => null)
  const runnable = new Map<string, number>()
  const rt: number[] = []
  const irq: number[] = []
  const stall: number[] = []
  const refs = new Map<string, number>()
  for (const m of scenario.modules) refs.set(m.name, m.loaded ? m.refs : 0)
  const refPoints = new Map<string, {t: number; value: number}[]>()
  for (const [name, v] of refs) refPoints.set(name, [{t: 0, value: v}])
  const stopped: {t: number; value: number}[] = [{t: 0, value: 0}]
  let held = 0
  const removals: Window[] = []
  // Per task: when it was first seen, and when its last init_module or delete_module returned.
  const firstSeen = new Map<string, number>()
  const lastCall = new Map<string, number>()

  const close = (cpu: number, t: number): void => {
    const c = current[cpu]
    if (c === null) return
    runs[cpu].push({start: c.start, end: t, kind: c.stop ? 'stop' : 'task', name: c.name})
    if (c.stop) {
      stall.push(t - c.start)
      held--
      pushPoint(stopped, t, held)
    }
    current[cpu] = null
  }

  for (const l of log) {
    const cpu = l.cpu >= 0 && l.cpu < n ? l.cpu : -1
    const what = l.what
    if (!firstSeen.has(l.task)) firstSeen.set(l.task, l.t)
    if (what === 'switch in' && cpu >= 0) {
      close(cpu, l.t)
      const stop = !own.has(l.task)
      current[cpu] = {name: l.task, start: l.t, stop}
      if (stop) {
        held++
        pushPoint(stopped, l.t, held)
      }
      const since = runnable.get(l.task)
      if (since !== undefined) {
        if (rtTasks.has(l.task)) rt.push(l.t - since)
        runnable.delete(l.task)
      }
      continue
    }
    if ((what === 'preempted' || what === 'exit' || what.startsWith('sleep (')) && cpu >= 0) {
      if (current[cpu]?.name === l.task) close(cpu, l.t)
      if (what === 'preempted') runnable.set(l.task, l.t)
      continue
    }
    if (what.startsWith('wakeup on cpu')) {
      runnable.set(l.task, l.t)
      continue
    }
    if (cpu < 0) continue
    if (what === 'irq entry') {
      irqOpen[cpu] = {name: l.task, start: l.t}
    } else if (what === 'irq exit') {
      const o = irqOpen[cpu]
      if (o !== null) irqs[cpu].push({start: o.start, end: l.t, kind: 'irq', name: o.name})
      irqOpen[cpu] = null
    } else if (what.startsWith('irq ') && what.includes(' delivered ')) {
      const m = /^irq (\S+) delivered (\d+) ns late$/.exec(what)
      if (m !== null) {
        const late = Number(m[2])
        irq.push(late)
        marks[cpu].push({start: l.t - late, end: l.t, kind: 'pending', label: `irq ${m[1]} pending ${late} ns (interrupts off)`})
      }
    } else if (what.startsWith('held up ')) {
      const m = /^held up (.+) \(injected delay\)$/.exec(what)
      const d = m === null ? 0 : parseDuration(m[1])
      marks[cpu].push({start: l.t, end: l.t + d, kind: 'delay', label: `${l.task}: held up ${m?.[1] ?? ''} (injected delay)`})
    } else if (what.startsWith('stop_machine(')) {
      const m = /^stop_machine\((\d+) ns busy-wait\)$/.exec(what)
      if (m !== null) marks[cpu].push({start: l.t, end: l.t + Number(m[1]), kind: 'busy-wait', label: `${l.task}: ${what}`})
    } else if (what.startsWith('delete_module(')) {
      removals.push({from: lastCall.get(l.task) ?? firstSeen.get(l.task) ?? 0, to: l.t})
      lastCall.set(l.task, l.t)
    } else {
      const get = /^try_module_get\((\S+)\) = 1$/.exec(what)
      const put = get === null ? /^module_put\((\S+)\)$/.exec(what) : null
      const init = get === null && put === null ? /^init_module\((\S+)\)$/.exec(what) : null
      const name = (get ?? put ?? init)?.[1]
      if (name !== undefined) {
        if (init !== null) lastCall.set(l.task, l.t)
        const v = init !== null ? 0 : (refs.get(name) ?? 0) + (get !== null ? 1 : -1)
        refs.set(name, v)
        if (!refPoints.has(name)) refPoints.set(name, [{t: 0, value: 0}])
        pushPoint(refPoints.get(name)!, l.t, v)
      }
    }
  }
  for (let cpu = 0; cpu < n; cpu++) {
    close(cpu, end)
    const o = irqOpen[cpu]
    if (o !== null) irqs[cpu].push({start: o.start, end, kind: 'irq', name: o.name})
  }
  const counters: Counter[] = [...refPoints].map(([name, points]) => ({name: `refcount ${name}`, points}))
  counters.push({name: 'CPUs held by the stop', points: stopped})
  return {
    trace: result.trace,
    variant: result.variant,
    cpus: n,
    end,
    untimed: options.untimed ?? false,
    lanes: runs.map((r, i) => ({runs: r, irqs: irqs[i], marks: marks[i]})),
    findings: result.findings,
    counters,
    samples: {rt, irq, stall},
    focus: focusOf(result, removals, runs, end),
  }
}

/**
 * The names of the trace's own threads (its tasks, the kthreads and insmods its programs
 * start) and the kernel's helpers every variant shares; any other task is one the variant
 * started to stop the machine.
 */
function traceThreads(scenario: Scenario): Set<string> {
  const names = new Set<string>(['-', 'kthreadd'])
  const visit = (ops: readonly Op[]): void => {
    for (const op of ops) {
      if (op.op === 'kthread_run') {
        names.add(op.name)
        visit(op.program)
      } else if (op.op === 'repeat') {
        visit(op.body)
      } else if (op.op === 'insmod') {
        names.add(`insmod/${op.module}`)
      } else if (op.op === 'request_module') {
        names.add('modprobe')
      }
    }
  }
  for (const t of scenario.tasks) {
    names.add(t.name)
    visit(t.program)
  }
  for (const m of scenario.modules) {
    names.add(`insmod/${m.name}`)
    visit(m.init)
    visit(m.exit)
  }
  for (const i of scenario.irqs) {
    names.add(`irq/${i.name}`)
    visit(i.program)
  }
  for (let c = 0; c < scenario.machine.cpus; c++) names.add(`migration/${c}`)
  return names
}

/** Appends a counter value, replacing a point at the same instant. */
function pushPoint(points: {t: number; value: number}[], t: number, value: number): void {
  const last = points[points.length - 1]
  if (last.t === t) points[points.length - 1] = {t, value}
  else if (last.value !== value) points.push({t, value})
}

/**
 * The window worth zooming onto: the removal (from the remover's previous module call, or
 * its start, to delete_module's return) around the first finding, or the first removal
 * when there is no finding (with no removal returned, a tenth of the run before the
 * finding, or one rmmod_latency); reaching back to the stop runs under way then, and a little
 * past the finding. The whole run when nothing stands out or the window would cover most
 * of it.
 */
function focusOf(result: RunResult, removals: readonly Window[], runs: readonly (readonly Slice[])[], end: number): Window {
  const whole = {from: 0, to: end}
  const finding = result.findings.length ? Math.min(...result.findings.map((f) => f.at)) : null
  let removal: Window | null = removals.length ? removals[0] : null
  if (finding !== null && removals.length) {
    removal = removals.find((r) => r.from <= finding && finding <= r.to) ?? removals.filter((r) => r.to <= finding).at(-1) ?? removals[0]
  }
  if (finding === null && removal === null) return whole
  let from = Math.min(finding ?? Infinity, removal?.from ?? Infinity)
  const to = Math.max(finding ?? -Infinity, removal?.to ?? -Infinity)
  // No removal returned (a hang, a stall): look back a tenth of the way, or one rmmod_latency.
  if (removal === null) from = Math.max(0, from - Math.max(result.metrics.rmmod_latency ?? 0, from / 10))
  for (const lane of runs) {
    for (const s of lane) if (s.kind === 'stop' && s.end >= from && s.start < from) from = s.start
  }
  const span = Math.max(to - from, 1000)
  const window = {from: Math.max(0, from - span * 0.06), to: Math.min(end, to + span * 0.2)}
  return window.to - window.from > end * 0.6 ? whole : window
}
