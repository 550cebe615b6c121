import {FINDING_KINDS, METRIC_NAMES, type EndReason, type FindingKind, type MetricName, type RunResult} from '../core/result.ts'

/** A metric over several seeds. */
export interface Spread {
  /** The lower median: the ⌈n/2⌉-th smallest value, so always a value some seed produced; null when no run had the metric. */
  readonly median: number | null
  readonly max: number | null
}

/**
 * What the runs of one trace × variant over several seeds add up to. Key order is fixed
 * (finding kinds and end reasons in contract order, metrics in METRIC_NAMES order) so JSON
 * output is byte-stable.
 */
export interface Aggregate {
  /** How many runs (seeds) it covers. */
  readonly seeds: number
  /** Per finding kind seen in at least one run: in how many runs it was seen. */
  readonly findings: Readonly<Partial<Record<FindingKind, number>>>
  /** Per way a run ended: how many runs ended so. */
  readonly ended: Readonly<Partial<Record<EndReason, number>>>
  /** Every contract metric: median and max over the runs. */
  readonly metrics: Readonly<Record<MetricName, Spread>>
}

const END_REASONS: readonly EndReason[] = ['idle', 'horizon', 'step-budget']

/**
 * Aggregate the runs of one trace × variant. A run counts once per finding kind however
 * many findings of that kind it had. With no runs, every metric is null.
 */
export function aggregate(runs: readonly RunResult[]): Aggregate {
  const findings: Partial<Record<FindingKind, number>> = {}
  for (const kind of FINDING_KINDS) {
    const n = runs.filter((r) => r.findings.some((f) => f.kind === kind)).length
    if (n > 0) findings[kind] = n
  }
  const ended: Partial<Record<EndReason, number>> = {}
  for (const reason of END_REASONS) {
    const n = runs.filter((r) => r.ended === reason).length
    if (n > 0) ended[reason] = n
  }
  const metrics = {} as Record<MetricName, Spread>
  for (const name of METRIC_NAMES) metrics[name] = spread(runs.map((r) => r.metrics[name]))
  return {seeds: runs.length, findings, ended, metrics}
}

/** Lower median and max of `values`, leaving out the runs the metric does not apply to (null and null for none). */
export function spread(values: readonly (number | null)[]): Spread {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b)
  if (sorted.length === 0) return {median: null, max: null}
  return {median: sorted[Math.ceil(sorted.length / 2) - 1], max: sorted[sorted.length - 1]}
}
