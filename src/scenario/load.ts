/**
 * The trace loader: YAML or JSON text in, a validated, defaulted, deeply frozen Scenario
 * out, or a TraceError naming file:line:column of the node at fault.
 */
import {readFileSync} from 'node:fs'
import {freeze} from 'immer'
import {LineCounter, parseDocument, type Document} from 'yaml'
import {costsWith} from '../core/costs.ts'
import {InputError} from '../core/input-error.ts'
import {formatCpulist} from './cpulist.ts'
import {suggestion} from './did-you-mean.ts'
import {issueMessage} from './issue-message.ts'
import {traceSchema, type RawTrace} from './schema.ts'
import {Locator, MAX_DEPTH} from './locator.ts'
import {DEFAULT_LIMITS, footprintBytes, formatBytes, type TraceLimits} from './footprint.ts'
import {escapeUnprintable} from './quote.ts'
import {TraceError, type PathSegment} from './trace-error.ts'
import type {Expectation, IrqSpec, ModuleSpec, Op, Scenario, TaskSpec} from './types.ts'

/**
 * Read and load the trace at `file` (YAML or JSON). Throws a TraceError for a trace that
 * is not valid, and an InputError naming the file when it cannot be read (a directory,
 * no permission).
 */
export function loadTrace(file: string, limits: TraceLimits = DEFAULT_LIMITS): Scenario {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(`${file}: ${code === 'EISDIR' ? 'a directory, not a trace file' : `cannot be read (${code ?? String(error)})`}`)
  }
  return parseTrace(text, file, limits)
}

/**
 * Load a trace from its text; `file` names it in errors and becomes `Scenario.file`.
 * The result is deeply frozen. Throws a TraceError at the first fault in document order
 * (YAML syntax, then shape and values, then checks across the trace), or where the trace
 * grows past `limits` (footprint.ts).
 */
export function parseTrace(text: string, file: string, limits: TraceLimits = DEFAULT_LIMITS): Scenario {
  const lines = new LineCounter()
  const doc = parseYaml(text, file, lines)
  const where = new Locator(doc, lines, file)
  const syntax = doc.errors.at(0)
  if (syntax !== undefined) throw where.syntaxError(text, syntax.code, syntax.message, syntax.pos[0])
  const data = where.toData()
  const result = traceSchema(declaredCpus(data)).safeParse(data, {error: issueMessage})
  if (!result.success) throw where.firstIssue(result.error.issues)
  checkFootprint(result.data, where, limits)
  return freeze(build(result.data, file, where), true)
}

/**
 * A TraceError at `path` in the trace file `file`, for a fault seen only after it loaded
 * (an expect: key naming a variant that is not among those run): the file is read again
 * to place it. `atKey` as in Locator.error. Null when the file cannot be read again.
 */
export function traceErrorIn(file: string, path: readonly PathSegment[], reason: string, atKey = false): TraceError | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  const lines = new LineCounter()
  return new Locator(parseYaml(text, file, lines), lines, file).error(path, reason, atKey)
}

/** The largest trace file read, in bytes: far above any real trace, far below trouble. */
export const MAX_TRACE_BYTES = 64 * 1024 * 1024
/** Bytes that never occur in YAML or JSON text: NUL and the other C0 controls but tab, LF and CR; U+FFFD (undecodable bytes). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/

/**
 * The YAML document of `text`, or a TraceError at the first byte that cannot be text, when
 * the text is larger than MAX_TRACE_BYTES, or when it nests too deeply for the parser.
 */
function parseYaml(text: string, file: string, lineCounter: LineCounter): Document {
  const at = (offset: number, reason: string): TraceError => {
    const before = text.slice(0, offset)
    const line = before.split('\n').length
    const col = offset - before.lastIndexOf('\n')
    return new TraceError({file, line, col, path: '', reason})
  }
  if (text.length > MAX_TRACE_BYTES) throw at(0, `the file is ${text.length} characters, more than a trace may be (${MAX_TRACE_BYTES}); is it a trace?`)
  const binary = BINARY.exec(text)
  if (binary !== null) {
    const what = binary[0] === '\ufffd' ? 'bytes that are not UTF-8' : `the control character ${escapeUnprintable(binary[0])}`
    throw at(binary.index, `not a text file: found ${what}; a trace is YAML or JSON text`)
  }
  try {
    return parseDocument(text, {lineCounter, prettyErrors: false})
  } catch (error) {
    if (error instanceof RangeError) throw at(0, `nested too deeply to parse (at most ${MAX_DEPTH} levels of lists and maps)`)
    throw error
  }
}

/**
 * Refuses a trace whose simulation would need more memory than `limits` allows, at the
 * task entry that needs the most (its `count`), before anything is built.
 */
function checkFootprint(raw: RawTrace, where: Locator, limits: TraceLimits): void {
  const cpus = raw.machine.cpus
  const housekeeping = cpus - raw.machine.isolated.length
  const entries = raw.tasks.map((t) => ({count: t.count ?? 1, mask: t.spread === true ? 1 : (t.cpus?.length ?? housekeeping)}))
  const bytes = footprintBytes(cpus, entries)
  if (bytes <= limits.maxMemoryMb * 2 ** 20) return
  const tasks = entries.reduce((n, e) => n + e.count, 0)
  const biggest = entries.reduce((best, e, i) => (e.count * e.mask > entries[best].count * entries[best].mask ? i : best), 0)
  const path = entries.length === 0 ? ['machine', 'cpus'] : raw.tasks[biggest].count === undefined ? ['tasks', biggest] : ['tasks', biggest, 'count']
  throw where.error(
    path,
    `simulating ${tasks.toLocaleString('en-US')} tasks on ${cpus} CPUs needs about ${formatBytes(bytes)}, more than --max-memory allows (${formatBytes(limits.maxMemoryMb * 2 ** 20)}); raise --max-memory or make the trace smaller`,
  )
}

/** `machine.cpus` when it is valid, else the largest allowed (the schema reports it). */
function declaredCpus(data: unknown): number {
  const cpus = (data as {machine?: {cpus?: unknown}} | null)?.machine?.cpus
  return typeof cpus === 'number' && Number.isInteger(cpus) && cpus >= 1 && cpus <= 4096 ? cpus : 4096
}

/**
 * Ops an interrupt handler may run: none of them sleeps or blocks (a handler runs with
 * preemption off, in no task's context), and `repeat` without `until`.
 */
const IRQ_OPS: ReadonlySet<Op['op']> = new Set(['spin', 'get', 'put', 'call', 'use', 'kill', 'mark', 'repeat'])

/** Call `visit` on every op of `program` (at `path`), including ops nested in repeat and kthread_run. */
function walk(program: readonly Op[], path: readonly PathSegment[], visit: (op: Op, path: readonly PathSegment[]) => void): void {
  program.forEach((op, i) => {
    const at = [...path, i]
    visit(op, at)
    if (op.op === 'repeat') walk(op.body, [...at, 'do'], visit)
    if (op.op === 'kthread_run') walk(op.program, [...at, 'kthread_run', 'program'], visit)
  })
}

/** `"x"` is not among `names`: the end of a message saying so. */
function notAmong(name: string, names: readonly string[], what: string): string {
  if (names.length === 0) return `; the trace defines no ${what}`
  return suggestion(name, names) || `; the trace defines ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''}`
}

/** Check what spans the trace, fill the defaults that depend on other keys, expand counts. */
function build(raw: RawTrace, file: string, where: Locator): Scenario {
  const fail = (path: readonly PathSegment[], reason: string): never => {
    throw where.error(path, reason)
  }
  const {machine} = raw
  const isolated = new Set(machine.isolated)
  const housekeeping = Array.from({length: machine.cpus}, (_, cpu) => cpu).filter((cpu) => !isolated.has(cpu))
  const defaultCpus = (cpus: readonly number[] | undefined, path: readonly PathSegment[]): readonly number[] => {
    if (cpus !== undefined) return cpus
    if (housekeeping.length === 0) {
      fail(path, `no cpus given, and every CPU is isolated (isolated: ${formatCpulist(machine.isolated)}), so the default affinity is empty; give cpus`)
    }
    return housekeeping
  }

  const unique = (names: readonly {name: string}[], what: string, field: string) => {
    const seen = new Set<string>()
    names.forEach(({name}, i) => {
      if (seen.has(name)) fail([field, i, 'name'], `duplicate ${what} name "${name}"`)
      seen.add(name)
    })
  }
  unique(raw.modules, 'module', 'modules')
  const modules: ModuleSpec[] = raw.modules.map((m) => ({name: m.name, loaded: m.loaded, refs: m.refs, init: m.init, exit: m.exit}))

  const tasks: TaskSpec[] = []
  const taskIndex: number[] = []
  raw.tasks.forEach((t, i) => {
    const cpus = defaultCpus(t.cpus, ['tasks', i])
    const count = t.count ?? 1
    for (let k = 0; k < count; k++) {
      tasks.push({
        name: t.count === undefined ? t.name : `${t.name}/${k}`,
        cpus: t.spread === true ? [cpus[k % cpus.length]] : cpus,
        policy: t.policy,
        priority: t.priority ?? 0,
        start: t.start,
        program: t.program,
        latency_budget: t.latency_budget ?? null,
      })
      taskIndex.push(i)
    }
  })
  const seenTasks = new Set<string>()
  tasks.forEach((t, k) => {
    if (seenTasks.has(t.name)) fail(['tasks', taskIndex[k], 'name'], `duplicate task name "${t.name}"`)
    seenTasks.add(t.name)
  })

  unique(raw.irqs, 'irq', 'irqs')
  const irqs: IrqSpec[] = raw.irqs.map((q, i) => ({
    name: q.name,
    cpus: defaultCpus(q.cpus, ['irqs', i]),
    every: q.every ?? null,
    at: q.at ?? [],
    cost: q.cost,
    program: q.program,
  }))

  const programs: [readonly Op[], PathSegment[]][] = [
    ...raw.modules.flatMap((m, i): [readonly Op[], PathSegment[]][] => [
      [m.init, ['modules', i, 'init']],
      [m.exit, ['modules', i, 'exit']],
    ]),
    ...raw.tasks.map((t, i): [readonly Op[], PathSegment[]] => [t.program, ['tasks', i, 'program']]),
    ...raw.irqs.map((q, i): [readonly Op[], PathSegment[]] => [q.program, ['irqs', i, 'program']]),
  ]
  const kthreads = new Set<string>()
  for (const [program, path] of programs) {
    walk(program, path, (op, at) => {
      if (op.op !== 'kthread_run') return
      if (seenTasks.has(op.name)) fail([...at, 'kthread_run', 'name'], `kthread "${op.name}" has the name of a task: setaffinity and kill could not tell them apart`)
      kthreads.add(op.name)
    })
  }
  raw.irqs.forEach((q, i) => {
    walk(q.program, ['irqs', i, 'program'], (op, at) => {
      if (IRQ_OPS.has(op.op) && !(op.op === 'repeat' && op.until.length > 0)) return
      const what = op.op === 'repeat' ? 'repeat with until' : op.op
      fail([...at, op.op], `an interrupt handler cannot sleep, block or wait for a thread, and ${what} may; an irq program may use ${[...IRQ_OPS].join(', ')}`)
    })
  })
  checkReferences(programs, {
    modules: modules.map((m) => m.name),
    tasks: [...seenTasks, ...kthreads],
    kthreads: [...kthreads],
    counted: new Map(raw.tasks.filter((t) => t.count !== undefined).map((t) => [t.name, t.count ?? 1])),
    fail,
  })

  const costs = costsWith(defined(machine.costs))
  const expect: Record<string, Expectation> = {}
  for (const [variant, e] of Object.entries(raw.expect)) {
    expect[variant] = {findings: [...new Set(e.findings)], by: e.by, metrics: defined(e.metrics)}
  }

  return {
    kreplay: 1,
    name: raw.name,
    title: raw.title ?? raw.name,
    source: raw.source,
    seed: raw.seed,
    horizon: raw.horizon,
    horizon_bounded: raw.horizon_bounded,
    machine: {
      cpus: machine.cpus,
      isolated: machine.isolated,
      costs,
      jitter: machine.jitter,
      watchdog: machine.watchdog,
      stall_threshold: machine.stall_threshold,
      hung_task: machine.hung_task ?? null,
      sched: machine.sched ?? null,
    },
    modules,
    tasks,
    irqs,
    expect,
    file,
  }
}

/** `record` without its undefined entries (optional keys the trace did not give). */
function defined<T>(record: Readonly<Partial<Record<string, T>>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, T] => entry[1] !== undefined))
}

/** What names ops may refer to. */
interface Names {
  readonly modules: readonly string[]
  /** Task instances and kthreads: targets of setaffinity and kill. */
  readonly tasks: readonly string[]
  readonly kthreads: readonly string[]
  /** Base names of counted tasks, with their count. */
  readonly counted: ReadonlyMap<string, number>
  readonly fail: (path: readonly PathSegment[], reason: string) => never
}

/** Every module, task and kthread an op names must exist. */
function checkReferences(programs: readonly [readonly Op[], PathSegment[]][], names: Names): void {
  const {fail} = names
  for (const [program, path] of programs) {
    walk(program, path, (op, at) => {
      switch (op.op) {
        case 'get':
        case 'put':
        case 'call':
        case 'use':
        case 'rmmod':
        case 'insmod':
        case 'request_module':
          if (!names.modules.includes(op.module)) {
            fail([...at, op.op], `unknown module "${op.module}"${notAmong(op.module, names.modules, 'modules')}`)
          }
          return
        case 'setaffinity':
        case 'kill':
          if (!names.tasks.includes(op.task)) {
            const count = names.counted.get(op.task)
            const hint =
              count === undefined
                ? notAmong(op.task, names.tasks, 'tasks')
                : `; "${op.task}" has count ${count}: name an instance, ${op.task}/0 .. ${op.task}/${count - 1}`
            fail([...at, op.op, 'task'], `no task or kthread named "${op.task}"${hint}`)
          }
          return
        case 'kthread_stop':
          if (!names.kthreads.includes(op.name)) {
            fail([...at, 'kthread_stop'], `no kthread_run starts a thread named "${op.name}"${notAmong(op.name, names.kthreads, 'kthreads')}`)
          }
          return
        default:
          return
      }
    })
  }
}
