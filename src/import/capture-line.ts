/**
 * One line of a kernel trace capture, split into its common fields. Three text layouts
 * are read (what `cat /sys/kernel/tracing/trace` or `trace_pipe` print, what
 * `trace-cmd report` prints, and what `perf script` prints for tracepoints):
 *
 * ```text
 *           bash-2265    [002] d..3.   195.445829: sched_switch: prev_comm=bash ...
 *           bash-2265    (   2265) [002] d..3  195.445829: sched_switch: ...
 *           bash-2265    (-------) [002] ....  195.445829: module_get: nvme call_site=...
 *           bash-2265    [002]   195.445829: sched_switch:         bash:2265 [120] S ==> ...
 *      bash-52501   110d... 81778.908247: sched_switch:         bash:52501 [120] S ==> ...
 *           bash  2265 [002]   195.445829: sched:sched_switch: prev_comm=bash ...
 * ```
 *
 * The flags column (irqs-off, need-resched, hardirq/softirq, preempt depth, and from 5.x
 * on migrate-disable) may have 4 or 5 characters or be absent; the tgid column may be
 * present (`(  1234)` or `(-------)`) or not. Task names may contain spaces and dashes.
 */

/** The fields every event line has, and the event's own text. */
export interface CaptureLine {
  /** The task's comm as the line prints it (`<idle>`, `kworker/u16:3`). */
  readonly comm: string
  readonly pid: number
  readonly cpu: number
  /** The flags column, or null when the layout has none. */
  readonly flags: string | null
  /** Timestamp in integer nanoseconds. */
  readonly ts: number
  /** The event name without its system (`sched_switch`). */
  readonly event: string
  /** The event's own text after `event:` (leading spaces removed). */
  readonly body: string
  /** Which layout the line is in. */
  readonly layout: 'ftrace' | 'perf'
}

/**
 * ftrace and trace-cmd: `comm-pid [(tgid)] [cpu] [flags] ts: event: body`, or trace-cmd's
 * latency form `comm-pid cpuFLAGS ts: event: body` with the CPU number run into the flags.
 */
const FTRACE =
  /^\s*(.+?)-(\d+)\s+(?:\(\s*(?:\d+|-+)\)\s+)?(?:\[(\d+)\]\s+(?:([^\s\d][^\s]{3,4})\s+)?|(\d+)([^\s\d][^\s]{3,4})\s+)(\d+)\.(\d+):\s+(?:\w+:)?(\w+):\s*(.*)$/

/** perf script: `comm pid[/tid] [cpu] ts: system:event: body`. */
const PERF = /^\s*(.*?)\s+(\d+)(?:\/(\d+))?\s+\[(\d+)\]\s+(\d+)\.(\d+):\s+(?:\d+\s+)?\w+:(\w+):\s*(.*)$/

/** The same layouts with match indices, for the rare line whose CPU column a message names. */
const FTRACE_AT = new RegExp(FTRACE.source, 'd')
const PERF_AT = new RegExp(PERF.source, 'd')

/**
 * The 1-based column where an event line's CPU number starts, or 1 when `text` is not an
 * event line. Slower than parseCaptureLine (match indices): the reader calls it only for
 * a line that names a higher CPU than any before it.
 */
export function cpuColumn(text: string): number {
  const ftrace = FTRACE_AT.exec(text)?.indices
  const at = ftrace !== undefined ? (ftrace[3] ?? ftrace[5]) : PERF_AT.exec(text)?.indices?.[4]
  return (at?.[0] ?? 0) + 1
}

/** Seconds and a decimal fraction of a second (`195`, `445829`) as integer nanoseconds. */
export function timestampNs(seconds: string, fraction: string): number {
  return Number(seconds) * 1e9 + Number(fraction.padEnd(9, '0').slice(0, 9))
}

/**
 * Split an event line into its fields, or null when the line is not an event line of
 * any layout kreplay reads (a header, a blank line, a stack frame, anything else).
 */
export function parseCaptureLine(text: string): CaptureLine | null {
  // Optional groups are undefined when they did not take part.
  let m = FTRACE.exec(text) as (string | undefined)[] | null
  if (m !== null) {
    const bracketed = m[3] !== undefined
    return {
      comm: m[1]!,
      pid: Number(m[2]),
      cpu: Number(bracketed ? m[3] : m[5]),
      flags: (bracketed ? m[4] : m[6]) ?? null,
      ts: timestampNs(m[7]!, m[8]!),
      event: m[9]!,
      body: m[10]!,
      layout: 'ftrace',
    }
  }
  m = PERF.exec(text)
  if (m !== null) {
    return {
      comm: m[1]!,
      pid: Number(m[3] ?? m[2]),
      cpu: Number(m[4]),
      flags: null,
      ts: timestampNs(m[5]!, m[6]!),
      event: m[7]!,
      body: m[8]!,
      layout: 'perf',
    }
  }
  return null
}

/**
 * Whether the flags column says hard-interrupt context (`h`, or `H`: a hard irq that
 * interrupted a softirq) or NMI (`Z`, `z`). The hardirq/softirq flag is the third
 * character in both the 4- and the 5-character column.
 */
export function inHardIrq(flags: string | null): boolean {
  return flags !== null && 'hHzZ'.includes(flags[2])
}

/** Whether the flags column says softirq context (`s`). */
export function inSoftIrq(flags: string | null): boolean {
  return flags !== null && flags[2] === 's'
}
