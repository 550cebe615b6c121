import {InputError} from '../core/input-error.ts'
import {parseDuration} from '../scenario/duration.ts'

/** A limit in minutes or hours (`40m`, `40min`, `1.5h`), which a trace's durations never need. */
const LONG = /^(\d+(?:\.\d*)?|\.\d+) ?(m|min|h)$/

/** A trace's duration syntax, whatever its value (parseDuration says what is wrong with the value). */
const SHORT = /^-?(\d+(?:\.\d*)?|\.\d+) ?(ns|us|µs|ms|s)$/

/**
 * `--time`: a wall-clock limit above 0 written as a duration with a unit, in ms: a trace's
 * units (`500ms`, `30s`) or, for long searches, minutes and hours (`40m`, `2h`); an
 * InputError otherwise. A bare number is refused with the reading a person most likely
 * meant for a wall-clock limit: seconds.
 */
export function parseTimeLimit(text: string): number {
  const trimmed = text.trim()
  if (/^\d+(\.\d*)?$/.test(trimmed)) throw new InputError(`--time: a wall-clock limit needs a unit, e.g. ${trimmed}s (seconds) or ${trimmed}ms; got the bare number "${text}"`)
  const long = LONG.exec(trimmed)
  let ns: number
  if (long !== null) {
    ns = Math.round(Number(long[1]) * (long[2] === 'h' ? 3.6e12 : 6e10))
    if (!Number.isSafeInteger(ns)) throw new InputError(`--time: duration "${text}" is too large`)
  } else if (SHORT.test(trimmed)) {
    try {
      ns = parseDuration(trimmed)
    } catch (err) {
      throw new InputError(`--time: ${err instanceof Error ? err.message : String(err)}`)
    }
  } else {
    throw new InputError(`--time: expected a wall-clock limit like 500ms, 30s, 40m or 2h, got "${text}"`)
  }
  if (ns === 0) throw new InputError(`--time: a wall-clock limit must be more than 0, got "${text}"`)
  return ns / 1e6
}
