/**
 * Synthetic kernel captures, printed exactly as the kernel's ftrace (`trace`, 5- or
 * 4-character flags, with or without the tgid column), `trace-cmd report` and
 * `perf script` print them. Used to make the fixture captures under test/fixtures/ftrace
 * and the bench's million-line capture; nothing here is random.
 */

/** A task as the tracepoints name it; prio is the kernel priority (0-99 RT, 100-139 normal). */
export interface Task {
  readonly comm: string
  readonly pid: number
  readonly prio: number
}

export const IDLE = (cpu: number): Task => ({comm: `swapper/${cpu}`, pid: 0, prio: 120})

/** One event line before printing. */
export interface Ev {
  ts: number
  readonly cpu: number
  /** Who printed it; `null`: the idle task. */
  readonly by: Task | null
  /** Flags in the 5-character form (`d.h1.`). */
  readonly flags: string
  readonly data:
    | {readonly e: 'sched_switch'; readonly prev: Task; readonly state: string; readonly next: Task}
    | {readonly e: 'sched_wakeup'; readonly task: Task; readonly target: number}
    | {readonly e: 'module_get' | 'module_put'; readonly module: string; readonly site: string; refcnt: number}
    | {readonly e: 'module_load'; readonly module: string; readonly taints: string}
    | {readonly e: 'module_free'; readonly module: string}
    | {readonly e: 'irq_handler_entry'; readonly irq: number; readonly name: string}
    | {readonly e: 'irq_handler_exit'; readonly irq: number}
    | {readonly e: string; readonly sys: string; readonly text: string}
}

const SYSTEM: Readonly<Record<string, string>> = {
  sched_switch: 'sched',
  sched_wakeup: 'sched',
  module_get: 'module',
  module_put: 'module',
  module_load: 'module',
  module_free: 'module',
  irq_handler_entry: 'irq',
  irq_handler_exit: 'irq',
}

/** Collects events, then sorts them and fills in refcnt= as the 3.19+ kernel prints it. */
export class CaptureBuilder {
  readonly events: Ev[] = []

  add(ev: Ev): void {
    this.events.push(ev)
  }

  /**
   * `task` runs on `cpu` from `t` for `run` ns after a wakeup from idle, then sleeps (a
   * switch back to idle); `body(t)` adds what it does meanwhile.
   */
  burst(cpu: number, t: number, task: Task, run: number, body: (t: number) => void = () => undefined, state = 'S'): void {
    this.add({ts: t - 2_000, cpu, by: null, flags: 'dNh2.', data: {e: 'sched_wakeup', task, target: cpu}})
    this.add({ts: t, cpu, by: null, flags: 'd..2.', data: {e: 'sched_switch', prev: IDLE(cpu), state: 'R', next: task}})
    body(t)
    this.add({ts: t + run, cpu, by: task, flags: 'd..2.', data: {e: 'sched_switch', prev: task, state, next: IDLE(cpu)}})
  }

  /** module_get or module_put of `module` on `cpu` by `by` (null: idle), with flags `flags`. */
  ref(kind: 'module_get' | 'module_put', cpu: number, ts: number, by: Task | null, module: string, site: string, flags = '.....'): void {
    this.add({ts, cpu, by, flags, data: {e: kind, module, site, refcnt: 0}})
  }

  /**
   * The events in time order (stable), with each module's refcnt after every get and put
   * as 3.19+ prints it: the base reference (1) plus `held` references plus the gets not
   * yet put. `perCpu`: print a per-CPU counter instead, as kernels before 3.19 did.
   */
  sorted(held: Readonly<Record<string, number>> = {}, perCpu = false): Ev[] {
    const events = [...this.events].sort((a, b) => a.ts - b.ts)
    const count = new Map<string, number>()
    const cpuCount = new Map<string, number>()
    for (const ev of events) {
      const d = ev.data
      if (d.e !== 'module_get' && d.e !== 'module_put') continue
      const m = (d as {module: string}).module
      const next = (count.get(m) ?? 1 + (held[m] ?? 0)) + (d.e === 'module_get' ? 1 : -1)
      count.set(m, next)
      const key = `${m}/${ev.cpu}`
      const local = (cpuCount.get(key) ?? 0) + 1
      cpuCount.set(key, local)
      ;(d as {refcnt: number}).refcnt = perCpu ? local : next
    }
    return events
  }
}

function seconds(ns: number, digits = 6): string {
  const s = Math.floor(ns / 1e9)
  const frac = String(ns % 1e9).padStart(9, '0').slice(0, digits)
  return `${s}.${frac}`
}

/** Who printed a line: the idle task prints as `<idle>` in ftrace and trace-cmd, `swapper` in perf. */
function printer(t: Task | null, layout: Layout): Task {
  return t ?? {comm: layout === 'perf' ? 'swapper' : '<idle>', pid: 0, prio: 120}
}

/** The event's text as the kernel's TP_printk prints it. */
function kernelText(ev: Ev): string {
  const d = ev.data
  switch (d.e) {
    case 'sched_switch': {
      const s = d as Extract<Ev['data'], {e: 'sched_switch'}>
      return `prev_comm=${s.prev.comm} prev_pid=${s.prev.pid} prev_prio=${s.prev.prio} prev_state=${s.state} ==> next_comm=${s.next.comm} next_pid=${s.next.pid} next_prio=${s.next.prio}`
    }
    case 'sched_wakeup': {
      const w = d as Extract<Ev['data'], {e: 'sched_wakeup'}>
      return `comm=${w.task.comm} pid=${w.task.pid} prio=${w.task.prio} target_cpu=${String(w.target).padStart(3, '0')}`
    }
    case 'module_get':
    case 'module_put': {
      const r = d as Extract<Ev['data'], {e: 'module_get' | 'module_put'}>
      return `${r.module} call_site=${r.site} refcnt=${r.refcnt}`
    }
    case 'module_load': {
      const l = d as Extract<Ev['data'], {e: 'module_load'}>
      return `${l.module} ${l.taints}`
    }
    case 'module_free':
      return (d as Extract<Ev['data'], {e: 'module_free'}>).module
    case 'irq_handler_entry': {
      const q = d as Extract<Ev['data'], {e: 'irq_handler_entry'}>
      return `irq=${q.irq} name=${q.name}`
    }
    case 'irq_handler_exit':
      return `irq=${(d as Extract<Ev['data'], {e: 'irq_handler_exit'}>).irq} ret=handled`
    default:
      return (d as {text: string}).text
  }
}

/** The scheduler events as libtraceevent's plugins print them (trace-cmd report). */
function pluginText(ev: Ev): string {
  const d = ev.data
  if (d.e === 'sched_switch') {
    const s = d as Extract<Ev['data'], {e: 'sched_switch'}>
    return `${s.prev.comm}:${s.prev.pid} [${s.prev.prio}] ${s.state} ==> ${s.next.comm}:${s.next.pid} [${s.next.prio}]`
  }
  if (d.e === 'sched_wakeup') {
    const w = d as Extract<Ev['data'], {e: 'sched_wakeup'}>
    return `${w.task.comm}:${w.task.pid} [${w.task.prio}] CPU:${String(w.target).padStart(3, '0')}`
  }
  return kernelText(ev)
}

/** Printed layouts. */
export type Layout = 'ftrace5-tgid' | 'ftrace4' | 'trace-cmd' | 'perf'

/** The header the layout starts with, for a machine of `cpus` CPUs and `n` events. */
export function header(layout: Layout, cpus: number, n: number): string[] {
  switch (layout) {
    case 'ftrace5-tgid':
      return [
        '# tracer: nop',
        '#',
        `# entries-in-buffer/entries-written: ${n}/${n}   #P:${cpus}`,
        '#',
        '#                                _-----=> irqs-off/BH-disabled',
        '#                               / _----=> need-resched',
        '#                              | / _---=> hardirq/softirq',
        '#                              || / _--=> preempt-depth',
        '#                              ||| / _-=> migrate-disable',
        '#                              |||| /     delay',
        '#           TASK-PID     TGID     CPU#  |||||  TIMESTAMP  FUNCTION',
        '#              | |         |         |   |||||     |         |',
      ]
    case 'ftrace4':
      return [
        '# tracer: nop',
        '#',
        `# entries-in-buffer/entries-written: ${n}/${n}   #P:${cpus}`,
        '#',
        '#                              _-----=> irqs-off',
        '#                             / _----=> need-resched',
        '#                            | / _---=> hardirq/softirq',
        '#                            || / _--=> preempt-depth',
        '#                            ||| /     delay',
        '#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION',
        '#              | |       |   ||||       |         |',
      ]
    case 'trace-cmd':
      return ['version = 6', `cpus=${cpus}`]
    case 'perf':
      return []
  }
}

/** One event line in `layout`. */
export function line(layout: Layout, ev: Ev): string {
  const by = printer(ev.by, layout)
  const cpu = String(ev.cpu).padStart(3, '0')
  const event = ev.data.e
  switch (layout) {
    case 'ftrace5-tgid': {
      const tgid = by.pid === 0 ? '-------' : String(by.pid).padStart(7)
      return `${by.comm.padStart(16)}-${String(by.pid).padEnd(7)} (${tgid}) [${cpu}] ${ev.flags} ${seconds(ev.ts).padStart(12)}: ${event}: ${kernelText(ev)}`
    }
    case 'ftrace4':
      return `${by.comm.padStart(16)}-${String(by.pid).padEnd(5)} [${cpu}] ${ev.flags.slice(0, 4)} ${seconds(ev.ts).padStart(12)}: ${event}: ${kernelText(ev)}`
    case 'trace-cmd':
      return `${by.comm.padStart(16)}-${String(by.pid).padEnd(5)} [${cpu}] ${seconds(ev.ts).padStart(12)}: ${`${event}:`.padEnd(21)} ${pluginText(ev)}`
    case 'perf': {
      const sys = SYSTEM[event] ?? (ev.data as {sys: string}).sys
      return `${by.comm.padStart(16)} ${String(by.pid).padStart(6)} [${cpu}] ${seconds(ev.ts).padStart(12)}: ${sys}:${event}: ${kernelText(ev)}`
    }
  }
}

/** A whole capture: header lines, then one line per event. */
export function render(layout: Layout, cpus: number, events: readonly Ev[], preamble: readonly string[] = []): string {
  return [...preamble, ...header(layout, cpus, events.length), ...events.map((ev) => line(layout, ev))].join('\n') + '\n'
}
