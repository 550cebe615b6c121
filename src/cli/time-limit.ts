import {InputError} from '../core/input-error.ts'
import {parseDuration} from '../scenario/duration.ts'

/** `--time`: a wall-clock limit written as a duration with a unit (`30s`, `500ms`), in ms; an InputError otherwise. */
export function parseTimeLimit(text: string): number {
  try {
    return parseDuration(text) / 1e6
  } catch (err) {
    throw new InputError(`--time: ${err instanceof Error ? err.message : String(err)}`)
  }
}
