/**
 * What one run of one trace against one variant produced: the contract's RunResult.
 * Key order is fixed by the constructors below so that JSON output is byte-stable.
 */

/** Finding kinds (trace-format.md; the names are part of the contract). */
export const FINDING_KINDS = [
  'use-after-free',
  'freed-while-referenced',
  'machine-stall',
  'hang',
  'deadlock',
  'affinity-lost',
  'soft-lockup',
  'latency-budget',
  'livelock',
  'hung-task',
] as const
export type FindingKind = (typeof FINDING_KINDS)[number]

/** One finding: what the simulated machine was seen to do, when, where. */
export interface Finding {
  readonly kind: FindingKind
  /** Simulated time, ns. */
  readonly at: number
  readonly cpu: number | null
  readonly task: string | null
  readonly detail: string
}

/** Metric names (trace-format.md). Durations are ns; the rest are counts. */
export const METRIC_NAMES = [
  'rmmod_latency',
  'stall_max',
  'stall_total',
  'cpus_stopped',
  'irqoff_max',
  'rt_latency_max',
  'gets_ok',
  'gets_failed',
  'mark_gap_max',
  'steps',
  'sim_time',
] as const
export type MetricName = (typeof METRIC_NAMES)[number]
/**
 * Each metric's value; null where it does not apply to the run: `rmmod_latency` when no
 * rmmod returned (none in the trace, or it never ended), `mark_gap_max` when no mark was
 * seen twice. Printed as `–`, and as null in JSON.
 */
export type Metrics = {[K in MetricName]: K extends OptionalMetric ? number | null : number}

/** The metrics that may not apply to a run (null then). */
export type OptionalMetric = 'rmmod_latency' | 'mark_gap_max'

/** Metrics measured in nanoseconds (the others are counts). */
export const DURATION_METRICS: ReadonlySet<MetricName> = new Set([
  'rmmod_latency',
  'stall_max',
  'stall_total',
  'irqoff_max',
  'rt_latency_max',
  'mark_gap_max',
  'sim_time',
])

/** Why the run ended. */
export type EndReason = 'idle' | 'horizon' | 'step-budget'

export interface RunResult {
  readonly trace: string
  readonly variant: string
  readonly seed: number
  readonly ended: EndReason
  readonly findings: readonly Finding[]
  readonly metrics: Metrics
}
