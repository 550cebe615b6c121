/**
 * The tracepoints the importer reads, parsed from an event line's text. Each has two
 * printed forms: the kernel's own `TP_printk` (ftrace, and perf script without plugins)
 * and the libtraceevent plugin form that `trace-cmd report` and newer `perf script` use
 * for the scheduler events.
 */
import type {CaptureLine} from './capture-line.ts'

/** A task named by a tracepoint: comm, pid and kernel priority (0-99 RT, 100-139 normal). */
export interface TaskRef {
  readonly comm: string
  readonly pid: number
  readonly prio: number
}

/** An event the importer turns into trace content. */
export type CaptureEvent =
  | {readonly kind: 'switch'; readonly prev: TaskRef; readonly runnable: boolean; readonly next: TaskRef}
  | {readonly kind: 'wakeup'; readonly task: TaskRef}
  | {readonly kind: 'get' | 'put'; readonly module: string; readonly refcnt: number}
  | {readonly kind: 'load' | 'free'; readonly module: string}
  | {readonly kind: 'irq_entry'; readonly irq: number; readonly name: string}
  | {readonly kind: 'irq_exit'; readonly irq: number}

/** What each event's text should look like, for messages about lines that do not. */
const WAKEUP = 'comm=C pid=N prio=N target_cpu=N, or C:N [N] CPU:N'
const REFCOUNT = 'NAME call_site=SYMBOL refcnt=N'
const EXPECTED: Readonly<Record<string, string>> = {
  sched_switch: 'prev_comm=C prev_pid=N prev_prio=N prev_state=S ==> next_comm=C next_pid=N next_prio=N, or C:N [N] S ==> C:N [N]',
  sched_wakeup: WAKEUP,
  sched_waking: WAKEUP,
  sched_wakeup_new: WAKEUP,
  module_get: REFCOUNT,
  module_put: REFCOUNT,
  module_load: 'NAME [TAINTS]',
  module_free: 'NAME',
  irq_handler_entry: 'irq=N name=NAME',
  irq_handler_exit: 'irq=N ret=handled|unhandled',
}

/** The event names the importer reads (`sched_waking` and `sched_wakeup_new` count as wakeups). */
export const READ_EVENTS: ReadonlySet<string> = new Set(Object.keys(EXPECTED))

const SWITCH_KV = /^prev_comm=(.*?) prev_pid=(\d+) prev_prio=(-?\d+) prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+) next_prio=(-?\d+)\s*$/
const SWITCH_PLUGIN = /^(.*?):(\d+) \[(-?\d+)\] (\S+) ==> (.*?):(\d+) \[(-?\d+)\]\s*$/
const WAKEUP_KV = /^comm=(.*?) pid=(\d+) prio=(-?\d+)(?: success=\d+)?(?: target_cpu=\d+)?\s*$/
const WAKEUP_PLUGIN = /^(.*?):(\d+) \[(-?\d+)\](?: success=\d+)?(?: CPU:\d+)?\s*$/
const REFCNT = /^([\w-]+) call_site=.*? refcnt=(-?\d+)\s*$/
const MODULE = /^([\w-]+)(?:\s.*)?$/
const IRQ_ENTRY = /^irq=(\d+) name=(.+?)\s*$/
const IRQ_EXIT = /^irq=(\d+) ret=\w+\s*$/

/**
 * A `prev_state` that leaves the task runnable (preempted rather than blocked): `R`, `R+`
 * or the raw value 0; anything else (`S`, `D`, `S|K`, `I`, a nonzero number) is a sleep.
 */
function isRunnable(state: string): boolean {
  return state.startsWith('R') || state === '0'
}

/** What an event's text should have looked like (no closure per line: this is the hot path). */
function expectedText(event: string): string {
  return `expected ${event}: ${EXPECTED[event]}`
}

/** A kernel task priority: -1 (deadline) to 139 (`MAX_PRIO - 1`, nice 19). */
const PRIO_MIN = -1
const PRIO_MAX = 139

/** The event's task references, or a message naming the first priority outside the kernel's range. */
function checkPrios<T extends CaptureEvent>(event: string, parsed: T, ...refs: TaskRef[]): T | string {
  for (const ref of refs) {
    if (ref.prio < PRIO_MIN || ref.prio > PRIO_MAX) return `${expectedText(event)}; priority ${ref.prio} of ${ref.comm}-${ref.pid} is outside the kernel's ${PRIO_MIN}..${PRIO_MAX}`
  }
  return parsed
}

/**
 * Parse the text of an event the importer reads. Returns the event, or a string saying
 * what the text should have looked like when it does not parse; `line.event` must be one
 * of READ_EVENTS.
 */
export function parseCaptureEvent(line: CaptureLine): CaptureEvent | string {
  const {event, body} = line
  switch (event) {
    case 'sched_switch': {
      const m = SWITCH_KV.exec(body) ?? SWITCH_PLUGIN.exec(body)
      if (m === null) return expectedText(event)
      const prev = {comm: m[1], pid: Number(m[2]), prio: Number(m[3])}
      const next = {comm: m[5], pid: Number(m[6]), prio: Number(m[7])}
      return checkPrios(event, {kind: 'switch', prev, runnable: isRunnable(m[4]), next}, prev, next)
    }
    case 'sched_wakeup':
    case 'sched_waking':
    case 'sched_wakeup_new': {
      const m = WAKEUP_KV.exec(body) ?? WAKEUP_PLUGIN.exec(body)
      if (m === null) return expectedText(event)
      const task = {comm: m[1], pid: Number(m[2]), prio: Number(m[3])}
      return checkPrios(event, {kind: 'wakeup', task}, task)
    }
    case 'module_get':
    case 'module_put': {
      const m = REFCNT.exec(body)
      if (m === null) return expectedText(event)
      return {kind: event === 'module_get' ? 'get' : 'put', module: m[1], refcnt: Number(m[2])}
    }
    case 'module_load':
    case 'module_free': {
      const m = MODULE.exec(body)
      if (m === null) return expectedText(event)
      return {kind: event === 'module_load' ? 'load' : 'free', module: m[1]}
    }
    case 'irq_handler_entry': {
      const m = IRQ_ENTRY.exec(body)
      return m === null ? expectedText(event) : {kind: 'irq_entry', irq: Number(m[1]), name: m[2]}
    }
    case 'irq_handler_exit': {
      const m = IRQ_EXIT.exec(body)
      return m === null ? expectedText(event) : {kind: 'irq_exit', irq: Number(m[1])}
    }
    default:
      return expectedText(event)
  }
}
