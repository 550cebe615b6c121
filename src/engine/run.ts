import type {Scenario} from '../scenario/types.ts'
import type {RunResult} from '../core/result.ts'
import {RecordingChoices, SeededChoices, StopRun, type ChoiceSource} from './choice.ts'
import {Engine, type LogLine} from './engine.ts'
import type {AccessTracer} from './tracer.ts'
import type {Variant} from './variant.ts'

/**
 * Options for one run, whatever it is for: an ordinary run, a replay, a search's
 * schedule. (The engine's RunOptions are what runScenario makes of them.)
 */
export interface RunConfig {
  /** Overrides the trace's seed. */
  readonly seed?: number
  /** Use these choices instead of a seeded source (replay, exploration). */
  readonly choices?: ChoiceSource
  readonly log?: boolean
  readonly stepBudget?: number
  /** Record every choice made (for schedule files). */
  readonly record?: boolean
  /** Also log module gets, puts and calls (RunOptions.logOps). */
  readonly logOps?: boolean
  /** Untimed mode for schedule exploration (RunOptions.untimed). */
  readonly untimed?: boolean
  /** What each untimed dispatch touched (RunOptions.tracer). */
  readonly tracer?: AccessTracer
  /** Called with the engine before it runs (to probe it while it runs). */
  readonly prepare?: (engine: Engine) => void
}

/** A run's result plus what it recorded. */
export interface RunOutput {
  readonly result: RunResult
  readonly log: readonly LogLine[]
  readonly choices: readonly number[]
}

/**
 * Runs one scenario against one variant: a pure function of its arguments. The one way a
 * run is made. A choice source or probe may end it early by throwing StopRun, which
 * comes out of here as it is (src/explore/run-target.ts catches it), and so does a run
 * its choice source ended by returning false from `candidates`, as StopRun.redundant.
 */
export function runScenario(scenario: Scenario, variant: Variant, cfg: RunConfig = {}): RunOutput {
  const out = runScenarioOrStop(scenario, variant, cfg)
  if (out === null) throw StopRun.redundant
  return out
}

/** runScenario, except that a run its choice source ended by returning false from `candidates` gives null (no exception to unwind). */
export function runScenarioOrStop(scenario: Scenario, variant: Variant, cfg: RunConfig = {}): RunOutput | null {
  const seed = cfg.seed ?? scenario.seed
  const base = cfg.choices ?? new SeededChoices(seed)
  const rec = cfg.record ? new RecordingChoices(base) : null
  const engine = new Engine(scenario, variant, {
    choices: rec ?? base,
    seed,
    log: cfg.log,
    stepBudget: cfg.stepBudget,
    logOps: cfg.logOps,
    untimed: cfg.untimed,
    tracer: cfg.tracer,
  })
  cfg.prepare?.(engine)
  const result = engine.run()
  return result === null ? null : {result, log: engine.logLines ?? [], choices: rec ? rec.values : []}
}
