import {InputError} from '../core/input-error.ts'
import {parseDuration} from '../scenario/duration.ts'

/** A limit in minutes or hours (`40m`, `40min`, `1.5h`), which a trace's durations never need. */
const LONG = /^(\d+(?:\.\d*)?|\.\d+) ?(m|min|h)$/

/**
 * `--time`: a wall-clock limit written as a duration with a unit, in ms: a trace's units
 * (`500ms`, `30s`) or, for long searches, minutes and hours (`40m`, `2h`); an InputError
 * otherwise. A bare number is refused with the reading a person most likely meant for a
 * wall-clock limit: seconds.
 */
export function parseTimeLimit(text: string): number {
  const trimmed = text.trim()
  if (/^\d+(\.\d*)?$/.test(trimmed)) throw new InputError(`--time: a wall-clock limit needs a unit, e.g. ${trimmed}s (seconds) or ${trimmed}ms; got the bare number "${text}"`)
  const long = LONG.exec(trimmed)
  if (long !== null) return Number(long[1]) * (long[2] === 'h' ? 3_600_000 : 60_000)
  try {
    return parseDuration(text) / 1e6
  } catch {
    throw new InputError(`--time: expected a wall-clock limit like 500ms, 30s, 40m or 2h, got "${text}"`)
  }
}
