/**
 * The comparison as CSV (RFC 4180 quoting, `\n` line ends): one row per trace × variant,
 * with a header. Columns: trace, variant, seeds (how many), verdict (the matrix word), one
 * column per finding kind (in how many seeds it was seen), then `<metric>_median` and
 * `<metric>_max` for every contract metric, raw (durations in ns, as in JSON), and last
 * `searched`: the kinds schedule search found, separated by spaces (`none` when it found
 * none), empty when the cell was not searched.
 */
import {stringify} from 'csv-stringify/sync'
import type {Comparison} from '../compare/compare.ts'
import {SEARCHED, verdict} from '../compare/verdict.ts'
import {FINDING_KINDS, METRIC_NAMES} from '../core/result.ts'

/** Render a comparison as CSV. Deterministic; ends with a newline. */
export function renderCompareCsv(c: Comparison): string {
  const head = ['trace', 'variant', 'seeds', 'verdict', ...FINDING_KINDS, ...METRIC_NAMES.flatMap((m) => [`${m}_median`, `${m}_max`]), 'searched']
  const rows = c.traces.flatMap((t) =>
    t.cells.map((cell) => {
      const a = cell.aggregate
      const v = verdict(a, cell.searched)
      return [
        t.trace,
        cell.variant,
        String(a.seeds),
        v.bySearch ? v.word + SEARCHED : v.word,
        ...FINDING_KINDS.map((k) => String(a.findings[k] ?? 0)),
        ...METRIC_NAMES.flatMap((m) => [String(a.metrics[m].median ?? ''), String(a.metrics[m].max ?? '')]),
        cell.searched === null ? '' : cell.searched.join(' ') || 'none',
      ]
    }),
  )
  return stringify([head, ...rows], {record_delimiter: '\n'})
}
