import type {FindingKind} from '../../core/result.ts'
import {RecordingChoices, StopRun} from '../../engine/choice.ts'
import type {ChoiceList} from './choice-list.ts'
import {encodeChoices, recordedList} from './choice-list.ts'
import type {StrategyName} from '../explore-result.ts'
import {runTarget, type ExploreTarget} from '../run-target.ts'
import {KREPLAY_VERSION, MODEL_VERSION} from '../../core/versions.ts'
import {SCHEDULE_VERSION, type ScheduleFile} from './schedule-file.ts'
import type {ReplayMode} from './schedule-choices.ts'
import {shrinkSchedule} from './shrink.ts'
import type {SamplingStrategy} from '../sampling/strategy.ts'
import {traceHash} from './trace-hash.ts'

/**
 * Re-runs schedule `k` of a sampling strategy, recording its searched choices up to the
 * first finding of `kind` (the rest cannot matter to it).
 */
export function recordSchedule(target: ExploreTarget, strategy: SamplingStrategy, k: number, kind: FindingKind): {list: ChoiceList; mode: ReplayMode} {
  const {choices, mode} = strategy.source(k)
  const rec = new RecordingChoices(choices, true)
  runTarget(target, rec, {
    untimed: strategy.untimed,
    seed: mode.jitterSeed,
    prepare: (engine) => {
      rec.onPick = () => {
        if (engine.obs.findings.some((f) => f.kind === kind)) throw new StopRun('found')
      }
    },
  })
  return {list: recordedList(rec), mode}
}

/** Shrinks a recorded failing schedule and makes it a schedule file. */
export function makeCounterexample(
  target: ExploreTarget,
  strategy: StrategyName,
  index: number,
  kind: FindingKind,
  recorded: {list: ChoiceList; mode: ReplayMode},
  skip: ReadonlySet<string>,
): ScheduleFile {
  const shrunk = shrinkSchedule({target, mode: recorded.mode, list: recorded.list, kind, skip})
  return {
    kreplay: 'schedule',
    version: SCHEDULE_VERSION,
    kreplayVersion: KREPLAY_VERSION,
    model: MODEL_VERSION,
    trace: target.scenario.name,
    traceHash: traceHash(target.scenario),
    variant: target.variant.meta.id,
    strategy,
    schedule: index,
    mode: recorded.mode.untimed ? 'untimed' : 'timed',
    seed: recorded.mode.jitterSeed,
    delays: recorded.mode.untimed ? null : recorded.mode.delays,
    shrunk: {from: recorded.list.values.length, to: shrunk.list.values.length},
    choices: encodeChoices(shrunk.list),
    finding: shrunk.finding,
  }
}
