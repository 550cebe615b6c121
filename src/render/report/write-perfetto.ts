import type {LogLine} from '../../engine/engine.ts'
import type {RunResult} from '../../core/result.ts'
import {traceEvents, traceEventsJson} from './trace-events.ts'
import type {Scenario} from '../../scenario/types.ts'
import {buildTimeline} from '../../report/timeline.ts'
import {writeFileAtomic} from '../../core/write-file-atomic.ts'

/** What `run --perfetto` writes about. */
export interface PerfettoRun {
  readonly scenario: Scenario
  readonly result: RunResult
  /** The run's event log, recorded with module operations. */
  readonly log: readonly LogLine[]
  /** A schedule replayed on the untimed model: times are its logical clock. */
  readonly untimed?: boolean
}

/**
 * Writes one run as a Chrome Trace Event file (trace-events.ts) to `path`, atomically.
 * An existing file is an InputError unless `force`. Returns the bytes written.
 */
export function writePerfetto(path: string, run: PerfettoRun, force: boolean): number {
  const timeline = buildTimeline(run.scenario, run.result, run.log, {untimed: run.untimed})
  const text = traceEventsJson(traceEvents([{name: `${run.result.trace} × ${run.result.variant} (seed ${run.result.seed})`, timeline}]))
  writeFileAtomic(path, text, force)
  return Buffer.byteLength(text)
}
