/**
 * Zod schemas for a raw trace (trace-format.md v1 plus kreplay's extensions): the shape,
 * the value syntax (durations, cpulists, ops) and the checks local to one node. They
 * convert as they validate: durations become ns, cpulists sorted CPU arrays, ops the `Op`
 * union. Checks that span the trace (names that must exist, duplicates, default affinity)
 * and defaults that depend on other keys are the loader's (load.ts).
 *
 * Every object is strict: an unknown key is an error naming the key. Messages come from
 * `issueMessage` (issue-message.ts), which must be passed to `safeParse` as the error map.
 */
import {z} from 'zod'
import {DEFAULT_COSTS, DEFAULT_STALL_THRESHOLD, DEFAULT_WATCHDOG} from '../core/costs.ts'
import {DURATION_METRICS, FINDING_KINDS, METRIC_NAMES, type MetricName} from '../core/result.ts'
import {formatCpulist, parseCpulist} from './cpulist.ts'
import {suggestion} from './did-you-mean.ts'
import {parseDuration} from './duration.ts'
import {describe, issueMessage} from './issue-message.ts'
import type {Costs, MetricExpectation, Op, OpKind, Policy, Signal, UntilCondition} from './types.ts'

/** Trace names: `[a-z0-9][a-z0-9-]*`. */
export const TRACE_NAME = /^[a-z0-9][a-z0-9-]*$/
/** Variant ids as `expect` keys: `[a-z0-9-]+` (`default` is one). */
export const VARIANT_ID = /^[a-z0-9-]+$/
/** Module names: what the kernel allows in a module name. */
export const MODULE_NAME = /^[A-Za-z0-9_-]+$/
/** Largest `count` a task may have. */
export const MAX_COUNT = 100_000

/** The largest seed: the generator takes 32 bits of a seed (engine/choice.ts), so a larger one would repeat a smaller one's runs. */
export const MAX_SEED = 0xffff_ffff

const POLICIES = ['normal', 'batch', 'idle', 'fifo', 'rr'] as const satisfies readonly Policy[]
const SIGNALS = ['KILL', 'TERM', 'INT', 'HUP', 'USR1', 'USR2'] as const satisfies readonly Signal[]
const UNTIL = ['should_stop', 'signal'] as const satisfies readonly UntilCondition[]
const COST_NAMES = Object.keys(DEFAULT_COSTS) as (keyof Costs)[]
/** Keys an op map may hold beside its op key, over all ops. */
const EXTRA_KEYS: ReadonlySet<string> = new Set(['for', 'wait', 'force', 'do', 'until'])

/** A strict object whose unknown keys are reported with a did-you-mean, or the list of allowed keys. */
function strict<S extends z.core.$ZodLooseShape>(shape: S) {
  const allowed = Object.keys(shape)
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined
      const key = issue.keys[0]
      return `unknown key "${key}"${suggestion(key, allowed) || `; expected one of ${allowed.join(', ')}`}`
    },
  })
}

/** A value checked by a function that returns it converted or throws the reason. */
function leaf<T>(check: (value: unknown) => T) {
  return z.unknown().transform((value, ctx): T => {
    if (value === undefined) {
      ctx.addIssue({code: 'custom', params: {missing: true}})
      return z.NEVER
    }
    try {
      return check(value)
    } catch (error) {
      ctx.addIssue({code: 'custom', message: error instanceof Error ? error.message : String(error)})
      return z.NEVER
    }
  })
}

function toDuration(value: unknown): number {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new Error(`expected a duration like 250us, 1.5ms or 2s, got ${describe(value)}`)
  }
  return parseDuration(value)
}

/** A duration (>= 0), in ns. */
const duration = leaf(toDuration)

/** A duration > 0, in ns. */
const positiveDuration = leaf((value) => {
  const ns = toDuration(value)
  if (ns === 0) throw new Error('expected a duration greater than 0')
  return ns
})

/** A string, or a list of strings; always a list. */
const stringList = (what: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z.array(z.string(), {error: (issue) => (issue.input === undefined ? undefined : `expected ${what}, got ${describe(issue.input)}`)}),
  )

const name = (what: string, pattern: RegExp, rule: string) =>
  z.string().regex(pattern, {error: (issue) => `expected ${what} (${rule}), got ${describe(issue.input)}`})

const moduleName = name('a module name', MODULE_NAME, 'letters, digits, _ and -')
const taskName = name('a task name', /^[^\s/]+$/, 'no spaces or /')
const signal = z.enum(SIGNALS)

/**
 * A CPU set (see `parseCpulist`), every CPU below `ncpus`. An affinity must also be
 * non-empty, and one naming only offline CPUs gets its own message.
 */
function cpuSet(ncpus: number, affinity: boolean) {
  return leaf((value) => {
    const list = Array.isArray(value) ? (value as unknown[]) : null
    const bad = list?.find((cpu) => typeof cpu !== 'number')
    if (bad !== undefined || (list === null && typeof value !== 'string' && typeof value !== 'number')) {
      throw new Error(`expected a cpulist like "0-3,7", a list of CPU numbers, or all; got ${describe(bad ?? value)}`)
    }
    const cpus = parseCpulist(value as string | number | number[], ncpus)
    if (affinity && cpus.length === 0) throw new Error('expected at least one CPU: an empty affinity could never run')
    const offline = cpus.filter((cpu) => cpu >= ncpus)
    if (offline.length === 0) return cpus
    const machine = `the machine has ${ncpus} CPU${ncpus === 1 ? '' : 's'} (${ncpus === 1 ? '0' : `0-${ncpus - 1}`})`
    if (affinity && offline.length === cpus.length) {
      throw new Error(`affinity ${formatCpulist(cpus)} names only offline CPUs: ${machine}, so it could never run`)
    }
    throw new Error(`CPU ${offline[0]} is out of range: ${machine}`)
  })
}

/** `repeat:` a count >= 0, or `forever` (Infinity). */
const repeatCount = leaf((value) => {
  if (value === 'forever') return Infinity
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value
  throw new Error(`expected a count (an integer >= 0) or forever, got ${describe(value)}`)
})

/** `until:` one condition or a list; de-duplicated. */
const until = z
  .preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.enum(UNTIL)))
  .transform((list) => [...new Set(list)])

/** Op keys, in the order trace-format.md lists them. */
const OP_TEMPLATE: Readonly<Record<OpKind, true>> = {
  spin: true,
  sleep: true,
  yield: true,
  get: true,
  put: true,
  call: true,
  use: true,
  rmmod: true,
  insmod: true,
  request_module: true,
  setaffinity: true,
  kill: true,
  stop_machine: true,
  mark: true,
  repeat: true,
  kthread_run: true,
  kthread_stop: true,
  allow_signal: true,
}
/** Every op key. */
export const OP_KINDS = Object.keys(OP_TEMPLATE) as readonly OpKind[]

function isOpKind(key: string): key is OpKind {
  return Object.hasOwn(OP_TEMPLATE, key)
}

/** A program: a list of ops, each a map with one op key and that op's extra keys. */
function programSchema(ncpus: number): z.ZodType<Op[]> {
  const program: z.ZodType<Op[]> = z.array(z.lazy(() => op))
  const forms: Record<OpKind, z.ZodType<Op>> = {
    spin: strict({spin: duration}).transform((v): Op => ({op: 'spin', ns: v.spin})),
    sleep: strict({sleep: duration}).transform((v): Op => ({op: 'sleep', ns: v.sleep})),
    yield: strict({yield: z.literal(true)}).transform((): Op => ({op: 'yield'})),
    get: strict({get: z.string().min(1)}).transform((v): Op => ({op: 'get', module: v.get})),
    put: strict({put: z.string().min(1)}).transform((v): Op => ({op: 'put', module: v.put})),
    call: strict({call: z.string().min(1), for: duration}).transform((v): Op => ({op: 'call', module: v.call, ns: v.for})),
    use: strict({use: z.string().min(1), for: duration}).transform((v): Op => ({op: 'use', module: v.use, ns: v.for})),
    rmmod: strict({rmmod: z.string().min(1), wait: z.boolean().default(false), force: z.boolean().default(false)}).transform(
      (v): Op => ({op: 'rmmod', module: v.rmmod, wait: v.wait, force: v.force}),
    ),
    insmod: strict({insmod: z.string().min(1)}).transform((v): Op => ({op: 'insmod', module: v.insmod})),
    request_module: strict({request_module: z.string().min(1)}).transform((v): Op => ({op: 'request_module', module: v.request_module})),
    setaffinity: strict({setaffinity: strict({task: z.string().min(1), cpus: cpuSet(ncpus, true)})}).transform(
      (v): Op => ({op: 'setaffinity', task: v.setaffinity.task, cpus: v.setaffinity.cpus}),
    ),
    kill: strict({kill: strict({task: z.string().min(1), signal})}).transform(
      (v): Op => ({op: 'kill', task: v.kill.task, signal: v.kill.signal}),
    ),
    stop_machine: strict({stop_machine: strict({for: duration})}).transform((v): Op => ({op: 'stop_machine', ns: v.stop_machine.for})),
    mark: strict({mark: z.string().min(1)}).transform((v): Op => ({op: 'mark', label: v.mark})),
    repeat: strict({repeat: repeatCount, do: z.array(z.lazy(() => op)).min(1), until: until.default([])}).transform(
      (v): Op => ({op: 'repeat', count: v.repeat, body: v.do, until: v.until}),
    ),
    kthread_run: strict({kthread_run: strict({name: taskName, program})}).transform(
      (v): Op => ({op: 'kthread_run', name: v.kthread_run.name, program: v.kthread_run.program}),
    ),
    kthread_stop: strict({kthread_stop: z.string().min(1)}).transform((v): Op => ({op: 'kthread_stop', name: v.kthread_stop})),
    allow_signal: strict({allow_signal: signal}).transform((v): Op => ({op: 'allow_signal', signal: v.allow_signal})),
  }
  const op = z.unknown().transform((value, ctx): Op => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({code: 'custom', message: `expected an op, a map like "spin: 50us", got ${describe(value)}`})
      return z.NEVER
    }
    const keys = Object.keys(value)
    const kinds = keys.filter(isOpKind)
    if (kinds.length !== 1) {
      const stray = kinds.length === 0 ? keys.find((key) => !EXTRA_KEYS.has(key)) : kinds[1]
      if (stray === undefined) {
        ctx.addIssue({code: 'custom', message: `missing the op key: expected one of ${OP_KINDS.join(', ')}`})
      } else if (kinds.length === 0) {
        const hint = suggestion(stray, OP_KINDS) || `; expected one of ${OP_KINDS.join(', ')}`
        ctx.addIssue({code: 'custom', message: `unknown op "${stray}"${hint}`, path: [stray], params: {atKey: true}})
      } else {
        const message = `a second op "${stray}" in the map of "${kinds[0]}": give each op its own list item`
        ctx.addIssue({code: 'custom', message, path: [stray], params: {atKey: true}})
      }
      return z.NEVER
    }
    const result = forms[kinds[0]].safeParse(value, {error: issueMessage})
    if (result.success) return result.data
    // Already worded, with paths relative to this op; zod prefixes the op's own path.
    ctx.issues.push(...(result.error.issues as z.core.$ZodRawIssue[]))
    return z.NEVER
  })
  return program
}

/** `metrics:` under an expectation: metric name → comparison. */
const metricsSchema = strict(
  Object.fromEntries(METRIC_NAMES.map((metric) => [metric, metricExpectation(metric).optional()])) as Record<
    MetricName,
    z.ZodOptional<ReturnType<typeof metricExpectation>>
  >,
)

/** `"> 1ms"`: a comparison and a duration (duration metrics) or an integer (counts). */
function metricExpectation(metric: MetricName) {
  return leaf((value): MetricExpectation => {
    const isDuration = DURATION_METRICS.has(metric)
    const example = isDuration ? '"> 1ms"' : '"== 0"'
    const match = typeof value === 'string' ? /^\s*(<=|>=|==|!=|<|>)\s*(\S.*?)\s*$/.exec(value) : null
    if (match === null) throw new Error(`expected a comparison like ${example} (<, <=, >, >=, ==, != and a value), got ${describe(value)}`)
    const op = match[1] as MetricExpectation['op']
    if (isDuration) return {op, value: parseDuration(match[2]), text: (value as string).trim()}
    if (!/^-?\d+$/.test(match[2])) throw new Error(`${metric} is a count: expected an integer after ${op}, got "${match[2]}"`)
    return {op, value: Number(match[2]), text: (value as string).trim()}
  })
}

const expectationSchema = strict({
  findings: z.array(z.enum(FINDING_KINDS)),
  by: z.enum(['run', 'explore']).default('run'),
  metrics: metricsSchema.default({}),
})

const costsSchema = strict(
  Object.fromEntries(COST_NAMES.map((cost) => [cost, duration.optional()])) as Record<keyof Costs, z.ZodOptional<typeof duration>>,
)

/** Schemas made, by CPU count: zod builds and compiles one in milliseconds, and a command reads many traces of a few sizes. */
const made = new Map<number, ReturnType<typeof makeTraceSchema>>()

/**
 * The schema of a whole trace on a machine of `ncpus` CPUs (CPU sets are checked against
 * it; pass the trace's own `machine.cpus`, or 4096 when that is not a valid number, since
 * the schema then reports it anyway). Made once per CPU count.
 */
export function traceSchema(ncpus: number): ReturnType<typeof makeTraceSchema> {
  let schema = made.get(ncpus)
  if (schema === undefined) {
    // A bound on what is kept: traces of thousands of different sizes (the fuzzing campaign) make and drop theirs.
    if (made.size >= 64) made.clear()
    schema = makeTraceSchema(ncpus)
    made.set(ncpus, schema)
  }
  return schema
}

function makeTraceSchema(ncpus: number) {
  const program = programSchema(ncpus)
  const task = strict({
    name: taskName,
    count: z.int().min(1).max(MAX_COUNT).optional(),
    spread: z.boolean().optional(),
    cpus: cpuSet(ncpus, true).optional(),
    policy: z.enum(POLICIES).default('normal'),
    priority: z.int().optional(),
    start: duration.default(0),
    latency_budget: positiveDuration.optional(),
    program,
  }).superRefine((t, ctx) => {
    const atKey = (key: string, message: string) => {
      ctx.addIssue({code: 'custom', message, path: [key], params: {atKey: true}})
    }
    if (t.spread !== undefined && t.count === undefined) atKey('spread', 'spread needs count: it places the count instances on the CPUs in turn')
    const rt = t.policy === 'fifo' || t.policy === 'rr'
    if (rt && t.priority === undefined) ctx.addIssue({code: 'custom', message: `a ${t.policy} task needs a priority, 1..99`, path: ['priority']})
    if (rt && t.priority !== undefined && (t.priority < 1 || t.priority > 99)) {
      ctx.addIssue({code: 'custom', message: `${t.policy} priority must be 1..99, got ${t.priority}`, path: ['priority']})
    }
    if (!rt && t.priority !== undefined && (t.priority < -20 || t.priority > 19)) {
      ctx.addIssue({code: 'custom', message: `a ${t.policy} task's priority is a nice value, -20..19; got ${t.priority}`, path: ['priority']})
    }
    if (!rt && t.latency_budget !== undefined) atKey('latency_budget', `latency_budget applies to fifo and rr tasks; this task is ${t.policy}`)
  })
  const irq = strict({
    name: taskName,
    cpus: cpuSet(ncpus, true).optional(),
    every: positiveDuration.optional(),
    at: z.array(duration).optional(),
    cost: duration.default(1_000),
    program: program.default([]),
  }).superRefine((q, ctx) => {
    if (q.every !== undefined && q.at !== undefined) {
      ctx.addIssue({code: 'custom', message: 'give every or at, not both', path: ['at'], params: {atKey: true}})
    } else if (q.every === undefined && q.at === undefined) {
      ctx.addIssue({code: 'custom', message: 'an irq needs every (a period) or at (a list of times)'})
    }
  })
  return strict({
    kreplay: z.literal(1, {
      error: (issue) => (issue.input === undefined ? undefined : `unsupported trace format ${describe(issue.input)}: kreplay reads kreplay: 1`),
    }),
    name: name('a trace name', TRACE_NAME, '[a-z0-9][a-z0-9-]*'),
    title: z.string().optional(),
    source: stringList('a string or a list of strings').default([]),
    seed: z.int().min(0).max(MAX_SEED).default(1),
    horizon: positiveDuration,
    horizon_bounded: z.boolean().default(false),
    machine: strict({
      cpus: z.int().min(1).max(4096),
      isolated: cpuSet(ncpus, false).default([]),
      costs: costsSchema.default({}),
      jitter: z.number().min(0).max(1).default(0),
      watchdog: positiveDuration.default(DEFAULT_WATCHDOG),
      stall_threshold: positiveDuration.default(DEFAULT_STALL_THRESHOLD),
      hung_task: positiveDuration.optional(),
      sched: z.enum(['o1', 'cfs'], {error: 'expected o1 or cfs'}).optional(),
    }),
    modules: z
      .array(
        strict({
          name: moduleName,
          loaded: z.boolean().default(true),
          refs: z.int().min(0).default(0),
          init: program.default([]),
          exit: program.default([]),
        }),
      )
      .default([]),
    tasks: z.array(task).default([]),
    irqs: z.array(irq).default([]),
    expect: z.record(name('a variant id', VARIANT_ID, '[a-z0-9-]+, or default'), expectationSchema).default({}),
  })
}

/** A trace as the schema returns it: converted and checked node by node, not yet defaulted across nodes. */
export type RawTrace = z.output<ReturnType<typeof makeTraceSchema>>
