/**
 * The options of an ftrace import, and the parsing of their text forms as the command
 * line gives them (`--window 45.7..46.3`, `--rmmod-at 2ms`).
 */
import {InputError} from '../core/input-error.ts'
import {parseDuration} from '../scenario/duration.ts'
import {timestampNs} from './capture-line.ts'

/**
 * A point in the capture: a timestamp as the capture prints it, or an offset from the
 * capture's first event.
 */
export type CapturePoint = {readonly kind: 'timestamp'; readonly ns: number} | {readonly kind: 'offset'; readonly ns: number}

/** How to import a capture. Every field is optional. */
export interface ImportOptions {
  /** The module to model; default: the one with the most module_get events. */
  readonly module?: string
  /** When to inject an rmmod if the capture frees none; default: halfway through. */
  readonly rmmodAt?: CapturePoint
  /** CPUs of the machine; default: the capture's `#P:` or `cpus=` header, else the CPUs seen. */
  readonly cpus?: number
  /**
   * The refcnt a module with no references prints: 1 on 3.19+ (the base reference), 0
   * where the count has none. Default: 1, or ignored on a kernel older than 3.19 (whose
   * per-CPU counter says nothing about the module's total).
   */
  readonly refcntBase?: 0 | 1
  /** Only events in this part of the capture (either end may be open). */
  readonly window?: {readonly from: CapturePoint | null; readonly to: CapturePoint | null}
  /** The trace's name; default: from the file name. */
  readonly name?: string
}

/**
 * Parse a point in the capture: a duration with a unit (`2ms`, `500us`) is an offset from
 * the first event; a bare number of seconds (`46.25`) is a timestamp as the capture
 * prints it. Throws an InputError naming `what`.
 */
export function parseCapturePoint(text: string, what: string): CapturePoint {
  const bare = /^(\d+)(?:\.(\d*))?$/.exec(text.trim())
  if (bare !== null) return {kind: 'timestamp', ns: timestampNs(bare[1], bare[2] || '0')}
  try {
    return {kind: 'offset', ns: parseDuration(text)}
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new InputError(`${what} "${text}": expected a capture timestamp in seconds (46.25) or an offset from the first event (2ms); ${reason}`)
  }
}

/** Parse `FROM..TO` (either side may be empty) into a window. Throws an InputError. */
export function parseWindow(text: string): NonNullable<ImportOptions['window']> {
  const parts = text.split('..')
  if (parts.length !== 2 || (parts[0].trim() === '' && parts[1].trim() === '')) {
    throw new InputError(`--window "${text}": expected FROM..TO, e.g. 45.7..46.3 (capture timestamps) or 1ms..5ms (offsets); either side may be empty`)
  }
  const side = (s: string) => (s.trim() === '' ? null : parseCapturePoint(s, '--window'))
  return {from: side(parts[0]), to: side(parts[1])}
}

/** Resolve a point to a capture timestamp, given the capture's first event. */
export function resolvePoint(point: CapturePoint, first: number): number {
  return point.kind === 'timestamp' ? point.ns : first + point.ns
}
