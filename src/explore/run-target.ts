import {RunStop, type ChoiceSource} from '../engine/choice.ts'
import {Engine} from '../engine/engine.ts'
import type {AccessTracer} from '../engine/tracer.ts'
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

/** How one run of a search is made. */
export interface TargetRunOptions {
  readonly untimed: boolean
  /** The seed reported in the result (jitter comes from the choices). */
  readonly seed?: number
  readonly log?: boolean
  readonly logOps?: boolean
  readonly tracer?: AccessTracer
  /** Called with the engine before it runs (to probe it while it runs). */
  readonly prepare?: (engine: Engine) => void
}

/**
 * Thrown from a choice source to end a run early: the search or the shrinker has seen
 * what it needed (a finding) or knows the rest is redundant (a sleep-set-blocked run).
 */
export class StopRun extends RunStop {
  constructor(readonly reason: 'found' | 'redundant') {
    super(`run stopped: ${reason}`)
  }
}

/** A run's outcome: its result, or null when it was stopped early with StopRun. */
export interface TargetRun {
  readonly result: RunResult | null
  readonly stopped: StopRun['reason'] | null
  readonly engine: Engine
}

/** Runs the target once, driven by `choices`. */
export function runTarget(target: ExploreTarget, choices: ChoiceSource, opts: TargetRunOptions): TargetRun {
  const engine = new Engine(target.scenario, target.variant, {
    choices,
    seed: opts.seed ?? target.scenario.seed,
    stepBudget: target.stepBudget,
    log: opts.log,
    logOps: opts.logOps,
    untimed: opts.untimed,
    tracer: opts.tracer,
  })
  opts.prepare?.(engine)
  try {
    return {result: engine.run(), stopped: null, engine}
  } catch (err) {
    if (!(err instanceof StopRun)) throw err
    return {result: null, stopped: err.reason, engine}
  }
}
