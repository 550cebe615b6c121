/**
 * What a report keeps of each cell's logged first-seed run: its result, its timeline and
 * the log around its first finding. The comparison makes it in the thread that ran the
 * run (compare.ts, FirstSeedViews), so that the event log itself never crosses threads.
 */
import type {RunResult} from '../core/result.ts'
import type {LogLine} from '../engine/engine.ts'
import type {RunOutput} from '../engine/run.ts'
import type {Scenario} from '../scenario/types.ts'
import {buildTimeline, type Timeline} from './timeline.ts'

/** A logged run, as a report draws it. */
export interface LoggedRunView {
  readonly result: RunResult
  readonly timeline: Timeline
  /** With findings: the log around the first one (EXCERPT_BEFORE lines before, EXCERPT_AFTER after); else empty. */
  readonly excerpt: readonly LogLine[]
}

/** How much of a logged run's event log around its first finding a view keeps. */
export const EXCERPT_BEFORE = 400
export const EXCERPT_AFTER = 100

/** The view of a run of `scenario` made with its event log (compare.ts's RunViewer). */
export default function loggedRunView(output: RunOutput, scenario: Scenario): LoggedRunView {
  return {result: output.result, timeline: buildTimeline(scenario, output.result, output.log), excerpt: excerpt(output.log, output.result)}
}

/** The log lines around a run's first finding (none when it has none). */
function excerpt(log: readonly LogLine[], result: RunResult): LogLine[] {
  if (result.findings.length === 0) return []
  const at = Math.min(...result.findings.map((f) => f.at))
  let i = log.findIndex((l) => l.t >= at)
  if (i < 0) i = log.length
  return log.slice(Math.max(0, i - EXCERPT_BEFORE), i + EXCERPT_AFTER)
}
