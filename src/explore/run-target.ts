import {StopRun, type ChoiceSource} from '../engine/choice.ts'
import type {LogLine} from '../engine/engine.ts'
import {runScenarioOrStop, type RunConfig} from '../engine/run.ts'
import type {Variant} from '../engine/variant.ts'
import type {RunResult} from '../core/result.ts'
import type {Scenario} from '../scenario/types.ts'

/** What a search explores: one scenario against one variant. */
export interface ExploreTarget {
  readonly scenario: Scenario
  readonly variant: Variant
  /** Simulated steps before a run is cut off (the engine's default when absent). */
  readonly stepBudget?: number
}

/** A run's outcome: its result, or null when it was stopped early with StopRun. */
export interface TargetRun {
  readonly result: RunResult | null
  readonly stopped: StopRun['reason'] | null
  /** The event log, when `log` was asked for and the run was not stopped. */
  readonly log: readonly LogLine[]
}

/** A run its choice source ended as redundant (ChoiceSource.candidates returned false). */
const STOPPED_REDUNDANT: TargetRun = {result: null, stopped: 'redundant', log: []}

/** Runs the target once (runScenario), driven by `choices`; a StopRun, or `candidates` returning false, ends it with a null result. */
export function runTarget(target: ExploreTarget, choices: ChoiceSource, cfg: Omit<RunConfig, 'choices' | 'stepBudget' | 'record'>): TargetRun {
  // Every field by name, not {...cfg}: the callers' configs have different shapes, and V8
  // clones a spread of many shapes in its runtime (1.5 µs a clone here), into objects of as
  // many shapes that every read in the run's set-up must then tell apart. Spread, it cost
  // 6 µs of small-race x atomic-refcnt's 38 µs a schedule (exhaustive). The
  // `satisfies` makes a field added to RunConfig an error here until it is passed on.
  const run = {
    seed: cfg.seed, log: cfg.log, logOps: cfg.logOps, untimed: cfg.untimed, tracer: cfg.tracer, prepare: cfg.prepare,
    choices, stepBudget: target.stepBudget,
  } satisfies Record<keyof Omit<RunConfig, 'record'>, unknown>
  try {
    const out = runScenarioOrStop(target.scenario, target.variant, run)
    if (out === null) return STOPPED_REDUNDANT
    return {result: out.result, stopped: null, log: out.log}
  } catch (err) {
    if (!(err instanceof StopRun)) throw err
    return {result: null, stopped: err.reason, log: []}
  }
}
