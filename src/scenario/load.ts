/**
 * The trace loader: YAML or JSON text in, a validated, defaulted, deeply frozen Scenario
 * out, or a TraceError naming file:line:column of the node at fault.
 */
import {readFileSync} from 'node:fs'
import {freeze} from 'immer'
import {isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node} from 'yaml'
import type {z} from 'zod'
import {DEFAULT_COSTS} from '../core/costs.ts'
import {formatCpulist} from './cpulist.ts'
import {suggestion} from './did-you-mean.ts'
import {issueMessage, MISSING_KEY, traceSchema, type RawTrace} from './schema.ts'
import {formatPath, TraceError, type PathSegment} from './trace-error.ts'
import type {Costs, Expectation, IrqSpec, ModuleSpec, Op, Scenario, TaskSpec} from './types.ts'

/**
 * Read and load the trace at `file` (YAML or JSON). Throws a TraceError for a trace that
 * is not valid, and the file system's error when the file cannot be read.
 */
export function loadTrace(file: string): Scenario {
  return parseTrace(readFileSync(file, 'utf8'), file)
}

/**
 * Load a trace from its text; `file` names it in errors and becomes `Scenario.file`.
 * The result is deeply frozen. Throws a TraceError at the first fault in document order
 * (YAML syntax, then shape and values, then checks across the trace).
 */
export function parseTrace(text: string, file: string): Scenario {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false})
  const where = new Locator(doc, lines, file)
  const syntax = doc.errors.at(0)
  if (syntax !== undefined) throw where.syntaxError(text, syntax.code, syntax.message, syntax.pos[0])
  const data: unknown = doc.toJS()
  const result = traceSchema(declaredCpus(data)).safeParse(data, {error: issueMessage})
  if (!result.success) throw where.firstIssue(result.error.issues)
  return freeze(build(result.data, file, where), true)
}

/** `machine.cpus` when it is valid, else the largest allowed (the schema reports it). */
function declaredCpus(data: unknown): number {
  const cpus = (data as {machine?: {cpus?: unknown}} | null)?.machine?.cpus
  return typeof cpus === 'number' && Number.isInteger(cpus) && cpus >= 1 && cpus <= 4096 ? cpus : 4096
}

/** Maps paths in the trace to positions in its text and makes TraceErrors there. */
class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  /**
   * A TraceError at `path`. `atKey`: at the key that is the path's last step (an unknown
   * or misplaced key) rather than its value. A path that leads to an absent key ends at
   * the enclosing map, which is then where the error is and what it names.
   */
  error(path: readonly PathSegment[], reason: string, atKey = false): TraceError {
    let node: Node | null = this.doc.contents
    let offset = node?.range?.[0] ?? 0
    const found: PathSegment[] = []
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(this.doc) ?? null
      let key: Node | null = null
      let next: Node | null | undefined
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))
        key = (pair?.key ?? null) as Node | null
        next = pair?.value as Node | null | undefined
        if (pair === undefined) break
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment] as Node | null | undefined
        if (next === undefined) break
      } else break
      const last = found.length === path.length - 1
      if (atKey && last && key?.range != null) {
        offset = key.range[0]
        break
      }
      found.push(segment)
      // `key:` with nothing after it has an empty value node: point at the key instead.
      const empty = isScalar(next) && next.source === ''
      offset = (empty ? key?.range?.[0] : next?.range?.[0]) ?? key?.range?.[0] ?? offset
      node = next ?? null
    }
    const {line, col} = this.lines.linePos(offset)
    return new TraceError({file: this.file, line, col, path: formatPath(found), reason})
  }

  /**
   * The schema issue that comes first in the text, as a TraceError. A missing key is not
   * reported when its map has an unknown key: that is most likely the same key misspelt.
   */
  firstIssue(issues: readonly z.core.$ZodIssue[]): TraceError {
    const misspelt = new Set(issues.filter((issue) => issue.code === 'unrecognized_keys').map((issue) => pathKey(issue.path)))
    const errors = issues
      .filter((issue) => !(isMissing(issue) && misspelt.has(pathKey(issue.path.slice(0, -1)))))
      .map((issue) => {
        const path = issue.path.filter((segment) => typeof segment !== 'symbol')
        if (issue.code === 'unrecognized_keys') return this.error([...path, issue.keys[0]], issue.message, true)
        const atKey = issue.code === 'invalid_key' || (issue.code === 'custom' && issue.params?.atKey === true)
        return this.error(path, issue.message, atKey)
      })
    errors.sort((a, b) => a.line - b.line || a.col - b.col)
    return errors[0]
  }

  /** A YAML syntax error (yaml's code and message) at `offset`. */
  syntaxError(text: string, code: string, message: string, offset: number): TraceError {
    let reason = message.split('\n')[0]
    if (code === 'MULTIPLE_DOCS') reason = 'a second YAML document: a trace is one document'
    if (code === 'DUPLICATE_KEY') {
      const key = /^("[^"]*"|'[^']*'|[^\s:,{}[\]]+)/.exec(text.slice(offset))
      reason = key === null ? 'duplicate key' : `duplicate key ${key[1].startsWith('"') ? key[1] : JSON.stringify(key[1])}`
    }
    if (INDENTATION.has(code) || reason.startsWith('Sequence item without')) reason += ' (check the indentation)'
    // yaml may point at the indentation before a line's content: point at the content.
    while (text[offset] === ' ') offset++
    const {line, col} = this.lines.linePos(offset)
    return new TraceError({file: this.file, line, col, path: '', reason: `invalid YAML: ${reason}`})
  }
}

/** yaml error codes that usually mean a line is indented wrongly. */
const INDENTATION: ReadonlySet<string> = new Set(['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'BAD_INDENT'])

function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map(String))
}

/** The issue of a required key that is absent (worded by `issueMessage`). */
function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.message.startsWith(MISSING_KEY)
}

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
  checkReferences(programs, {
    modules: modules.map((m) => m.name),
    tasks: [...seenTasks, ...kthreads],
    kthreads: [...kthreads],
    counted: new Map(raw.tasks.filter((t) => t.count !== undefined).map((t) => [t.name, t.count ?? 1])),
    fail,
  })

  const costs: Costs = {...DEFAULT_COSTS, ...defined(machine.costs)}
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
    machine: {
      cpus: machine.cpus,
      isolated: machine.isolated,
      costs,
      jitter: machine.jitter,
      watchdog: machine.watchdog,
      stall_threshold: machine.stall_threshold,
      hung_task: machine.hung_task ?? Math.round(raw.horizon / 2),
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
