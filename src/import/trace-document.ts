/**
 * Builds the trace (as the plain data a YAML trace file holds) from what a capture showed.
 * See docs/import.md for what each event becomes.
 */
import {InputError} from '../core/input-error.ts'
import {plural} from '../core/plural.ts'
import {formatCpulist} from '../scenario/cpulist.ts'
import {MAX_CPUS} from '../scenario/resize.ts'
import {resolvePoint, type ImportOptions} from './import-options.ts'
import type {Capture, ModuleChange} from './read-capture.ts'
import type {TaskRecord} from './task-activity.ts'
import {irqProgram, taskProgram, traceDuration, type OpDoc} from './trace-programs.ts'

/** The trace as a YAML trace file holds it, keys in the order trace-format.md lists them. */
export type TraceDocument = Record<string, unknown>

/** A trace document and what the importer decided on the way, for the summary. */
export interface BuiltTrace {
  readonly document: TraceDocument
  readonly module: string
  /** Why the module is the one modelled. */
  readonly moduleReason: string
  /** Where the trace's rmmod comes from: the capture's module_free, or injected at an offset. */
  readonly rmmod: string
  /** The refcnt base used, or null when refcnt= was not trusted. */
  readonly refcntBase: 0 | 1 | null
  readonly notes: readonly string[]
}

/** Per-CPU kernel threads and threaded irq handlers: pinned by the kernel, so no sign of isolation. */
const PER_CPU_THREAD = /^(?:[\w-]+\/\d+|kworker\/\d+:\d+H?|irq\/.*)$/

/** `comm-pid` as a task name (trace names allow no spaces or `/`). */
export function taskName(comm: string, pid: number): string {
  return `${comm}-${pid}`.replace(/[\s/]/g, '_')
}

/** A kernel version string (`5.15.0-91-generic`) older than 3.19, when it parses. */
function before319(kernel: string | null): boolean {
  const m = kernel === null ? null : /^(\d+)\.(\d+)/.exec(kernel)
  return m !== null && (Number(m[1]) < 3 || (Number(m[1]) === 3 && Number(m[2]) < 19))
}

/** Kernel priority to policy and priority: 0-99 (and deadline's -1) RT as fifo, else normal with nice = prio - 120. */
function policyOf(prio: number): {policy: string; priority: number} {
  if (prio < 100) return {policy: 'fifo', priority: Math.min(99, Math.max(1, 99 - prio))}
  return {policy: 'normal', priority: Math.min(19, Math.max(-20, prio - 120))}
}

/**
 * CPUs the capture shows as isolated (isolcpus=): some task other than per-CPU kernel
 * threads ran there, and every such task that did ran nowhere else, while elsewhere at
 * least one task ran on several CPUs (so the scheduler was seen to balance load at all).
 */
function isolatedCpus(tasks: readonly TaskRecord[], cpus: number): number[] {
  const movable = tasks.filter((t) => !PER_CPU_THREAD.test(t.comm))
  if (!movable.some((t) => t.cpus.size > 1)) return []
  const isolated: number[] = []
  for (let cpu = 0; cpu < cpus; cpu++) {
    const there = movable.filter((t) => t.cpus.has(cpu))
    if (there.length > 0 && there.every((t) => t.cpus.size === 1)) isolated.push(cpu)
  }
  return isolated.length === cpus ? [] : isolated
}

/** Insmod and rmmod tasks from the capture's module_load and module_free of `module`, one task per pid. */
function moduleChangeTasks(changes: readonly ModuleChange[], module: string, first: number): Map<number, TraceDocument> {
  const byPid = new Map<number, ModuleChange[]>()
  for (const c of changes) if (c.module === module) byPid.set(c.pid, [...(byPid.get(c.pid) ?? []), c])
  const tasks = new Map<number, TraceDocument>()
  for (const [pid, list] of byPid) {
    const program: OpDoc[] = []
    list.forEach((c, i) => {
      if (i > 0 && c.ts > list[i - 1].ts) program.push({sleep: traceDuration(c.ts - list[i - 1].ts)})
      program.push(c.kind === 'load' ? {insmod: module} : {rmmod: module})
    })
    tasks.set(pid, {name: taskName(list[0].comm, pid), cpus: formatCpulist([...new Set(list.map((c) => c.cpu))].sort((a, b) => a - b)), start: traceDuration(list[0].ts - first), program})
  }
  return tasks
}

/** Everything the document needs besides the capture. */
export interface DocumentInput {
  readonly name: string
  /** How the capture is named in `source:` and messages. */
  readonly file: string
  readonly options: ImportOptions
}

/**
 * Build the trace document. The capture must have events (`capture.first` not null).
 * Throws an InputError naming the line when a CPU the capture names is beyond the machine's
 * CPUs (from `--cpus` or the capture's header).
 */
export function buildTraceDocument(capture: Capture, input: DocumentInput): BuiltTrace {
  const {options} = input
  const first = capture.first!
  const last = capture.last!
  const span = last - first
  const notes: string[] = []

  const cpus = options.cpus ?? capture.headerCpus ?? capture.maxCpu + 1
  if (capture.maxCpu >= cpus) {
    const {line, column} = capture.maxCpuAt
    const says = options.cpus !== undefined ? '--cpus says' : `the header (line ${capture.headerCpusLine}) says`
    const fix = capture.maxCpu < MAX_CPUS ? `pass --cpus ${capture.maxCpu + 1} or more` : `kreplay models at most ${MAX_CPUS} CPUs`
    throw new InputError(`${input.file}:${line}:${column}: CPU ${capture.maxCpu}, but ${says} the machine has ${cpus} CPUs; ${fix}`)
  }

  const ranked = capture.holds.ranked()
  const module = options.module ?? (ranked.length > 0 ? ranked[0].module : 'dummy')
  const moduleReason =
    options.module !== undefined ? '--module' : ranked.length > 0 ? `the most module_get events (${ranked[0].gets})` : 'no module events in the capture: a module no one uses'
  const others = ranked.filter((r) => r.module !== module)
  if (others.length > 0) notes.push(`events of other modules not modelled: ${others.map((r) => `${r.module} (${r.gets} gets)`).join(', ')}`)
  const refs = capture.holds.refs(module)
  if (refs.gets + refs.puts === 0 && ranked.length > 0) notes.push(`the capture has no module_get or module_put of ${module}`)
  if (refs.heldAtEnd > 0) notes.push(`${refs.heldAtEnd} reference(s) to ${module} still held at the end of the capture (not modelled)`)

  const refcntBase = options.refcntBase ?? (before319(capture.kernel) ? null : 1)
  let initial = 0
  if (refs.first !== null && refcntBase !== null) {
    const heldAfter = refs.first.refcnt - refcntBase
    initial = Math.max(0, (refs.first.kind === 'get' ? heldAfter - 1 : heldAfter + 1) - refs.releasedEarlier)
  }

  const changes = moduleChangeTasks(capture.changes, module, first)
  const firstChange = capture.changes.find((c) => c.module === module)
  const loaded = !(firstChange?.kind === 'load' && (refs.first === null || firstChange.ts <= refs.first.ts))
  let rmmod: string
  const freed = capture.changes.some((c) => c.module === module && c.kind === 'free')
  let rmmodStart = 0
  if (freed) {
    rmmod = "the capture's module_free"
  } else {
    const at = options.rmmodAt === undefined ? first + Math.round(span / 2) : resolvePoint(options.rmmodAt, capture.captureFirst ?? first)
    if (at < first || at > last) {
      // Before the first event it would be moved to 0; after the last, the trace would end before it.
      const seconds = (ns: number): string => (ns / 1e9).toFixed(6)
      throw new InputError(`--rmmod-at: ${seconds(at)} s is outside the events imported, ${seconds(first)} to ${seconds(last)} s (an offset from 0 to ${traceDuration(span)})`)
    }
    rmmodStart = Math.max(0, at - first)
    rmmod = `injected at ${traceDuration(rmmodStart)}${options.rmmodAt === undefined ? ' (halfway: no --rmmod-at)' : ''}`
  }

  const records = [...capture.tasks.tasks.values()].filter((t) => t.firstRun !== null && !changes.has(t.pid)).sort((a, b) => a.pid - b.pid)
  const isolated = isolatedCpus(records, cpus)
  const tasks: TraceDocument[] = []
  for (const t of records) {
    const program = taskProgram(
      {runNs: t.runNs, sleeps: t.sleeps, sleepNs: t.sleepNs, unscheduledSpanNs: t.switched ? null : last - t.firstRun!},
      module,
      refs.byActor.get(`task:${t.pid}`),
    )
    if (program.length === 0) continue
    tasks.push({
      name: taskName(t.comm, t.pid),
      cpus: formatCpulist([...t.cpus].sort((a, b) => a - b)),
      ...policyOf(t.prio),
      start: traceDuration(t.firstRun! - first),
      program,
    })
  }
  tasks.push(...changes.values())
  if (!freed) tasks.push({name: 'rmmod', start: traceDuration(rmmodStart), program: [{rmmod: module}]})

  const irqs: TraceDocument[] = []
  for (const q of [...capture.irqs.irqs.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (q.runs === 0) continue
    const held = refs.byActor.get(`irq:${q.name}`)
    const program = irqProgram(q.runs, module, held)
    // A handler no irq_handler_entry/exit bracketed costs 1 µs besides its program.
    const inProgram = held !== undefined && held.holds > 0 ? Math.max(1, Math.round(held.holds / q.runs)) * (held.holdNs / held.holds) : 0
    const cost = q.timedRuns > 0 ? Math.max(100, q.costNs / q.timedRuns - inProgram) : 1000
    irqs.push({
      name: q.name.replace(/[\s/]/g, '_'),
      cpus: formatCpulist([...q.cpus].sort((a, b) => a - b)),
      ...(q.runs >= 2 ? {every: traceDuration((q.last - q.first) / (q.runs - 1))} : {at: [traceDuration(q.first - first)]}),
      cost: traceDuration(cost),
      ...(program.length > 0 ? {program} : {}),
    })
  }

  const horizon = Math.max(span + Math.max(1e6, span / 10), rmmodStart + 1e6)
  const source = [
    `ftrace capture ${input.file}: ${capture.layout}, ${capture.lines} lines${capture.kernel === null ? '' : `, kernel ${capture.kernel}`}`,
    `imported by kreplay import ftrace: module ${module} (${moduleReason}); rmmod ${rmmod}; refcnt base ${refcntBase ?? 'ignored (per-CPU counter before 3.19)'}${options.refcntBase === undefined ? '' : ' (--refcnt-base)'}${windowText(options)}`,
  ]
  const document: TraceDocument = {
    kreplay: 1,
    name: input.name,
    title: `ftrace capture ${input.file}: ${plural(tasks.length, 'task')}, ${plural(irqs.length, 'irq')}, module ${module}`,
    source,
    seed: 1,
    horizon: traceDuration(horizon),
    machine: {cpus, ...(isolated.length > 0 ? {isolated: formatCpulist(isolated)} : {})},
    modules: [{name: module, ...(loaded ? {} : {loaded: false}), ...(initial > 0 ? {refs: initial} : {})}],
    tasks,
    ...(irqs.length > 0 ? {irqs} : {}),
  }
  return {document, module, moduleReason, rmmod, refcntBase, notes}
}

function windowText(options: ImportOptions): string {
  const w = options.window
  if (w === undefined) return ''
  const side = (p: typeof w.from) => (p === null ? '' : p.kind === 'offset' ? traceDuration(p.ns) : `${p.ns / 1e9}`)
  return `; window ${side(w.from)}..${side(w.to)}`
}
