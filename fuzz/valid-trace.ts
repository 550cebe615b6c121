/**
 * fast-check arbitraries for valid traces: every shape the trace format allows (every op,
 * every policy, irqs with handler programs, nested repeats, kthreads started and stopped
 * from module init and exit), on machines of 1 to 4096 CPUs. A generated trace is the raw
 * object a user would write, ready for YAML; every name an op refers to exists, so the
 * loader must accept it and the engine must run it.
 */
import fc from 'fast-check'

/** A trace as written: plain data, YAML- and JSON-serialisable. */
export type RawTrace = Record<string, unknown>
type RawOp = Record<string, unknown>

/** Names ops may refer to, fixed before the programs are drawn. */
interface Names {
  readonly cpus: number
  readonly modules: readonly string[]
  /** Task entries' names; with counts, their instances are `name/0` .. */
  readonly tasks: readonly string[]
  /** Each task entry's count, or undefined for a single task. */
  readonly counts: readonly (number | undefined)[]
  readonly kthreads: readonly string[]
}

/** What setaffinity and kill may name: task instances and kthreads. */
function targets(names: Names): string[] {
  const instances = names.tasks.flatMap((t, i) => {
    const count = names.counts[i]
    return count === undefined ? [t] : Array.from({length: count}, (_, k) => `${t}/${k}`)
  })
  return [...instances, ...names.kthreads]
}

const SIGNALS = ['KILL', 'TERM', 'INT', 'HUP', 'USR1', 'USR2'] as const

/** A duration of up to `maxUs` microseconds, in one of the units the format reads. */
function duration(maxUs: number): fc.Arbitrary<string | 0> {
  return fc.oneof(
    fc.constant(0 as const),
    fc.integer({min: 1, max: maxUs}).map((us) => `${us}us`),
    fc.integer({min: 1, max: maxUs * 1000}).map((ns) => `${ns}ns`),
    fc.integer({min: 1, max: Math.max(1, Math.floor(maxUs / 100))}).map((t) => `${t / 10}ms`),
  )
}

/** A cpulist on a machine of `cpus` CPUs: a string, a list, or `all`. */
function cpuSet(cpus: number): fc.Arbitrary<string | number[]> {
  const cpu = fc.integer({min: 0, max: cpus - 1})
  return fc.oneof(
    cpu.map((c) => String(c)),
    fc.tuple(cpu, cpu).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.uniqueArray(cpu, {minLength: 1, maxLength: Math.min(cpus, 4)}),
    fc.constant('all'),
  )
}

/** Module ops over the trace's modules. */
function moduleOp(names: Names): fc.Arbitrary<RawOp> | null {
  if (names.modules.length === 0) return null
  const mod = fc.constantFrom(...names.modules)
  return fc.oneof(
    mod.map((m) => ({get: m})),
    mod.map((m) => ({put: m})),
    fc.tuple(mod, duration(50)).map(([m, d]) => ({call: m, for: d})),
    fc.tuple(mod, duration(50)).map(([m, d]) => ({use: m, for: d})),
    fc.tuple(mod, fc.boolean(), fc.boolean()).map(([m, wait, force]) => ({rmmod: m, ...(wait ? {wait} : {}), ...(force ? {force} : {})})),
    mod.map((m) => ({insmod: m})),
  )
}

/** Ops that name tasks and kthreads. */
function taskOp(names: Names): fc.Arbitrary<RawOp> | null {
  const all = targets(names)
  const ops: fc.Arbitrary<RawOp>[] = []
  if (all.length > 0) {
    const target = fc.constantFrom(...all)
    ops.push(fc.tuple(target, cpuSet(names.cpus)).map(([task, cpus]) => ({setaffinity: {task, cpus}})))
    ops.push(fc.tuple(target, fc.constantFrom(...SIGNALS)).map(([task, signal]) => ({kill: {task, signal}})))
  }
  if (names.kthreads.length > 0) ops.push(fc.constantFrom(...names.kthreads).map((k) => ({kthread_stop: k})))
  return ops.length > 0 ? fc.oneof(...ops) : null
}

/** Ops that need no names. */
const plainOp: fc.Arbitrary<RawOp> = fc.oneof(
  duration(50).map((d) => ({spin: d})),
  duration(200).map((d) => ({sleep: d})),
  fc.constant({yield: true}),
  fc.constantFrom('tick', 'tock', 'x').map((label) => ({mark: label})),
  duration(100).map((d) => ({stop_machine: {for: d}})),
  fc.constantFrom(...SIGNALS).map((signal) => ({allow_signal: signal})),
)

/**
 * A program over `names`, nesting repeats up to `depth` levels; `kthreads` lists the
 * kthread_run names this program may start (module init/exit and kernel tasks).
 */
function program(names: Names, depth: number, kthreads: readonly string[] = []): fc.Arbitrary<RawOp[]> {
  const leaves = [plainOp, moduleOp(names), taskOp(names)].filter((a): a is fc.Arbitrary<RawOp> => a !== null)
  const choices: fc.Arbitrary<RawOp>[] = [...leaves]
  if (depth > 0) {
    choices.push(
      fc
        .tuple(
          fc.oneof(fc.integer({min: 0, max: 4}), fc.constant('forever' as const)),
          program(names, depth - 1),
          fc.constantFrom<string[] | undefined>(undefined, ['should_stop'], ['signal'], ['should_stop', 'signal']),
        )
        .map(([count, body, until]) => ({repeat: count, do: body.length > 0 ? body : [{spin: '1us'}], ...(until ? {until} : {})})),
    )
  }
  for (const name of kthreads) {
    choices.push(program(names, Math.max(0, depth - 1)).map((p) => ({kthread_run: {name, program: p}})))
  }
  return fc.array(fc.oneof(...choices), {maxLength: 6})
}

/** Module ops a handler may run: rmmod and insmod block. */
const IRQ_MODULE_OPS: ReadonlySet<string> = new Set(['get', 'put', 'call', 'use'])

/** An interrupt handler's program: only ops that never sleep or block, `repeat` without `until`. */
function irqProgram(names: Names): fc.Arbitrary<RawOp[]> {
  const leaves: fc.Arbitrary<RawOp>[] = [
    duration(5).map((d) => ({spin: d})),
    fc.constantFrom('irq', 'tick').map((label) => ({mark: label})),
  ]
  const mod = moduleOp(names)
  if (mod !== null) leaves.push(mod.filter((op) => IRQ_MODULE_OPS.has(Object.keys(op)[0])))
  const tasks = targets(names)
  if (tasks.length > 0) leaves.push(fc.tuple(fc.constantFrom(...tasks), fc.constantFrom(...SIGNALS)).map(([task, signal]) => ({kill: {task, signal}})))
  const leaf = fc.oneof(...leaves)
  const repeat = fc.tuple(fc.integer({min: 0, max: 3}), fc.array(leaf, {minLength: 1, maxLength: 3})).map(([count, body]) => ({repeat: count, do: body}))
  return fc.array(fc.oneof(leaf, repeat), {maxLength: 4})
}

/** A task entry: policy and priority that agree, optional count/spread/affinity/start. */
function task(names: Names, index: number, prog: fc.Arbitrary<RawOp[]>): fc.Arbitrary<RawOp> {
  const name = names.tasks[index]
  const count = names.counts[index]
  const policy = fc.oneof(
    fc.tuple(fc.constantFrom('normal', 'batch', 'idle'), fc.option(fc.integer({min: -20, max: 19}), {nil: undefined})),
    fc.tuple(fc.constantFrom('fifo', 'rr'), fc.integer({min: 1, max: 99})),
  )
  return fc
    .record(
      {
        policy,
        spread: fc.boolean(),
        cpus: fc.option(cpuSet(names.cpus), {nil: undefined}),
        start: fc.option(duration(100), {nil: undefined}),
        budget: fc.option(duration(500), {nil: undefined}),
        program: prog,
      },
      {requiredKeys: ['policy', 'program']},
    )
    .map((t) => {
      const [pol, priority] = t.policy
      const rt = pol === 'fifo' || pol === 'rr'
      return {
        name,
        ...(count !== undefined ? {count, ...(t.spread ? {spread: true} : {})} : {}),
        ...(t.cpus !== undefined ? {cpus: t.cpus} : {}),
        policy: pol,
        ...(priority !== undefined ? {priority} : {}),
        ...(t.start !== undefined ? {start: t.start} : {}),
        ...(rt && t.budget !== undefined && t.budget !== 0 ? {latency_budget: t.budget} : {}),
        program: t.program,
      }
    })
}

/** A CPU count: mostly small machines, sometimes the large ones the format allows. */
const cpuCount = fc.oneof(
  {weight: 20, arbitrary: fc.integer({min: 1, max: 8})},
  {weight: 3, arbitrary: fc.integer({min: 9, max: 64})},
  {weight: 1, arbitrary: fc.constantFrom(256, 1024, 4096)},
)

/** A whole valid trace named `name`. */
export function validTrace(name = 'fuzz'): fc.Arbitrary<RawTrace> {
  return fc
    .record({
      cpus: cpuCount,
      modules: fc.integer({min: 0, max: 2}),
      counts: fc.array(fc.option(fc.integer({min: 1, max: 4}), {nil: undefined}), {maxLength: 4}),
      kthreads: fc.integer({min: 0, max: 2}),
      irqs: fc.integer({min: 0, max: 2}),
    })
    .chain((shape) => {
      const names: Names = {
        cpus: shape.cpus,
        modules: Array.from({length: shape.modules}, (_, i) => `m${i}`),
        tasks: shape.counts.map((_, i) => `t${i}`),
        counts: shape.counts,
        kthreads: shape.modules > 0 ? Array.from({length: shape.kthreads}, (_, i) => `k${i}`) : [],
      }
      // kthreads are started from the first module's init (and may be restarted in its exit).
      const modules = fc.tuple(
        ...names.modules.map((m, i) =>
          fc
            .record({
              loaded: fc.boolean(),
              refs: fc.integer({min: 0, max: 2}),
              init: program(names, 1, i === 0 ? names.kthreads : []),
              exit: program(names, 1),
            })
            .map((mod) => ({
              name: m,
              ...(mod.loaded ? {} : {loaded: false}),
              ...(mod.refs > 0 ? {refs: mod.refs} : {}),
              ...(i === 0 && names.kthreads.length > 0
                ? {init: [...names.kthreads.map((k) => ({kthread_run: {name: k, program: [{repeat: 'forever', do: [{spin: '5us'}, {sleep: '20us'}], until: 'should_stop'}]}})), ...mod.init]}
                : mod.init.length > 0
                  ? {init: mod.init}
                  : {}),
              ...(mod.exit.length > 0 ? {exit: mod.exit} : {}),
            })),
        ),
      )
      const tasks = fc.tuple(...names.tasks.map((_, i) => task(names, i, program(names, 2))))
      const irqs = fc.tuple(
        ...Array.from({length: shape.irqs}, (_, i) =>
          fc
            .record({
              cpus: fc.option(cpuSet(names.cpus), {nil: undefined}),
              timing: fc.oneof(
                fc.integer({min: 5, max: 500}).map((us) => ({every: `${us}us`})),
                fc.array(duration(2000), {minLength: 1, maxLength: 4}).map((at) => ({at})),
              ),
              cost: duration(5),
              program: fc.option(irqProgram(names), {nil: undefined}),
            })
            .map((q) => ({name: `irq${i}`, ...(q.cpus !== undefined ? {cpus: q.cpus} : {}), ...q.timing, cost: q.cost, ...(q.program ? {program: q.program} : {})})),
        ),
      )
      return fc.record({
        machine: fc.record({
          isolated: fc.option(cpuSet(shape.cpus), {nil: undefined}),
          jitter: fc.option(fc.double({min: 0, max: 0.2, noNaN: true}), {nil: undefined}),
        }),
        horizon: fc.integer({min: 50, max: 3000}).map((us) => `${us}us`),
        seed: fc.integer({min: 0, max: 1000}),
        modules,
        tasks,
        irqs,
      }).map((t) => {
        // Every CPU isolated leaves no default affinity; keep one housekeeping CPU.
        const isolated = t.machine.isolated !== undefined && shape.cpus > 1 ? {isolated: t.machine.isolated} : {}
        const safeIsolated = 'isolated' in isolated && isolated.isolated === 'all' ? {} : isolated
        return {
          kreplay: 1,
          name,
          seed: t.seed,
          horizon: t.horizon,
          machine: {cpus: shape.cpus, ...safeIsolated, ...(t.machine.jitter !== undefined ? {jitter: t.machine.jitter} : {})},
          modules: t.modules,
          tasks: t.tasks,
          irqs: t.irqs,
        }
      })
    })
}
