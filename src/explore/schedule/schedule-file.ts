import {readFileSync} from 'node:fs'
import {InputError} from '../../core/input-error.ts'
import {KREPLAY_VERSION, MODEL_VERSION} from '../../core/versions.ts'
import type {Variant} from '../../engine/variant.ts'
import {FINDING_KINDS, type Finding} from '../../core/result.ts'
import type {Scenario} from '../../scenario/types.ts'
import {decodeChoices, type ChoiceList} from './choice-list.ts'
import type {ReplayMode} from './schedule-choices.ts'
import {traceHash} from './trace-hash.ts'

/** The format version of schedule files this kreplay writes and reads. */
export const SCHEDULE_VERSION = 1

/**
 * A counterexample, as `kreplay explore` writes it and `kreplay run --schedule` replays
 * it: which trace (by name and content hash) and variant, how the run was driven (mode,
 * jitter seed, delay lengths), the shrunk choice list (choice-list.ts, text form), and the
 * finding it shows. Keys are in this order in the file.
 */
export interface ScheduleFile {
  readonly kreplay: 'schedule'
  readonly version: number
  /** The kreplay that recorded it (core/versions.ts). */
  readonly kreplayVersion: string
  /** The model version it was recorded under; replay needs the same (core/versions.ts). */
  readonly model: number
  readonly trace: string
  readonly traceHash: string
  readonly variant: string
  readonly strategy: string
  /** The schedule's index in its search. */
  readonly schedule: number
  readonly mode: 'timed' | 'untimed'
  /** Timed: the seed of the jitter draws (the trace's seed when untimed). */
  readonly seed: number
  /** Timed: the delay lengths (ns) a delay choice indexes; null when untimed. */
  readonly delays: readonly number[] | null
  /** How many choices the schedule had before shrinking, and after. */
  readonly shrunk: {readonly from: number; readonly to: number}
  readonly choices: string
  readonly finding: Finding
}

/** A schedule file checked against the trace and variant it is to be replayed on. */
export interface LoadedSchedule {
  readonly file: ScheduleFile
  readonly list: ChoiceList
  readonly mode: ReplayMode
}

/** The replay mode a schedule file describes. */
export function replayMode(f: ScheduleFile): ReplayMode {
  return {untimed: f.mode === 'untimed', jitterSeed: f.seed, delays: f.delays}
}

/**
 * Reads a schedule file and checks it against the trace and the variant: it must be a
 * schedule of this format version, recorded under this model version, on a trace of the
 * same name and content and on this variant, with a well-formed choice list. Anything else is an InputError that
 * says what does not match.
 */
export function readScheduleFile(path: string, scenario: Scenario, variant: Variant): LoadedSchedule {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new InputError(`cannot read schedule file ${path}: ${err instanceof Error ? err.message : String(err)}`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new InputError(`schedule file ${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  const f = checkShape(path, firstCounterexample(path, data))
  if (f.trace !== scenario.name) {
    throw new InputError(`schedule file ${path} was recorded on trace ${f.trace}, not ${scenario.name}: replay it with that trace`)
  }
  const hash = traceHash(scenario)
  if (f.traceHash !== hash) {
    throw new InputError(
      `schedule file ${path} was recorded on a different version of trace ${f.trace} (content ${f.traceHash}, this one is ${hash}): the trace has changed since, so the schedule no longer applies`,
    )
  }
  if (f.variant !== variant.meta.id) {
    throw new InputError(`schedule file ${path} was recorded with variant ${f.variant}, not ${variant.meta.id}: replay it with --variant ${f.variant}`)
  }
  let list: ChoiceList
  try {
    list = decodeChoices(f.choices)
  } catch (err) {
    throw new InputError(`schedule file ${path}: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (f.mode === 'untimed' && list.kinds.includes('d')) throw new InputError(`schedule file ${path}: an untimed schedule cannot have delay choices`)
  if (f.delays !== null) {
    for (let i = 0; i < list.values.length; i++) {
      if (list.kinds[i] === 'd' && list.values[i] >= f.delays.length) {
        throw new InputError(`schedule file ${path}: choice ${i} picks delay ${list.values[i]}, but only ${f.delays.length} delay lengths are listed`)
      }
    }
  }
  return {file: f, list, mode: replayMode(f)}
}

/**
 * An `explore --json` result replays as its first counterexample (the file embeds each
 * one whole); anything else is taken to be a schedule file.
 */
function firstCounterexample(path: string, data: unknown): unknown {
  const o = data as {kreplay?: unknown; counterexamples?: unknown} | null
  if (typeof o !== 'object' || o === null || o.kreplay !== 'explore') return data
  if (!Array.isArray(o.counterexamples) || o.counterexamples.length === 0) throw new InputError(`explore result ${path} has no counterexample to replay`)
  return o.counterexamples[0]
}

/** Checks the fields of a parsed schedule file; an InputError names the first bad one. */
function checkShape(path: string, data: unknown): ScheduleFile {
  const bad = (what: string): InputError => new InputError(`schedule file ${path}: ${what}`)
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad('expected a JSON object')
  const o = data as Record<string, unknown>
  if (o.kreplay !== 'schedule') throw bad('not a kreplay schedule (expected "kreplay": "schedule")')
  if (o.version !== SCHEDULE_VERSION) throw bad(`unsupported schedule format version ${JSON.stringify(o.version)}: this kreplay reads version ${SCHEDULE_VERSION}`)
  if (o.model !== MODEL_VERSION) {
    const recorded = typeof o.model === 'number' ? `model version ${o.model}${typeof o.kreplayVersion === 'string' ? ` (kreplay ${o.kreplayVersion})` : ''}` : 'a model before model versions'
    throw bad(
      `recorded under ${recorded}, but this kreplay ${KREPLAY_VERSION} simulates model version ${MODEL_VERSION}: the simulation changed since, so the schedule may not replay the same; run the search again (kreplay explore ${typeof o.trace === 'string' ? o.trace : '<trace>'} --variant ${typeof o.variant === 'string' ? o.variant : '<id>'})`,
    )
  }
  for (const key of ['trace', 'traceHash', 'variant', 'strategy', 'choices'] as const) {
    if (typeof o[key] !== 'string') throw bad(`"${key}" must be a string`)
  }
  if (o.mode !== 'timed' && o.mode !== 'untimed') throw bad('"mode" must be "timed" or "untimed"')
  for (const key of ['schedule', 'seed'] as const) {
    if (typeof o[key] !== 'number' || !Number.isInteger(o[key]) || o[key] < 0) throw bad(`"${key}" must be a non-negative integer`)
  }
  const delays = o.delays
  if (delays !== null && !(Array.isArray(delays) && delays.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0))) {
    throw bad('"delays" must be null or a list of non-negative integers (ns)')
  }
  if (o.mode === 'timed' && delays === null) throw bad('a timed schedule needs "delays"')
  const finding = o.finding as Record<string, unknown> | null | undefined
  if (typeof finding !== 'object' || finding === null || !(FINDING_KINDS as readonly unknown[]).includes(finding.kind)) {
    throw bad(`"finding" must be a finding with a "kind" (one of ${FINDING_KINDS.join(', ')})`)
  }
  return data as ScheduleFile
}
