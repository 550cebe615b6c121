/**
 * The comparison as terminal text: for each trace a table with one row per variant (its
 * findings and the key metrics in human units), then a summary matrix of traces × variants
 * with one word per cell, a legend, and the column key. Lines are at most `width` (100)
 * columns for the shipped traces and variants: findings and matrix headers wrap to fit.
 */
import {stripVTControlCharacters} from 'node:util'
import {createColors} from 'picocolors'
import Table from 'cli-table3'
import type {Cell, Comparison, TraceRow} from '../compare/compare.ts'
import {OK, verdict, verdictLegend, verdictText, type Verdict} from '../compare/verdict.ts'
import {COMPARE_METRICS, columnKey, findingTexts, maxText, medianText, searchNotes, searchOnlyKinds, seedsText} from './compare-cells.ts'
import {packLines, wrapAtHyphens, wrapText} from './wrap.ts'

/** How the table is drawn. */
export interface CompareTableOptions {
  /** ANSI colours and bold: only for a terminal, never under NO_COLOR (the caller decides). */
  readonly colour: boolean
  /** The line width to fit in; default 100. */
  readonly width?: number
}

/** The default line width. */
export const TABLE_WIDTH = 100

/** Columns are separated by this many spaces (cli-table3's right padding). */
const GAP = 2

/** No borders: a rule under the header, columns separated by spaces. */
const CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '─',
  'mid-mid': '─',
  right: '',
  'right-mid': '',
  middle: '',
}

/**
 * Render a comparison. With one seed a row shows each metric's value; with several, the
 * row shows the medians and a second line (`max`) the maxima. Deterministic: the same
 * Comparison gives the same bytes; without colour the text has no ANSI codes.
 */
export function renderCompareTable(c: Comparison, options: CompareTableOptions): string {
  const width = options.width ?? TABLE_WIDTH
  const paint = painter(options.colour)
  const out: string[] = []
  for (const row of c.traces) {
    out.push(paint.bold(`${row.trace}  (${row.cpus} CPUs, ${seedsText(row.seeds)}${row.seeds.length > 1 ? ': median, max below' : ''})`))
    out.push(...wrapText(row.title, width - 2).map((l) => `  ${l}`))
    out.push(traceTable(row, width, options.colour, paint))
    out.push(...searchNotes(row).map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)))
    out.push('')
  }
  const verdicts = c.traces.map((row) => row.cells.map((cell) => verdict(cell.aggregate, cell.searched)))
  out.push(paint.bold('summary'))
  out.push(matrix(c, verdicts, width, options.colour, paint))
  out.push(...packLines(verdictLegend(verdicts.flat()), ' · ', width, '  '))
  out.push(...packLines(columnKey(), ' · ', width, '  '))
  return out.join('\n') + '\n'
}

/** The table of one trace: a row per variant. */
function traceTable(row: TraceRow, width: number, colour: boolean, paint: Painter): string {
  const several = row.seeds.length > 1
  const head = ['variant', 'findings', ...COMPARE_METRICS.map(([, h]) => h)]
  const metricCells = row.cells.map((cell) =>
    COMPARE_METRICS.map(([name]) => (several ? `${medianText(cell.aggregate, name)}\n${maxText(cell.aggregate, name)}` : medianText(cell.aggregate, name))),
  )
  const labels = row.cells.map((cell) => (several ? `${cell.variant}\n  max` : cell.variant))
  const columnWidth = (i: number): number => Math.max(head[i + 2].length, ...metricCells.map((m) => longestLine(m[i])))
  const fixed = Math.max(head[0].length, ...labels.map(longestLine)) + COMPARE_METRICS.reduce((sum, _, i) => sum + columnWidth(i), 0)
  const room = Math.max(head[1].length, width - fixed - GAP * (head.length - 1))
  const findings = row.cells.map((cell) => findingsCell(cell, room, paint))
  const rows = row.cells.map((_, i) => [labels[i], findings[i], ...metricCells[i]])
  return drawTable(head, rows, colour)
}

/** A findings cell: one kind per line (wrapped to `room`), `none` when there is none. */
function findingsCell(cell: Cell, room: number, paint: Painter): string {
  const texts = findingTexts(cell.aggregate, searchOnlyKinds(cell))
  if (texts.length === 0) return 'none'
  return texts.flatMap((t) => wrapAtHyphens(t, room)).map(paint.bad).join('\n')
}

/**
 * The summary: traces × variants, one verdict word per cell. Variant names wrap at their
 * hyphens when the row would not fit; when even that is too wide, the variants are split
 * into consecutive groups that fit, one table under the other.
 */
function matrix(c: Comparison, verdicts: readonly (readonly Verdict[])[], width: number, colour: boolean, paint: Painter): string {
  const texts = verdicts.map((row) => row.map(verdictText))
  const traceWidth = Math.max(5, ...c.traces.map((t) => t.trace.length))
  const cellWidth = (j: number): number => Math.max(...texts.map((row) => row[j].length))
  const fits = traceWidth + c.variants.reduce((sum, id, j) => sum + Math.max(id.length, cellWidth(j)), 0) + GAP * c.variants.length <= width
  const heads = c.variants.map((id, j) => (fits ? id : wrapAtHyphens(id, Math.max(cellWidth(j), ...id.split('-').map((p) => p.length + 1))).join('\n')))
  const groups: number[][] = [[]]
  let used = traceWidth
  heads.forEach((h, j) => {
    const w = Math.max(longestLine(h), cellWidth(j)) + GAP
    if (used + w > width && groups[groups.length - 1].length) {
      groups.push([])
      used = traceWidth
    }
    groups[groups.length - 1].push(j)
    used += w
  })
  const cell = (i: number, j: number): string => (verdicts[i][j].word === OK ? paint.good(texts[i][j]) : paint.bad(texts[i][j]))
  return groups
    .map((g) => drawTable(['trace', ...g.map((j) => heads[j])], c.traces.map((t, i) => [t.trace, ...g.map((j) => cell(i, j))]), colour))
    .join('\n\n')
}

/** Draw with cli-table3, without borders; trailing spaces (before any closing ANSI code) trimmed. */
function drawTable(head: readonly string[], rows: readonly (readonly string[])[], colour: boolean): string {
  const table = new Table({
    head: [...head],
    chars: CHARS,
    // Without explicit empty styles cli-table3 colours the header and borders even when piped.
    style: {head: colour ? ['bold'] : [], border: colour ? ['grey'] : [], 'padding-left': 0, 'padding-right': GAP, compact: true},
  })
  for (const r of rows) table.push([...r])
  const lines = table
    .toString()
    .split('\n')
    // eslint-disable-next-line no-control-regex
    .map((l) => l.replace(/(?:\s|\u001b\[[0-9;]*m)+$/, (tail) => tail.replace(/\s+/g, '')))
  // The rule under the header spans the text, not the padding after the last column.
  const text = Math.max(...lines.filter((l) => !l.includes('─')).map((l) => stripVTControlCharacters(l).length))
  const rule = '─'.repeat(text)
  return lines.map((l) => (l.includes('─') ? createColors(colour).gray(rule) : l)).join('\n')
}

function longestLine(text: string): number {
  return Math.max(...text.split('\n').map((l) => l.length))
}

/** Applies colour, or nothing. */
interface Painter {
  readonly bold: (s: string) => string
  readonly good: (s: string) => string
  readonly bad: (s: string) => string
}

function painter(colour: boolean): Painter {
  const c = createColors(colour)
  return {bold: c.bold, good: c.green, bad: c.red}
}
