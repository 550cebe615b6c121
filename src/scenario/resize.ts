/**
 * `--cpus`: the same trace on a machine of another size. A pure transform of a frozen
 * Scenario into a new frozen Scenario (immer), named `<trace>@<n>cpus`.
 *
 * The rule, for a machine of `old` CPUs resized to `n`:
 *
 * - `machine.cpus` becomes `n`.
 * - `machine.isolated`: each CPU c becomes c mod n (an isolated CPU keeps being isolated,
 *   and a task pinned to it follows it there, by the rule below).
 * - Every CPU set (task affinities, irq CPUs, `setaffinity` targets) is remapped:
 *   - the set of all `old` CPUs becomes all `n` CPUs;
 *   - the set of the old housekeeping CPUs (the non-isolated ones, which is also what the
 *     loader filled in for an affinity the trace left out) becomes the new housekeeping set;
 *   - any other set keeps its CPUs, each c becoming c mod n (merged, sorted).
 * - Spread tasks: the instances `name/0 .. name/(k-1)` of one counted task, alike but for
 *   their affinity, where instance i is pinned to the i-th CPU of the all-CPU set or of the
 *   housekeeping set (one per CPU, as `count` = that set's size with `spread: true` gives),
 *   are regenerated one per CPU of the new set. Other counted tasks keep their count.
 * - The title gets ` [resized from <old> to <n> CPUs]`; everything else (costs, programs,
 *   timing, expectations) is unchanged.
 *
 * Resizing fails with an InputError when every CPU of the new machine would be isolated
 * while the trace had housekeeping CPUs, or when a `setaffinity` or `kill` names a spread
 * instance that the smaller machine no longer has.
 */
import {castDraft, produce} from 'immer'
import {InputError} from '../core/input-error.ts'
import type {Op, Scenario, TaskSpec} from './types.ts'

/** The largest machine a trace may describe (trace-format.md). */
export const MAX_CPUS = 4096

/** The name a resized scenario gets: `<trace>@<n>cpus`. */
export function resizedName(trace: string, cpus: number): string {
  return `${trace}@${cpus}cpus`
}

/** Whether a scenario of this name was resized (a trace's own name has no `@`: TRACE_NAME). */
export function isResized(name: string): boolean {
  return name.includes('@')
}

/**
 * The scenario on a machine of `cpus` CPUs, by the rule in this file's header. The input
 * is not changed; the result is deeply frozen. Resizing to the trace's own size only
 * renames it.
 */
export function resizeScenario(scenario: Scenario, cpus: number): Scenario {
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > MAX_CPUS) {
    throw new InputError(`cannot resize ${scenario.name} to ${cpus} CPUs: a machine has 1..${MAX_CPUS} CPUs`)
  }
  const old = scenario.machine
  const oldAll = range(old.cpus)
  const oldHousekeeping = oldAll.filter((c) => !old.isolated.includes(c))
  const isolated = unique(old.isolated.map((c) => c % cpus))
  const all = range(cpus)
  const housekeeping = all.filter((c) => !isolated.includes(c))
  if (housekeeping.length === 0 && oldHousekeeping.length > 0) {
    throw new InputError(
      `cannot resize ${scenario.name} to ${cpus} CPU${cpus === 1 ? '' : 's'}: isolated CPUs ${old.isolated.join(',')} wrap onto every CPU`,
    )
  }
  const remap = (set: readonly number[]): number[] => {
    if (same(set, oldAll)) return all
    if (oldHousekeeping.length > 0 && same(set, oldHousekeeping)) return housekeeping
    return unique(set.map((c) => c % cpus))
  }

  const tasks = respread(scenario.tasks, [oldAll, oldHousekeeping], [all, housekeeping])
  checkTargets(scenario, tasks, cpus)

  const programs = new Map<readonly Op[], readonly Op[]>()
  const program = (ops: readonly Op[]) => remapProgram(ops, remap, programs)
  return produce(scenario, (draft) => {
    draft.name = resizedName(scenario.name, cpus)
    // A resize to the size the trace already has changes nothing, and says nothing.
    if (cpus !== old.cpus) draft.title = `${scenario.title} [resized from ${old.cpus} to ${cpus} CPUs]`
    draft.machine.cpus = cpus
    draft.machine.isolated = isolated
    draft.tasks = castDraft(
      tasks.map(({spec, respread}) => ({...spec, cpus: respread ? spec.cpus : remap(spec.cpus), program: program(spec.program)})),
    )
    draft.irqs = castDraft(scenario.irqs.map((q) => ({...q, cpus: remap(q.cpus), program: program(q.program)})))
    draft.modules = castDraft(scenario.modules.map((m) => ({...m, init: program(m.init), exit: program(m.exit)})))
  })
}

/** A task of the resized scenario; `respread`: its affinity is already the new one. */
interface NewTask {
  readonly spec: TaskSpec
  readonly respread: boolean
}

/**
 * The task list with every spread group regenerated one instance per CPU of the matching
 * new set (`olds[i]` → `news[i]`); other tasks are passed through for remapping.
 */
function respread(tasks: readonly TaskSpec[], olds: readonly (readonly number[])[], news: readonly (readonly number[])[]): NewTask[] {
  const out: NewTask[] = []
  for (let i = 0; i < tasks.length; ) {
    const group = spreadGroup(tasks, i)
    const which = group === 0 ? -1 : olds.findIndex((set) => set.length > 0 && same(tasks.slice(i, i + group).map((t) => t.cpus[0]), set))
    if (which < 0) {
      out.push({spec: tasks[i], respread: false})
      i++
      continue
    }
    const base = baseName(tasks[i].name)
    news[which].forEach((cpu, k) => out.push({spec: {...tasks[i], name: `${base}/${k}`, cpus: [cpu]}, respread: true}))
    i += group
  }
  return out
}

/**
 * How many tasks from `start` form a spread group: instances `name/0, name/1, ...` in order,
 * each pinned to one CPU, alike in everything but name and CPU. 0 when `start` begins none.
 */
function spreadGroup(tasks: readonly TaskSpec[], start: number): number {
  const first = tasks[start]
  if (!first.name.endsWith('/0') || first.cpus.length !== 1) return 0
  const base = baseName(first.name)
  let k = 1
  while (start + k < tasks.length) {
    const t = tasks[start + k]
    if (t.name !== `${base}/${k}` || t.cpus.length !== 1 || !alike(first, t)) break
    k++
  }
  return k
}

function baseName(instance: string): string {
  return instance.slice(0, instance.lastIndexOf('/'))
}

function alike(a: TaskSpec, b: TaskSpec): boolean {
  return (
    a.policy === b.policy &&
    a.priority === b.priority &&
    a.start === b.start &&
    a.program === b.program &&
    a.latency_budget === b.latency_budget
  )
}

/** Every task named by setaffinity or kill that existed before must still exist. */
function checkTargets(scenario: Scenario, tasks: readonly NewTask[], cpus: number): void {
  const before = new Set(scenario.tasks.map((t) => t.name))
  const after = new Set(tasks.map((t) => t.spec.name))
  const programs = [
    ...scenario.modules.flatMap((m) => [m.init, m.exit]),
    ...scenario.tasks.map((t) => t.program),
    ...scenario.irqs.map((q) => q.program),
  ]
  const visit = (ops: readonly Op[]): void => {
    for (const op of ops) {
      if ((op.op === 'setaffinity' || op.op === 'kill') && before.has(op.task) && !after.has(op.task)) {
        throw new InputError(`cannot resize ${scenario.name} to ${cpus} CPUs: ${op.op} names ${op.task}, which a machine of ${cpus} CPUs does not have`)
      }
      if (op.op === 'repeat') visit(op.body)
      if (op.op === 'kthread_run') visit(op.program)
    }
  }
  programs.forEach(visit)
}

/**
 * A program with the CPUs of every `setaffinity` remapped, nested programs included: the
 * same array when nothing changes, and one new array per distinct input (`memo`), so
 * instances that shared a program still do.
 */
function remapProgram(ops: readonly Op[], remap: (set: readonly number[]) => number[], memo: Map<readonly Op[], readonly Op[]>): readonly Op[] {
  const known = memo.get(ops)
  if (known !== undefined) return known
  const out = ops.map((op): Op => {
    switch (op.op) {
      case 'setaffinity': {
        const cpus = remap(op.cpus)
        return same(cpus, op.cpus) ? op : {...op, cpus}
      }
      case 'repeat': {
        const body = remapProgram(op.body, remap, memo)
        return body === op.body ? op : {...op, body}
      }
      case 'kthread_run': {
        const program = remapProgram(op.program, remap, memo)
        return program === op.program ? op : {...op, program}
      }
      default:
        return op
    }
  })
  const result = out.every((op, i) => op === ops[i]) ? ops : out
  memo.set(ops, result)
  return result
}

function range(n: number): number[] {
  return Array.from({length: n}, (_, i) => i)
}

function unique(cpus: readonly number[]): number[] {
  return [...new Set(cpus)].sort((a, b) => a - b)
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i])
}

/**
 * Parse a `--cpus` list (`4,64,1024`): machine sizes, each an integer 1..4096, in the
 * order given, duplicates dropped. Throws an InputError naming the bad entry.
 */
export function parseSizeList(text: string): number[] {
  const sizes = text.split(',').map((part) => {
    const n = /^\s*\d+\s*$/.test(part) ? Number(part) : NaN
    if (!Number.isInteger(n) || n < 1 || n > MAX_CPUS) {
      throw new InputError(`--cpus: expected machine sizes 1..${MAX_CPUS} separated by commas (e.g. 4,64,1024), got "${part}"`)
    }
    return n
  })
  return [...new Set(sizes)]
}
