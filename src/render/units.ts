import {formatDuration} from '../scenario/duration.ts'
import {DURATION_METRICS, type MetricName} from '../core/result.ts'

/** A metric's value in human units: durations as `1.50 ms`, counts as integers. */
export function formatMetric(name: MetricName, value: number): string {
  if (DURATION_METRICS.has(name)) return value === 0 ? '0' : formatDuration(value)
  return String(value)
}

/** A simulated time stamp for logs and findings, fixed width in µs (`   1234.567 µs`). */
export function formatTime(ns: number): string {
  return `${(ns / 1000).toFixed(3).padStart(13)} µs`
}
