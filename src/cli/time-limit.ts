import {InputError} from '../core/input-error.ts'
import {parseDuration} from '../scenario/duration.ts'

/**
 * `--time`: a wall-clock limit written as a duration with a unit (`30s`, `500ms`), in ms; an InputError otherwise. A bare number is refused with the reading
 * a person most likely meant for a wall-clock limit: seconds.
 */
export function parseTimeLimit(text: string): number {
  if (/^\d+(\.\d*)?$/.test(text.trim())) throw new InputError(`--time: a wall-clock limit needs a unit, e.g. ${text.trim()}s (seconds) or ${text.trim()}ms; got the bare number "${text}"`)
  try {
    return parseDuration(text) / 1e6
  } catch (err) {
    throw new InputError(`--time: ${err instanceof Error ? err.message : String(err)}`)
  }
}
