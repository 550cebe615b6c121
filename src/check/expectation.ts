import type {Expectation, MetricExpectation} from '../scenario/types.ts'
import type {MetricName, RunResult} from '../core/result.ts'
import {formatMetric} from '../render/units.ts'

/** Whether a metric value satisfies a comparison such as `> 1ms`. */
export function satisfies(value: number, m: MetricExpectation): boolean {
  switch (m.op) {
    case '<':
      return value < m.value
    case '<=':
      return value <= m.value
    case '>':
      return value > m.value
    case '>=':
      return value >= m.value
    case '==':
      return value === m.value
    case '!=':
      return value !== m.value
  }
}

/**
 * What in a result contradicts an expectation: each problem is one line, naming what was
 * expected and what came. `found` is the set of finding kinds to judge (one run's, or what
 * a schedule search found).
 */
export function problemsWith(e: Expectation, found: ReadonlySet<string>, metricsFrom: RunResult): string[] {
  const problems: string[] = []
  const want = new Set(e.findings)
  const missing = [...want].filter((k) => !found.has(k))
  const extra = [...found].filter((k) => !want.has(k)).sort()
  if (missing.length || extra.length) {
    problems.push(`findings: expected [${[...want].join(', ')}], came [${[...found].sort().join(', ')}]`)
  }
  for (const [name, m] of Object.entries(e.metrics)) {
    const metric = name as MetricName
    const value = metricsFrom.metrics[metric]
    // A metric that does not apply (null) satisfies no bound.
    if (value === null || !satisfies(value, m)) problems.push(`${name}: expected ${m.text}, came ${formatMetric(metric, value)}`)
  }
  return problems
}
