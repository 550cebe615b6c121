/**
 * The comparison as JSON data: every RunResult in the contract's schema, plus each cell's
 * aggregate. Objects are rebuilt here with a fixed key order, so `toJson` of the result is
 * byte-stable whatever built the Comparison. Durations are ns, as in the contract.
 */
import type {Aggregate, Spread} from '../compare/aggregate.ts'
import type {Comparison} from '../compare/compare.ts'
import {FINDING_KINDS, METRIC_NAMES, type RunResult} from '../core/result.ts'

/**
 * `{variants, traces: [{trace, title, cpus, seeds, cells: [{variant, runs, aggregate, searched}]}]}`,
 * in the Comparison's order. `aggregate` is `{seeds, findings: {kind: runs that showed it},
 * ended: {reason: runs}, metrics: {name: {median, max}}}`; `searched` is the finding kinds
 * schedule search found (Cell.searched), or null when the cell was not searched.
 */
export function compareJson(c: Comparison): object {
  return {
    variants: [...c.variants],
    traces: c.traces.map((t) => ({
      trace: t.trace,
      title: t.title,
      cpus: t.cpus,
      seeds: [...t.seeds],
      cells: t.cells.map((cell) => ({
        variant: cell.variant,
        runs: cell.runs.map(runJson),
        aggregate: aggregateJson(cell.aggregate),
        searched: cell.searched === null ? null : [...cell.searched],
      })),
    })),
  }
}

/** A RunResult with the contract's key order. */
function runJson(r: RunResult): unknown {
  return {
    trace: r.trace,
    variant: r.variant,
    seed: r.seed,
    ended: r.ended,
    findings: r.findings.map((f) => ({kind: f.kind, at: f.at, cpu: f.cpu, task: f.task, detail: f.detail})),
    metrics: Object.fromEntries(METRIC_NAMES.map((m) => [m, r.metrics[m]])),
  }
}

function aggregateJson(a: Aggregate): unknown {
  const spread = (s: Spread) => ({median: s.median, max: s.max})
  return {
    seeds: a.seeds,
    findings: Object.fromEntries(FINDING_KINDS.flatMap((k) => (a.findings[k] === undefined ? [] : [[k, a.findings[k]]]))),
    ended: Object.fromEntries((['idle', 'horizon', 'step-budget'] as const).flatMap((e) => (a.ended[e] === undefined ? [] : [[e, a.ended[e]]]))),
    metrics: Object.fromEntries(METRIC_NAMES.map((m) => [m, spread(a.metrics[m])])),
  }
}
