/**
 * The cell texts the compare renderers share: which metrics a comparison shows, under what
 * short header, and how findings and metrics over several seeds read.
 */
import type {Aggregate} from '../compare/aggregate.ts'
import type {Cell, TraceRow} from '../compare/compare.ts'
import {SEARCHED} from '../compare/verdict.ts'
import {FINDING_KINDS, type FindingKind, type MetricName} from '../core/result.ts'
import {formatMetric} from './units.ts'

/** The metrics of the comparison table, in column order, with their short headers. */
export const COMPARE_METRICS: readonly (readonly [MetricName, string])[] = [
  ['rmmod_latency', 'rmmod'],
  ['stall_max', 'stall'],
  ['stall_total', 'stall Σ'],
  ['cpus_stopped', 'CPUs'],
  ['irqoff_max', 'irqoff'],
  ['rt_latency_max', 'rt lat'],
  ['gets_failed', 'get fail'],
]

/**
 * The findings of an aggregate, one entry per kind in contract order: the kind alone for a
 * single seed, `kind n/N` (seen in n of N seeds) for several; then each kind schedule
 * search found that no seed showed (`searchOnly`), marked `kind*`. Empty when there is none.
 */
export function findingTexts(agg: Aggregate, searchOnly: readonly FindingKind[] = []): string[] {
  const seeded = FINDING_KINDS.flatMap((kind) => {
    const n = agg.findings[kind]
    if (n === undefined) return []
    return [agg.seeds > 1 ? `${kind} ${n}/${agg.seeds}` : kind]
  })
  return [...seeded, ...searchOnly.map((kind) => kind + SEARCHED)]
}

/** The kinds schedule search found in a cell that none of its seeded runs showed, in contract order. */
export function searchOnlyKinds(cell: Cell): FindingKind[] {
  return (cell.searched ?? []).filter((kind) => cell.aggregate.findings[kind] === undefined)
}

/**
 * The note under a trace's table when search found what its seeds did not: which cells,
 * and the command that shows each counterexample (when explore can load the trace as it
 * ran: TraceRow.replay). Empty when there is none.
 */
export function searchNotes(row: TraceRow): string[] {
  const found = row.cells.filter((cell) => searchOnlyKinds(cell).length > 0)
  if (found.length === 0) return []
  if (row.replay === null) return [`${SEARCHED} found by schedule search, not by the seeded run`]
  return [
    `${SEARCHED} found by schedule search, not by the seeded run; to replay it:`,
    ...found.map((cell) => `kreplay explore ${row.replay} --variant ${cell.variant}`),
  ]
}

/** A metric's median in human units (`12.3 µs`, `0`, `8`). */
export function medianText(agg: Aggregate, name: MetricName): string {
  return formatMetric(name, agg.metrics[name].median)
}

/** A metric's max in human units. */
export function maxText(agg: Aggregate, name: MetricName): string {
  return formatMetric(name, agg.metrics[name].max)
}

/** `median / max` for several seeds, the value alone for one. */
export function spreadText(agg: Aggregate, name: MetricName): string {
  return agg.seeds > 1 ? `${medianText(agg, name)} / ${maxText(agg, name)}` : medianText(agg, name)
}

/** How the seeds of a trace read in a caption: `seed 1`, `seeds 1–10`. */
export function seedsText(seeds: readonly number[]): string {
  if (seeds.length === 1) return `seed ${seeds[0]}`
  return `seeds ${seeds[0]}–${seeds[seeds.length - 1]}`
}

/** The column key: each short header and the contract metric it shows. */
export function columnKey(): string[] {
  return COMPARE_METRICS.map(([name, head]) => `${head} = ${name}`)
}
