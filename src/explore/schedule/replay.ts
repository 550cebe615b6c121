import {InputError} from '../../core/input-error.ts'
import {ReplayMismatch} from '../../engine/choice.ts'
import type {LogLine} from '../../engine/engine.ts'
import type {Variant} from '../../engine/variant.ts'
import type {RunResult} from '../../core/result.ts'
import type {Scenario} from '../../scenario/types.ts'
import {countedFindings} from '../counted-findings.ts'
import {runTarget} from '../run-target.ts'
import {ScheduleChoices} from './schedule-choices.ts'
import {readScheduleFile, type ScheduleFile} from './schedule-file.ts'

/** A replayed schedule: the run's result and event log (module operations included). */
export interface Replay {
  readonly file: ScheduleFile
  readonly result: RunResult
  readonly log: readonly LogLine[]
}

/**
 * Replays a schedule file exactly (`kreplay run --schedule`): the file is checked against
 * the trace and variant (schedule-file.ts), the run must ask for every listed choice, of
 * the listed kinds and in range, and must show the recorded finding again. Anything else
 * is an InputError saying what did not fit. `stepBudget` bounds the replay (`run
 * --max-steps`; default the engine's); a replay it cuts short is an InputError too.
 */
export function replaySchedule(scenario: Scenario, variant: Variant, path: string, stepBudget?: number): Replay {
  const {file, list, mode} = readScheduleFile(path, scenario, variant)
  const src = new ScheduleChoices(list, mode)
  let run
  try {
    run = runTarget({scenario, variant, stepBudget}, src, {untimed: mode.untimed, seed: mode.jitterSeed, log: true, logOps: true})
  } catch (err) {
    const mismatch = err instanceof ReplayMismatch ? err : err instanceof Error && err.cause instanceof ReplayMismatch ? err.cause : null
    if (mismatch === null) throw err
    throw new InputError(`schedule file ${path} does not fit this run of ${scenario.name} × ${variant.meta.id}: ${mismatch.message}`)
  }
  const result = run.result!
  if (result.ended === 'step-budget') {
    throw new InputError(`schedule file ${path} replayed up to the step budget (${result.metrics.steps} steps) after ${Math.min(src.asked, list.values.length)} of its ${list.values.length} choices: a replay cut short shows nothing; raise --max-steps`)
  }
  if (src.asked < list.values.length) {
    throw new InputError(`schedule file ${path} does not fit this run: the run ended after ${src.asked} of the schedule's ${list.values.length} choices`)
  }
  if (!countedFindings(result, new Set()).some((f) => f.kind === file.finding.kind)) {
    throw new InputError(`schedule file ${path} replayed, but its ${file.finding.kind} did not recur (recorded: ${file.finding.detail})`)
  }
  return {file, result, log: run.log}
}
