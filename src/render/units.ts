import {formatDuration} from '../scenario/duration.ts'
import {DURATION_METRICS, type MetricName} from '../core/result.ts'

/** What a metric that does not apply to a run prints as (null in JSON). */
export const NOT_APPLICABLE = '–'

/** A metric's value in human units: durations as `1.50 ms`, counts as integers, `–` where it does not apply. */
export function formatMetric(name: MetricName, value: number | null): string {
  if (value === null) return NOT_APPLICABLE
  if (DURATION_METRICS.has(name)) return value === 0 ? '0' : formatDuration(value)
  return String(value)
}

/** Time stamp units, largest first: size in ns, and the decimals that keep every nanosecond. */
const STAMP_UNITS: readonly (readonly [string, number, number])[] = [
  [' s', 1e9, 9],
  ['ms', 1e6, 6],
  ['µs', 1e3, 3],
]

/**
 * A simulated time stamp for logs, lanes and diffs, in the unit that fits and exact to the
 * nanosecond, right-aligned to a fixed width so a column of them lines up:
 * `        250 ns`, `      3.004 µs`, `   1.250300 ms`, `  7.500009855 s`.
 */
export function formatTime(ns: number): string {
  const t = Math.round(ns)
  for (const [unit, size, decimals] of STAMP_UNITS) if (t >= size) return `${(t / size).toFixed(decimals)} ${unit}`.padStart(15)
  return `${t} ns`.padStart(15)
}
