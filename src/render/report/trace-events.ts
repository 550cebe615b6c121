/**
 * Timelines in the Chrome Trace Event Format, which Perfetto (ui.perfetto.dev) and
 * chrome://tracing open: one process per run (named by `M` metadata), one thread per CPU
 * carrying complete (`X`) slices for task runs, the stop's runs and interrupt handlers,
 * strictly nested; a second thread per CPU, when needed, for interrupts held pending and
 * injected delays (they overlap runs freely); instant (`i`) events for findings; counter
 * (`C`) tracks for the module's reference count and the CPUs held by the stop. Timestamps
 * are µs with up to three decimals, so nanoseconds survive.
 */
import {KREPLAY_VERSION, MODEL_VERSION} from '../../core/versions.ts'
import type {Slice, Timeline, Window} from '../../report/timeline.ts'

/** One event of the format (the fields kreplay writes). */
export interface TraceEvent {
  readonly name: string
  readonly ph: 'M' | 'X' | 'i' | 'C'
  readonly ts: number
  readonly pid: number
  readonly tid: number
  readonly cat?: string
  readonly dur?: number
  readonly s?: 't' | 'p'
  readonly args?: Readonly<Record<string, unknown>>
}

/** A process of the trace file: its name and the timeline it shows. */
export interface TraceProcess {
  readonly name: string
  readonly timeline: Timeline
  /** Only what overlaps this window (a long run); default the whole run. */
  readonly window?: Window
}

/** ns to µs, keeping the nanoseconds as decimals. */
function us(ns: number): number {
  return Math.round(ns) / 1000
}

/** The tid of a CPU's slice thread, and of its overlay thread. */
const runTid = (cpu: number): number => 2 * cpu + 1
const markTid = (cpu: number): number => 2 * cpu + 2

/**
 * The events of `processes`, process i as pid i+1, in a fixed order: metadata first, then
 * per process its slices (per CPU, by start, parents before children), overlays, findings
 * and counters.
 */
export function traceEvents(processes: readonly TraceProcess[]): TraceEvent[] {
  const events: TraceEvent[] = []
  processes.forEach((p, i) => {
    const pid = i + 1
    const tl = p.timeline
    const w = p.window ?? {from: 0, to: tl.end}
    const inside = (s: {start: number; end: number}): boolean => s.end >= w.from && s.start <= w.to
    events.push({name: 'process_name', ph: 'M', ts: 0, pid, tid: 0, args: {name: p.name}})
    events.push({name: 'process_sort_index', ph: 'M', ts: 0, pid, tid: 0, args: {sort_index: pid}})
    tl.lanes.forEach((lane, cpu) => {
      events.push({name: 'thread_name', ph: 'M', ts: 0, pid, tid: runTid(cpu), args: {name: `CPU ${cpu}`}})
      events.push({name: 'thread_sort_index', ph: 'M', ts: 0, pid, tid: runTid(cpu), args: {sort_index: runTid(cpu)}})
      if (lane.marks.some(inside)) {
        events.push({name: 'thread_name', ph: 'M', ts: 0, pid, tid: markTid(cpu), args: {name: `CPU ${cpu} irqs off / delays`}})
        events.push({name: 'thread_sort_index', ph: 'M', ts: 0, pid, tid: markTid(cpu), args: {sort_index: markTid(cpu)}})
      }
    })
    tl.lanes.forEach((lane, cpu) => {
      for (const s of nest(lane.runs.filter(inside), lane.irqs.filter(inside))) {
        events.push({name: s.name, cat: s.kind, ph: 'X', ts: us(s.start), dur: us(s.end) - us(s.start), pid, tid: runTid(cpu), args: {kind: KIND_TEXT[s.kind]}})
      }
      // Overlays overlap each other too: keep the first of any two that overlap.
      let until = -Infinity
      for (const m of [...lane.marks].filter(inside).sort((a, b) => a.start - b.start || b.end - a.end)) {
        if (m.start < until) continue
        until = m.end
        events.push({name: m.label, cat: m.kind, ph: 'X', ts: us(m.start), dur: us(m.end) - us(m.start), pid, tid: markTid(cpu)})
      }
    })
    for (const f of tl.findings) {
      const base = {name: f.kind, cat: 'finding', ph: 'i' as const, ts: us(f.at), pid, args: {detail: f.detail, task: f.task}}
      events.push(f.cpu === null ? {...base, tid: 0, s: 'p'} : {...base, tid: runTid(f.cpu), s: 't'})
    }
    for (const c of tl.counters) {
      for (const pt of c.points) if (pt.t <= w.to) events.push({name: c.name, ph: 'C', ts: us(Math.max(pt.t, 0)), pid, tid: 0, args: {value: pt.value}})
    }
  })
  return events
}

const KIND_TEXT: Readonly<Record<Slice['kind'], string>> = {task: 'task run', stop: 'held by the stop', irq: 'interrupt handler'}

/**
 * Task runs (never overlapping) with the interrupt handlers that ran inside them, as one
 * list ordered by start, each parent before its children; a handler that crosses a run's
 * edge is clipped to it, so the slices nest strictly.
 */
function nest(runs: readonly Slice[], irqs: readonly Slice[]): Slice[] {
  const out: Slice[] = []
  let emitted = 0
  const emitUpTo = (k: number): void => {
    while (emitted <= k) out.push(runs[emitted++])
  }
  let r = 0
  for (const h of irqs) {
    while (r < runs.length && runs[r].end <= h.start) r++
    if (r < runs.length && runs[r].start <= h.start) {
      emitUpTo(r)
      out.push({...h, end: Math.min(h.end, runs[r].end)})
    } else {
      // On an idle CPU: the handler stands alone, up to the next run's start.
      emitUpTo(r - 1)
      out.push({...h, end: r < runs.length ? Math.min(h.end, runs[r].start) : h.end})
    }
  }
  emitUpTo(runs.length - 1)
  return out
}

/** The trace file's text: one event per line, so it diffs and greps. */
export function traceEventsJson(events: readonly TraceEvent[]): string {
  return `{"displayTimeUnit":"ns","otherData":${JSON.stringify({kreplayVersion: KREPLAY_VERSION, model: MODEL_VERSION})},"traceEvents":[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`
}
