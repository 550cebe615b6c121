/**
 * What `kreplay report` shows, gathered in one place so that the renderers only draw:
 * the comparison (the same cells as `compare`), a timeline of each trace × variant (the
 * first seed, from its event log), the `--cpus` sweep, and with `--explore` the shortest
 * counterexample of each racing variant, replayed for its timeline. Building it runs the
 * simulation; rendering it never does.
 */
import {join} from 'node:path'
import {runComparisonInParallel, type Comparison, type SeedPlan} from '../compare/compare.ts'
import type {Variant, VariantMeta} from '../engine/variant.ts'
import type {StrategyName} from '../explore/explore-result.ts'
import {replaySchedule} from '../explore/schedule/replay.ts'
import type {ScheduleFile} from '../explore/schedule/schedule-file.ts'
import {replayCommand, scheduleFileName, scheduleJson} from '../explore/schedule/write-counterexamples.ts'
import type {LogLine} from '../engine/engine.ts'
import type {MetricName, RunResult} from '../core/result.ts'
import {formatWallTime} from '../scenario/duration.ts'
import type {Scenario} from '../scenario/types.ts'
import {runSearches} from './report-searches.ts'
import loggedRunView, {type LoggedRunView} from './run-view.ts'
import {buildTimeline, type Timeline} from './timeline.ts'
import {writeFileAtomic} from '../core/write-file-atomic.ts'

/** A trace as the report was given it: the loaded scenario and how a command line names it. */
export interface ReportTrace {
  readonly scenario: Scenario
  /** The argument that names it on a command line (a shipped name or a path). */
  readonly arg: string
}

/** A variant as the report was given it. */
export interface ReportVariant {
  readonly variant: Variant
  /** The argument that names it on a command line (a shipped id or a path). */
  readonly arg: string
}

/** `--explore`: how each trace × variant's schedules are searched. */
export interface ReportExplore {
  readonly strategy: StrategyName
  /**
   * Schedules per search; null for the default, which keeps each search to about
   * SEARCH_STEPS simulated steps (at most DEFAULT_SEARCH_BUDGET schedules, at least
   * MIN_SEARCH_BUDGET), judged by the plain run's steps, so long traces stay quick.
   */
  readonly budget: number | null
  /** Wall-clock limit per search, ms (a limit that cuts a search makes the report vary). */
  readonly timeMs: number | null
}

/** Everything a report is built from. */
export interface ReportInput {
  readonly traces: readonly ReportTrace[]
  readonly variants: readonly ReportVariant[]
  readonly seeds: SeedPlan
  /** `--cpus`: the machine sizes each trace is resized to (empty: as written). */
  readonly cpus: readonly number[]
  readonly explore: ReportExplore | null
  /** Where counterexample schedule files are written (they are replayed from there). */
  readonly scheduleDir: string
  /** Whether they may replace files already there (`--force`); else an existing one is an InputError. */
  readonly force: boolean
  /** Resizes a trace (`--cpus`); given by the caller so the builder stays a function of its inputs. */
  readonly resize: (scenario: Scenario, cpus: number) => Scenario
  /** Whether the traces and the variants are the defaults (every shipped one): commands then leave them out. */
  readonly defaults: {readonly traces: boolean; readonly variants: boolean}
  /** Called after each run or search with how many are done of how many. */
  readonly onStep?: (done: number, total: number) => void
  /** Once aborted (Ctrl-C), no further search starts: the caller then writes nothing. */
  readonly stop?: AbortSignal
}

/** One trace × variant's picture: the first seed's result, timeline and log excerpt (run-view.ts). */
export interface RunView extends LoggedRunView {
  readonly trace: string
  readonly variant: string
  /** The command that reruns it with its lanes; null for a resized trace (`run` takes no --cpus). */
  readonly replay: string | null
}

/** One point of a `--cpus` line. */
export interface SweepPoint {
  readonly cpus: number
  readonly value: number
}

/** `--cpus`: per trace, per metric, one line per variant. */
export interface Sweep {
  readonly trace: string
  readonly metric: MetricName
  readonly lines: readonly {readonly variant: string; readonly points: readonly SweepPoint[]}[]
}

/** A shrunk counterexample found by `--explore`, replayed. */
export interface CounterexampleView {
  readonly trace: string
  readonly variant: string
  readonly file: ScheduleFile
  /** Where the schedule file was written, as the replay command names it. */
  readonly path: string
  readonly replay: string
  readonly result: RunResult
  readonly log: readonly LogLine[]
  readonly timeline: Timeline
  /** The search: strategy and how many schedules it ran. */
  readonly explored: number
}

/** A search that found nothing. */
export interface CleanSearch {
  readonly trace: string
  readonly variant: string
  readonly explored: number
  readonly complete: boolean
}

/** A trace's provenance. */
export interface TraceProvenance {
  readonly name: string
  readonly arg: string
  readonly title: string
  readonly source: readonly string[]
  readonly cpus: number
}

/** What a report shows (see the file comment). */
export interface ReportData {
  readonly comparison: Comparison
  /** Per scenario of the comparison (resized ones included), per variant, in that order. */
  readonly runs: readonly RunView[]
  readonly sweeps: readonly Sweep[]
  readonly explore: ReportExplore | null
  readonly counterexamples: readonly CounterexampleView[]
  readonly clean: readonly CleanSearch[]
  readonly traces: readonly TraceProvenance[]
  readonly variants: readonly VariantMeta[]
  /** The command line that reruns the comparison. */
  readonly compareCommand: string
}

/** The most schedules a search gets by default. */
export const DEFAULT_SEARCH_BUDGET = 100
/** The fewest. */
export const MIN_SEARCH_BUDGET = 10
/** About how many simulated steps a search takes by default. */
export const SEARCH_STEPS = 5_000_000

/** The default budget of a search whose plain run took `steps` steps. */
export function searchBudget(steps: number): number {
  return Math.max(MIN_SEARCH_BUDGET, Math.min(DEFAULT_SEARCH_BUDGET, Math.floor(SEARCH_STEPS / Math.max(1, steps))))
}

/** How a report says what each search was allowed: `up to 50 schedules`. */
export function searchBudgetText(e: ReportExplore): string {
  const time = e.timeMs === null ? '' : ` or ${formatWallTime(e.timeMs)}`
  if (e.budget !== null) return `up to ${e.budget.toLocaleString('en-US')} schedules${time}`
  return `up to ${DEFAULT_SEARCH_BUDGET} schedules (fewer for long traces, about ${SEARCH_STEPS.toLocaleString('en-US')} simulated steps)${time}`
}

/** The metrics `--cpus` draws against CPU count. */
export const SWEEP_METRICS: readonly MetricName[] = ['stall_total', 'rmmod_latency']

/**
 * Build a report: run the comparison (each cell's first seed logged, for its timeline; over
 * worker threads when it takes long enough, runComparisonInParallel), then with `explore`
 * search every trace × variant (over worker threads too, report-searches.ts), write each
 * counterexample's schedule into `scheduleDir` and replay it, in trace × variant order.
 * Deterministic unless a search's time limit cuts it. After `stop` is aborted no search
 * starts and no schedule is written.
 */
export async function buildReport(input: ReportInput): Promise<ReportData> {
  const scenarios = input.cpus.length === 0 ? input.traces.map((t) => t.scenario) : input.traces.flatMap((t) => input.cpus.map((n) => input.resize(t.scenario, n)))
  const variants = input.variants.map((v) => v.variant)
  const searches = input.explore === null ? 0 : input.traces.length * variants.length
  const total = scenarios.length * variants.length * input.seeds.count + searches
  const runs: RunView[] = []
  const traceArg = new Map(input.traces.map((t) => [t.scenario.name, t.arg]))
  const variantArg = new Map(input.variants.map((v) => [v.variant.meta.id, v.arg]))
  const comparison = await runComparisonInParallel(scenarios, variants, {
    seeds: input.seeds,
    onRun: (done) => input.onStep?.(done, total),
    views: {
      viewer: loggedRunView,
      module: new URL('./run-view.ts', import.meta.url),
      onView: (view: LoggedRunView, scenario, variant) => {
        runs.push({trace: scenario.name, variant: variant.meta.id, ...view, replay: runCommand(traceArg.get(scenario.name), variantArg.get(variant.meta.id), view.result.seed)})
      },
    },
  })
  const counterexamples: CounterexampleView[] = []
  const clean: CleanSearch[] = []
  if (input.explore !== null) {
    const e = input.explore
    const done = scenarios.length * variants.length * input.seeds.count
    const jobs = input.traces.flatMap((t, trace) =>
      input.variants.map((v, variant) => {
        const steps = runs.find((r) => r.trace === t.scenario.name && r.variant === v.variant.meta.id)?.result.metrics.steps ?? 0
        return {trace, variant, budget: e.budget ?? searchBudget(steps)}
      }),
    )
    const results = await runSearches({traces: input.traces, variants: input.variants, strategy: e.strategy, timeMs: e.timeMs}, jobs, {
      stop: input.stop,
      onDone: (d) => input.onStep?.(done + d, total),
    })
    // Interrupted: nothing more is written, not even the schedules of the searches that ended.
    for (const [i, r] of results.entries()) {
      if (r === null || input.stop?.aborted) break
      const t = input.traces[jobs[i].trace]
      const v = input.variants[jobs[i].variant]
      if (r.counterexamples.length === 0) {
        clean.push({trace: t.scenario.name, variant: v.variant.meta.id, explored: r.explored, complete: r.complete})
        continue
      }
      const file = shortest(r.counterexamples)
      const path = join(input.scheduleDir, scheduleFileName(file))
      writeFileAtomic(path, scheduleJson(file), input.force)
      const replay = replaySchedule(t.scenario, v.variant, path)
      counterexamples.push({
        trace: t.scenario.name,
        variant: v.variant.meta.id,
        file,
        path,
        replay: replayCommand(t.arg, v.arg, path),
        result: replay.result,
        log: replay.log,
        timeline: buildTimeline(t.scenario, replay.result, replay.log, {untimed: file.mode === 'untimed'}),
        explored: r.explored,
      })
    }
  }
  return {
    comparison,
    runs,
    sweeps: sweepsOf(comparison, input.traces, input.cpus),
    explore: input.explore,
    counterexamples,
    clean,
    traces: input.traces.map((t) => ({name: t.scenario.name, arg: t.arg, title: t.scenario.title, source: t.scenario.source, cpus: t.scenario.machine.cpus})),
    variants: input.variants.map((v) => v.variant.meta),
    compareCommand: compareCommand(input),
  }
}

/** The counterexample with the fewest choices (the first of equals). */
function shortest(files: readonly ScheduleFile[]): ScheduleFile {
  return files.reduce((best, f) => (f.shrunk.to < best.shrunk.to ? f : best))
}

/** The `--cpus` lines: per trace and sweep metric, each variant's median against CPU count. */
function sweepsOf(c: Comparison, traces: readonly ReportTrace[], cpus: readonly number[]): Sweep[] {
  if (cpus.length === 0) return []
  return traces.flatMap((t, ti) =>
    SWEEP_METRICS.map((metric) => ({
      trace: t.scenario.name,
      metric,
      lines: c.variants.map((variant, vi) => ({
        variant,
        // A size at which the metric does not apply (no rmmod returned) has no point.
        points: cpus.flatMap((n, ci) => {
          const value = c.traces[ti * cpus.length + ci].cells[vi].aggregate.metrics[metric].median
          return value === null ? [] : [{cpus: n, value}]
        }),
      })),
    })),
  )
}

/** `kreplay run <trace> --variant <id> --seed S --lanes`, or null without a trace argument. */
function runCommand(trace: string | undefined, variant: string | undefined, seed: number): string | null {
  if (trace === undefined || variant === undefined) return null
  return `kreplay run ${trace} --variant ${variant} --seed ${seed} --lanes`
}

/** `kreplay compare <traces> --variants <ids> [--seeds N] [--cpus LIST]`, as given. */
function compareCommand(input: ReportInput): string {
  const parts = ['kreplay compare', ...input.traces.map((t) => t.arg), `--variants ${input.variants.map((v) => v.arg).join(',')}`]
  if (input.defaults.traces) parts.splice(1, input.traces.length)
  if (input.defaults.variants) parts.pop()
  if (input.seeds.first !== undefined) parts.push(`--seed ${input.seeds.first}`)
  else if (input.seeds.count > 1) parts.push(`--seeds ${input.seeds.count}`)
  if (input.cpus.length) parts.push(`--cpus ${input.cpus.join(',')}`)
  return parts.join(' ')
}
