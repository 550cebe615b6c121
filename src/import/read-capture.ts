/**
 * Reads a capture line by line (never the whole text at once) and accumulates what the
 * trace is built from: tasks, interrupt handlers, module references, module loads and
 * frees, the header's facts, and an account of every line it did not use.
 */
import {createInterface} from 'node:readline'
import type {Readable} from 'node:stream'
import {parseCaptureEvent, READ_EVENTS} from './capture-event.ts'
import {cpuColumn, parseCaptureLine, type CaptureLine} from './capture-line.ts'
import {resolvePoint, type ImportOptions} from './import-options.ts'
import {IrqActivity} from './irq-activity.ts'
import {ModuleHolds} from './module-holds.ts'
import {TaskActivity} from './task-activity.ts'

/** A module_load or module_free, by the task that did it. */
export interface ModuleChange {
  readonly kind: 'load' | 'free'
  readonly module: string
  readonly ts: number
  readonly comm: string
  readonly pid: number
  readonly cpu: number
}

/** A line that looked like an event the importer reads but did not parse. */
export interface MalformedLine {
  readonly line: number
  readonly reason: string
}

/** Everything the importer took from a capture. */
export interface Capture {
  /** Lines read. */
  readonly lines: number
  /** `ftrace`, `trace-cmd` or `perf`, with the flags column and tgid column seen. */
  readonly layout: string
  /** CPUs the header states (`#P:8`, `cpus=8`, `# nrcpus avail : 8`), or null. */
  readonly headerCpus: number | null
  /** The line that stated `headerCpus` (0 when none did). */
  readonly headerCpusLine: number
  /** The kernel release a header states (`# os release : 6.1.0`, `Linux version 6.1.0 ...`), or null. */
  readonly kernel: string | null
  /** Highest CPU number an event line names, or -1. */
  readonly maxCpu: number
  /** Where the first line naming `maxCpu` names it (line and column, 1-based; 0 when none). */
  readonly maxCpuAt: {readonly line: number; readonly column: number}
  /** Timestamp of the capture's first event line (ns), or null when it has none. */
  readonly captureFirst: number | null
  /** First and last timestamp of the events used (ns, capture clock); null when none. */
  readonly first: number | null
  readonly last: number | null
  /** Events used, by event name. */
  readonly used: ReadonlyMap<string, number>
  /** Event lines of events the importer does not read, by event name. */
  readonly skipped: ReadonlyMap<string, number>
  /** Event lines outside the window. */
  readonly outsideWindow: number
  /** Lines that are neither headers nor event lines: how many, and the first few line numbers. */
  readonly unrecognised: {readonly count: number; readonly lines: readonly number[]}
  /** Malformed event lines: how many, and the first few. */
  readonly malformed: {readonly count: number; readonly first: readonly MalformedLine[]}
  readonly tasks: TaskActivity
  readonly irqs: IrqActivity
  readonly holds: ModuleHolds
  readonly changes: readonly ModuleChange[]
}

/** How many malformed or unrecognised lines are listed by number. */
const LISTED = 5

const HEADER_CPUS = [/#P:(\d+)/, /^cpus=(\d+)\s*$/, /^#\s*nrcpus avail\s*:\s*(\d+)/]
const KERNEL = [/^#\s*os release\s*:\s*(\S+)/, /^Linux version (\S+)/]

/** Read `input` to its end. `window` limits the events used; offsets count from the first event line. */
export async function readCapture(input: Readable, window: ImportOptions['window']): Promise<Capture> {
  const reader = new CaptureReader(window)
  for await (const text of createInterface({input, crlfDelay: Infinity})) reader.line(text)
  return reader.finish()
}

/** The state of one read, fed a line at a time. */
class CaptureReader {
  private readonly used = new Map<string, number>()
  private readonly skipped = new Map<string, number>()
  private readonly unrecognised = {count: 0, lines: [] as number[]}
  private readonly malformed = {count: 0, first: [] as MalformedLine[]}
  private readonly irqs = new IrqActivity()
  private readonly holds = new ModuleHolds()
  private readonly changes: ModuleChange[] = []
  /** Flags column widths seen (0: none), -1 for perf script lines. */
  private readonly layouts = new Set<number>()
  private tasks: TaskActivity | null = null
  private lines = 0
  private headerCpus: number | null = null
  private headerCpusLine = 0
  private kernel: string | null = null
  private traceCmd = false
  private maxCpu = -1
  private maxCpuAt = {line: 0, column: 0}
  private outsideWindow = 0
  private captureFirst: number | null = null
  private from = -Infinity
  private to = Infinity
  private first: number | null = null
  private last: number | null = null

  constructor(private readonly window: ImportOptions['window']) {}

  line(text: string): void {
    const n = ++this.lines
    const line = text.startsWith('#') ? null : parseCaptureLine(text)
    if (line === null) {
      if (this.header(text, n) || text.trim() === '' || text.startsWith('#') || /^\s+[0-9a-f]+ /.test(text)) return
      this.unrecognised.count++
      if (this.unrecognised.lines.length < LISTED) this.unrecognised.lines.push(n)
      return
    }
    if (this.captureFirst === null) {
      this.captureFirst = line.ts
      if (this.window?.from != null) this.from = resolvePoint(this.window.from, line.ts)
      if (this.window?.to != null) this.to = resolvePoint(this.window.to, line.ts)
    }
    if (line.cpu > this.maxCpu) {
      this.maxCpu = line.cpu
      this.maxCpuAt = {line: n, column: cpuColumn(text)}
    }
    this.layouts.add(line.layout === 'perf' ? -1 : (line.flags?.length ?? 0))
    if (!READ_EVENTS.has(line.event)) {
      count(this.skipped, line.event)
      return
    }
    if (line.ts < this.from || line.ts > this.to) {
      this.outsideWindow++
      return
    }
    this.use(line, n)
  }

  private use(line: CaptureLine, n: number): void {
    const event = parseCaptureEvent(line)
    if (typeof event === 'string') {
      this.malformed.count++
      if (this.malformed.first.length < LISTED) this.malformed.first.push({line: n, reason: event})
      return
    }
    count(this.used, line.event)
    this.first ??= line.ts
    this.last = Math.max(this.last ?? line.ts, line.ts)
    const tasks = (this.tasks ??= new TaskActivity(line.ts))
    switch (event.kind) {
      case 'switch':
        tasks.switch(line.cpu, line.ts, event.prev, event.runnable, event.next)
        return
      case 'wakeup':
        tasks.wakeup(line.ts, event.task)
        return
      case 'get':
      case 'put': {
        const handler = this.irqs.handlerOf(line, event.kind === 'get')
        if (handler === null) tasks.seen(line.comm, line.pid, line.cpu, line.ts)
        this.holds[event.kind](event.module, handler === null ? `task:${line.pid}` : `irq:${handler}`, line.ts, event.refcnt)
        return
      }
      case 'load':
      case 'free':
        this.changes.push({kind: event.kind, module: event.module, ts: line.ts, comm: line.comm, pid: line.pid, cpu: line.cpu})
        return
      case 'irq_entry':
        this.irqs.entry(line.cpu, line.ts, event.irq, event.name)
        return
      case 'irq_exit':
        this.irqs.exit(line.cpu, line.ts, event.irq)
        return
    }
  }

  /** Take in header line `n` (`#P:8`, `cpus=8`, `version = 6`, a kernel release); false if it is none. */
  private header(text: string, n: number): boolean {
    for (const re of HEADER_CPUS) {
      const m = re.exec(text)
      if (m !== null) {
        this.headerCpus = Number(m[1])
        this.headerCpusLine = n
        this.traceCmd ||= text.startsWith('cpus=')
        return true
      }
    }
    for (const re of KERNEL) {
      const m = re.exec(text)
      if (m !== null) {
        this.kernel = m[1]
        return true
      }
    }
    if (!/^version = \d+/.test(text)) return false
    this.traceCmd = true
    return true
  }

  finish(): Capture {
    if (this.last !== null) this.tasks?.finish(this.last)
    const columns = [...this.layouts]
      .filter((width) => width >= 0)
      .sort()
      .map((width) => (width === 0 ? 'no flags column' : `${width}-character flags`))
    const kind = this.layouts.has(-1) ? 'perf script' : this.traceCmd ? 'trace-cmd report' : 'ftrace'
    return {
      lines: this.lines,
      layout: `${kind}${columns.length ? ` (${columns.join(', ')})` : ''}`,
      headerCpus: this.headerCpus,
      headerCpusLine: this.headerCpusLine,
      kernel: this.kernel,
      maxCpu: this.maxCpu,
      maxCpuAt: this.maxCpuAt,
      captureFirst: this.captureFirst,
      first: this.first,
      last: this.last,
      used: this.used,
      skipped: this.skipped,
      outsideWindow: this.outsideWindow,
      unrecognised: this.unrecognised,
      malformed: this.malformed,
      tasks: this.tasks ?? new TaskActivity(0),
      irqs: this.irqs,
      holds: this.holds,
      changes: this.changes,
    }
  }
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}
